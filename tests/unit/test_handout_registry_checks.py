"""A handout never says "no changes" for a trial nobody checked: it says when the registry was
last checked, a trial not checked since the window began says so instead of "none
recorded", and `tracker export` warns (a reviewer would have told the room "no changes since
last month" about trials last synced before that meeting)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.unit.test_cli import run
from tracker.domain import Trial
from tracker.domain.changes import FieldChange, Significance
from tracker.services.exports import export_bytes

NOW = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)
MEETING = dt.date(2026, 11, 5)
LIST = "Heme JC"
FRESH, STALE, NEVER, LOCAL = "NCT02993523", "NCT02242942", "NCT02005471", "LOCAL-VEN-CASES"


def _trial(trial_id: str, acronym: str, synced: dt.datetime | None) -> Trial:
    state = "no_registry_record" if trial_id.startswith("LOCAL") else \
        "found" if synced else "never_synced"
    return Trial(id=trial_id, acronym=acronym, brief_title=f"{acronym} study",
                 status="RECRUITING" if synced else None, registry_state=state,
                 last_synced_at=synced)


@pytest.fixture
def library(empty_library):
    empty_library.trials.insert([
        _trial(FRESH, "VIALE-A", dt.datetime(2026, 12, 2, 8, 0, tzinfo=dt.UTC)),
        _trial(STALE, "CLL14", dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)),
        _trial(NEVER, "MURANO", None), _trial(LOCAL, "Case series", None)], added_at=NOW)
    empty_library.watchlists.create(LIST, meeting_date=MEETING)
    empty_library.watchlists.update(LIST, meeting_date=dt.date(2099, 1, 7))  # met on 11-05
    empty_library.watchlists.add(LIST, [FRESH, STALE, NEVER, LOCAL])
    empty_library.changes.add([FieldChange(
        trial_id=FRESH, field="overall_status", old="NOT_YET_RECRUITING", new="RECRUITING",
        significance=Significance.MAJOR, seen_at=dt.datetime(2026, 11, 20, tzinfo=dt.UTC))])
    return empty_library


def _changes_lines(markdown: str) -> dict[str, str]:
    sections = markdown.split("\n### ")[1:]
    return {section.split(" ", 1)[0]: next(line for line in section.splitlines()
                                            if line.startswith("Changes since"))
            for section in sections}


def test_a_trial_not_checked_since_the_window_began_never_reads_none_recorded(library):
    markdown = export_bytes(library, LIST, "md", now=NOW).decode()
    lines = _changes_lines(markdown)
    start = "Changes since 2026-11-05 (the list's previous meeting):"
    assert lines["VIALE-A"] == start  # its change follows on the next line
    assert lines["CLL14"] == (f"{start} not checked since the window began: the registry was "
                              "last checked on 2026-10-01 (sync to see its changes since then)")
    assert lines["MURANO"] == f"{start} not checked with the registry yet (sync to see its " \
                              "changes)"
    assert lines["Case"] == f"{start} none recorded"  # no registry record to check
    assert ("Registry last checked 2026-10-01 to 2026-12-02; 2 trials not checked since the "
            "window began: sync the list first.") in markdown
    html = export_bytes(library, LIST, "html", now=NOW).decode()
    assert "registry last checked 2026-10-01 to 2026-12-02; 2 trials not checked" in html
    assert "the registry was last checked on 2026-10-01" in html


def test_the_export_warning_about_one_trial_says_its_changes():
    """A reviewer read '1 trial of 1 … were … their changes'."""
    from tracker.domain import Trial
    from tracker.services.exports.registry_checks import export_warning

    stale = Trial(id="NCT02993523", registry_state="found",
                  last_synced_at=dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    assert export_warning([stale], dt.date(2026, 11, 5), "JC") == (
        "note: 1 trial of 1 in 'JC' was not checked with the registry since 2026-11-05, so its "
        "changes may be missing; run `tracker sync --watchlist 'JC'` first")


def test_export_warns_when_changes_may_be_missing(library, tmp_path, capsys):
    code, out, err = run(capsys, "--data-dir", str(tmp_path), "export", "--watchlist", LIST,
                         "--format", "md", "-o", str(tmp_path / "jc.md"))
    assert code == 0 and out.startswith("wrote ")
    assert err.strip() == (
        "tracker export: note: 2 trials of 4 in 'Heme JC' were not checked with the registry "
        "since 2026-11-05, so their changes may be missing; run `tracker sync --watchlist "
        "'Heme JC'` first")
    code, _out, err = run(capsys, "--data-dir", str(tmp_path), "export", "--watchlist", LIST,
                          "--format", "ris", "-o", str(tmp_path / "jc.ris"))
    assert code == 0 and err == ""  # citations carry no changes
