"""A status code this build's vocabulary does not list is kept (the registry adds codes) but is
flagged wherever a status is shown: it may as well have come from a made-up file."""

from __future__ import annotations

import json

import pytest

from tests.unit.test_cli import run
from tests.unit.test_exports import GOLDEN
from tracker.domain.changes import FieldChange
from tracker.domain.enums import Phase, RegistryStatus

FLAGGED = "Exploded (unrecognised status, registry code EXPLODED)"
BOOM = "NCT09990042"


def test_an_unlisted_status_is_flagged_by_its_label_and_a_listed_one_is_not():
    assert RegistryStatus("EXPLODED").label == FLAGGED
    assert RegistryStatus("ACTIVE_NOT_RECRUITING").label == "Active not recruiting"
    assert Phase("PHASE9").label == "Phase9 (registry code PHASE9)"  # not a status


def test_a_status_change_to_an_unlisted_code_is_flagged_in_the_change_log():
    import datetime as dt

    change = FieldChange(trial_id=BOOM, field="overall_status", old="RECRUITING",
                         new="EXPLODED", significance="major",
                         seen_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    assert change.describe() == f"status: Recruiting → {FLAGGED}"
    assert change.marker() == "now exploded (unrecognised status, registry code EXPLODED)"


@pytest.fixture
def boom_file(tmp_path):
    """A list file (as the previous build wrote it) whose first trial, new to the library,
    the registry is said to have called FIZZLED, then EXPLODED."""
    data = json.loads((GOLDEN / "cll-december.json").read_text())
    trial = data["trials"][0]
    trial.update(id=BOOM, acronym="BOOM", status="EXPLODED", registry_state="found",
                 last_synced_at="2026-11-25T09:30:00Z")
    trial["status_history"] = [
        {"old_status": None, "new_status": "FIZZLED", "seen_at": "2026-11-20T09:30:00Z"},
        {"old_status": "FIZZLED", "new_status": "EXPLODED", "seen_at": "2026-11-25T09:30:00Z"}]
    path = tmp_path / "boom.json"
    path.write_text(json.dumps(data))
    return path


def test_an_imported_unlisted_status_is_flagged_in_show_list_and_handouts(capsys, boom_file,
                                                                           tmp_path):
    code, _out, err = run(capsys, "import", str(boom_file))
    assert code == 0, err
    _code, out, _err = run(capsys, "show", BOOM)
    assert f"Status:              {FLAGGED}" in out
    fizzled = "Fizzled (unrecognised status, registry code FIZZLED)"
    assert f"status: {fizzled} → {FLAGGED}" in out  # its change log
    assert "first seen as fizzled (unrecognised status, registry code FIZZLED)" in out
    _code, out, _err = run(capsys, "list")
    assert FLAGGED in next(line for line in out.splitlines() if line.startswith(BOOM))
    handout = tmp_path / "handout.md"
    code, _out, err = run(capsys, "export", "--watchlist", "CLL – December", "--format", "md",
                          "-o", str(handout))
    assert code == 0, err
    assert FLAGGED in handout.read_text()


def test_a_trial_last_seen_with_an_unlisted_status_keeps_the_code_as_written():
    import datetime as dt

    from tracker.domain import Trial
    from tracker.services.registry_listing import left_the_registry

    trial = Trial(id=BOOM, status="EXPLODED", registry_state="found")
    change = left_the_registry(trial, dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    assert change.describe() == ("no longer found in the registry (last seen as exploded "
                                 "(unrecognised status, registry code EXPLODED))")


_NOT_A_CODE = ("is not a registry status code (capital letters, digits and underscores, at most "
               "40 characters, such as RECRUITING)")


@pytest.mark.parametrize("change,message", [
    (lambda t: t.update(status="<b>Recruiting</b>"),
     f"trials[0].status: '<b>Recruiting</b>' {_NOT_A_CODE}"),
    (lambda t: t.update(status="R" * 41), f"trials[0].status: '{'R' * 40}…' {_NOT_A_CODE}"),
    (lambda t: t.update(last_known_status="recruiting"),
     f"trials[0].last_known_status: 'recruiting' {_NOT_A_CODE}"),
    (lambda t: t["status_history"][0].update(new_status="A STATUS"),
     f"trials[0].status_history[0].new_status: 'A STATUS' {_NOT_A_CODE}"),
    (lambda t: t["status_history"][0].update(old_status=7),
     ("trials[0].status_history[0].old_status: should be a registry status code (text), "
      "not a number")),
    (lambda t: t.update(changes=[{"field": "overall_status", "old": "RECRUITING",
                                  "new": "<script>", "significance": "major",
                                  "seen_at": "2026-11-25T09:30:00Z"}]),
     "trials[0].changes[0].field: statuses travel in status_history, not in changes"),
])
def test_an_import_refuses_a_status_that_is_not_code_shaped_in_one_line(tmp_path, change,
                                                                        message):
    """Any code-shaped status is kept (and flagged); markup, sentences, long strings and other
    types are refused, saying what a status code is (pydantic listed the known codes alone,
    as if EXPLODED were refused too, and quoted a value of any length)."""
    from tracker.services.importer import ImportFileError, read_exchange_file

    data = json.loads((GOLDEN / "cll-december.json").read_text())
    change(data["trials"][0])
    path = tmp_path / "hostile.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ImportFileError) as caught:
        read_exchange_file(path)
    assert str(caught.value) == f"{path}: {message}"
