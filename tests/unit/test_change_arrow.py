"""One arrow between a change's old and new value in every view: the CLI and its JSON, the
sync report, the detail pane and the handouts all write "→" (`change_words.ARROW`), as the
adverse-event revisions are stored; none writes "->"."""

from __future__ import annotations

from dataclasses import replace

from tests.unit.test_exports import NOW, library  # noqa: F401 - shared fixture
from tests.unit.test_handout_change_order import LIST, _change, _log
from tracker.domain import RegistryStatus
from tracker.services.change_log import change_json
from tracker.services.exports import export_bytes
from tracker.services.sync_report import StatusChangeLine


def test_every_view_writes_one_arrow(library):  # noqa: F811
    _log(library)
    revised = replace(_change(1, "posted_result", "Axi-cel: 14.7 months",
                              "Axi-cel: 15.2 months", "major"), detail="Overall Survival")
    renamed = _change(1, "arm", "Venetoclax + obinutuzumab", "VenO (fixed duration)", "minor")
    library.changes.add([revised, renamed])
    described = [change.describe() for change in library.changes.since(None)]
    assert "primary completion: 2027-06 (estimated) → 2028-06 (estimated)" in described
    assert ("posted result changed (Overall Survival): Axi-cel: 14.7 months → "
            "Axi-cel: 15.2 months") in described
    assert "arm changed: Venetoclax + obinutuzumab → VenO (fixed duration)" in described
    status = StatusChangeLine(CLL14 := "NCT02242942", "CLL14", RegistryStatus.RECRUITING,
                              RegistryStatus.COMPLETED).describe()
    assert status == f"{CLL14} CLL14: Recruiting → Completed"
    texts = [*described, status, change_json(revised)["description"],
             export_bytes(library, LIST, "md", now=NOW).decode(),
             export_bytes(library, LIST, "html", now=NOW).decode()]
    for text in texts:
        assert " -> " not in text and "-&gt;" not in text, text
