"""The exchange file carries the change log: written where there are changes, imported once,
and files without it (older exports) still import."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from tests.unit.test_exports import NOW, library  # noqa: F401 - shared fixture
from tracker.domain.changes import FieldChange
from tracker.services.exports import export_watchlist
from tracker.services.importer import import_file
from tracker.store import LIBRARY_FILE_NAME, Library

GOLDEN = Path(__file__).resolve().parent.parent / "golden" / "cll-december.json"
SLIP = FieldChange(trial_id="NCT02242942", field="primary_completion_date",
                   old="2026-06 (estimated)", new="2027-06 (estimated)", detail="+12 months",
                   significance="major", registry_date="2025-05-02",
                   seen_at=NOW - dt.timedelta(days=1))


def _export(lib, path):
    return export_watchlist(lib, "CLL – December", "json", path, now=NOW,
                            exported_by="Dr. Ada Example")


def test_exchange_writes_field_changes_and_imports_them_once(library, tmp_path):  # noqa: F811
    library.changes.add([SLIP])
    path = _export(library, tmp_path / "cll.json")
    trials = {t["id"]: t for t in json.loads(path.read_text(encoding="utf-8"))["trials"]}
    (written,) = trials["NCT02242942"]["changes"]
    assert (written["field"], written["old"], written["new"], written["detail"],
            written["significance"]) == ("primary_completion_date", "2026-06 (estimated)",
                                         "2027-06 (estimated)", "+12 months", "major")
    assert "changes" not in trials["NCT02005471"], "no empty key for trials without changes"
    assert trials["NCT02242942"]["status_history"], "statuses stay in status_history"

    other = Library(tmp_path / "other" / LIBRARY_FILE_NAME)
    try:
        first = import_file(other, path)
        again = import_file(other, path)
        logged = other.changes.for_trial("NCT02242942")
        assert [(c.field, c.significance.value) for c in logged] == [
            ("overall_status", "major"), ("primary_completion_date", "major")]
        assert first.added_changes == 1 and again.added_changes == 0
        assert "1 registry change added to the change log" in first.summary()
        # an existing trial also gets the file's changes it lacks
        fresh = Library(tmp_path / "third" / LIBRARY_FILE_NAME)
        fresh.trials.insert([other.trials.get("NCT02242942")])
        assert import_file(fresh, path).added_changes == 1
        fresh.close()
    finally:
        other.close()


def test_exchange_an_old_file_without_changes_still_imports(tmp_path):
    old_file = tmp_path / "old.json"
    shutil.copy(GOLDEN, old_file)
    assert all("changes" not in t for t in json.loads(old_file.read_text())["trials"])
    other = Library(tmp_path / "other" / LIBRARY_FILE_NAME)
    try:
        report = import_file(other, old_file)
        assert report.added_trials and report.added_changes == 0
        statuses = other.changes.for_trial("NCT02242942")
        assert statuses and statuses[0].field == "overall_status"
    finally:
        other.close()


def test_handouts_read_field_changes_from_the_change_log(library):  # noqa: F811
    from tracker.services.handout_changes import changes_for_handout

    library.changes.add([SLIP])
    found = changes_for_handout(library, ["NCT02242942", "NCT02005471"], None)
    described = [c.describe() for c in found["NCT02242942"]]
    assert any("status Recruiting → Active not recruiting" in d for d in described)
    assert any("primary completion 2026-06 (estimated) → 2027-06 (estimated) (+12 months)"
               in d for d in described)
    assert found["NCT02005471"] == []
    later = changes_for_handout(library, ["NCT02242942"], NOW.date() + dt.timedelta(days=1))
    assert later["NCT02242942"] == []
