"""An outcome's print fault (tracker/domain/misprints.py) as its column stores it: JSON text,
{"kind": "mislabel", "measures": "EFS", "why": "..."}, NULL for a figure printed right.

Read without pydantic (`tracker show` reads views); a library read as it is from before the
column (tracker.store.migrations.READABLE_WITHOUT) has none."""

from __future__ import annotations

import json
from typing import Any

from tracker.domain.misprints import PrintFault


def fault_to_text(fault: PrintFault | None) -> str | None:
    """The column's text for `fault` as the Outcome model holds it."""
    if fault is None:
        return None
    data = {"kind": fault.kind.value, "measures": fault.measures, "why": fault.why}
    return json.dumps({key: str(value) for key, value in data.items() if value is not None},
                      ensure_ascii=False, sort_keys=True)


def fault_from_row(row: dict[str, Any]) -> PrintFault | None:
    text = row.get("print_fault")  # absent from a library read as it is
    if not text:
        return None
    data = json.loads(text)
    return PrintFault(kind=data["kind"], why=data["why"], measures=data.get("measures"))
