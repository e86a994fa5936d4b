"""One aligned terminal line per trial, from raw column values (no model objects).

`tracker list` streams these straight from SQLite; `render.list_lines` feeds trials through the
same function, so every listing looks alike.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from tracker.domain.enums import RegistryStatus, phase_label
from tracker.domain.ids import LOCAL_ID_MAX_CHARS
from tracker.store.damaged_rows import READ_ERRORS, damaged_record
from tracker.store.query import ListRow

TITLE_WIDTH = 70
PHASE_WIDTH = len("Phase not stated")  # the longest common phase label
STATUS_WIDTH = len("Enrolling by invitation")  # only the rare expanded-access ones are longer
NOT_STATED = "not stated"
NCT_ID_CHARS = len("NCT00000000")
_STATE_LABELS = {"not_found": "Not found in registry", "no_registry_record": "No registry record"}


def status_label(status: str | None, registry_state: str, compact: bool = False) -> str:
    """What the registry last said, or why there is nothing to say; `compact`: a listing's
    column, where a trial not found any more is "Not in registry" (`show` says the rest)."""
    if registry_state == "not_found":
        if compact:
            return "Not in registry"
        seen = f" (last seen: {RegistryStatus(status).label})" if status else ""
        return f"Not found in registry{seen}"
    if status:
        return RegistryStatus(status).label
    return _STATE_LABELS.get(registry_state, "Not synced yet")


def study_title(nct_id: str, acronym: str | None, brief_title: str | None) -> str:
    """`ACRONYM: title` for a listing line; a record without a title (the registry has some)
    is named by its acronym, else its NCT id, as the inbox does."""
    title = (brief_title or "").strip()
    if acronym and title:
        return f"{acronym}: {title}"
    return title or acronym or nct_id


def shorten(text: str, width: int = TITLE_WIDTH) -> str:
    """White space folded, cut at a word boundary with " [...]" when longer than `width`."""
    folded = " ".join(text.split())
    if len(folded) <= width:
        return folded
    cut = folded[: width - 6].rsplit(" ", 1)[0]
    return f"{cut} [...]"


def list_line(row: ListRow, id_width: int) -> str:
    title = study_title(row.id, row.acronym, row.brief_title)
    try:  # not `with reading_row(...)`: this runs once per row of a 100k-trial list
        phase = phase_label(json.loads(row.phases))
        status = status_label(row.status, row.registry_state, compact=True)
    except READ_ERRORS as error:
        raise damaged_record(row.id, error) from None
    return (f"{row.id:<{id_width}}  {row.modality:<10} {phase:<{PHASE_WIDTH}} "
            f"{status:<{STATUS_WIDTH}} {shorten(title)}")


def id_width(longest_id: int) -> int:
    """The id column: as wide as the library's longest id (an NCT id at least), which is
    at most the longest id the rules allow, so every row lines up."""
    return min(max(longest_id, NCT_ID_CHARS), LOCAL_ID_MAX_CHARS)


def stream_lines(rows: Iterable[ListRow], longest_id: int) -> Iterator[str]:
    width = id_width(longest_id)
    for row in rows:
        yield list_line(row, width)
