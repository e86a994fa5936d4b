"""Regressions found in review: each test pins a user-visible behaviour that once broke."""

from __future__ import annotations

import json
import os
import sqlite3
import stat

import pytest
from pydantic import ValidationError

from tests.fakes.studies import make_study
from tests.unit.test_cli import run
from tracker.domain import Tag, Trial, is_nct_id
from tracker.services.browse import NoteDrafts
from tracker.services.sync_report import SyncReport


def test_a_failed_commit_is_rolled_back_so_later_saves_still_commit(empty_library):
    empty_library.trials.insert([Trial(id="NCT02993523")])
    conn = empty_library.database.conn
    refused = []

    def refuse_first_commit(action, arg1, *_):
        if action == sqlite3.SQLITE_TRANSACTION and arg1 == "COMMIT" and not refused:
            refused.append(arg1)
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    conn.set_authorizer(refuse_first_commit)
    with pytest.raises(sqlite3.DatabaseError):
        empty_library.notes.add("NCT02993523", "lost with its failed commit")
    conn.set_authorizer(None)
    assert not conn.in_transaction
    empty_library.notes.add("NCT02993523", "saved")
    other = sqlite3.connect(empty_library.path)
    assert [r[0] for r in other.execute("SELECT body FROM notes")] == ["saved"]
    other.close()


def test_note_drafts_survive_an_emptied_note_and_a_rekey(empty_library):
    empty_library.trials.insert([Trial(id="NCT02993523")])
    drafts = NoteDrafts(empty_library)
    first = drafts.save("NCT02993523", None, "d1", "first draft")
    assert drafts.save("NCT02993523", first.id, "d1", "") is None  # emptied: removed
    again = drafts.save("NCT02993523", first.id, "d1", "rewritten: CR 82% at 2y")
    assert [n.body for n in empty_library.notes.for_trial("NCT02993523")] == [again.body]
    empty_library.trials.rekey("NCT02993523", "NCT99999999")
    drafts.save("NCT02993523", None, "d2", "typed while the sync re-keyed the trial")
    assert len(empty_library.notes.for_trial("NCT99999999")) == 2


def test_a_note_typed_for_a_trial_another_program_removed_goes_to_the_recovery_file(
        empty_library):
    from tracker.services.browse import NoteNotSavedError

    empty_library.trials.insert([Trial(id="NCT02993523")])
    drafts = NoteDrafts(empty_library)
    note = drafts.save("NCT02993523", None, "d1", "part A")
    empty_library.trials.delete("NCT02993523")  # as `tracker remove` in another process
    with pytest.raises(NoteNotSavedError) as caught:
        drafts.save("NCT02993523", note.id, "d1", "part A, part B typed after")
    assert "removed from the library" in str(caught.value) and not caught.value.retry
    assert "part A, part B typed after" in caught.value.recovery_path.read_text()


def test_ids_with_a_trailing_newline_are_not_ids():
    assert not is_nct_id("NCT04277637\n") and is_nct_id("NCT04277637")


def test_tags_cannot_hold_commas_the_window_splits_on():
    with pytest.raises(ValidationError, match="comma"):
        Tag(name="AML, unfit")


def test_sync_headline_counts_first_synced_trials_and_one_line_for_a_stop():
    report = SyncReport(requested=3, first_seen=["NCT1"], unchanged=["NCT2"],
                        not_checked=["NCT3"], error="boom")
    assert "1 synced for the first time" in report.headline()
    assert "1 not checked" in report.headline()
    lines = report.summary_lines()
    assert sum(line.startswith("  failed:") for line in lines) == 0
    assert not any("stopped" in line for line in lines)  # said once, by the caller
    assert "Trials updated before it stopped are saved" in report.stopped_text()


def test_cli_without_network_prints_one_plain_stop_line(capsys, _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    code, out, err = run(capsys, "--api-url", "http://127.0.0.1:9/api/v2", "sync")
    assert code == 1
    assert "failed:" not in out and "trials checked" not in out
    assert (out + err).count("The sync stopped") == 1
    assert "Nothing in your library was changed" in err and "Retrying" not in err


def test_not_found_is_shown_with_the_last_seen_status(capsys, ctgov_server, _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_study(make_study("NCT02993523", status="RECRUITING"))
    run(capsys, "--api-url", ctgov_server.base_url, "sync", "NCT02993523")
    ctgov_server.remove_study("NCT02993523")
    run(capsys, "--api-url", ctgov_server.base_url, "sync", "NCT02993523")
    _, out, _ = run(capsys, "show", "NCT02993523")
    assert "Not found in registry (last seen: Recruiting)" in out
    checked = next(line for line in out.splitlines() if "Last checked:" in line)
    assert checked.endswith("UTC (not found in the registry)")
    assert "Last synced:" not in out, "nothing was synced at that time"
    _, out, _ = run(capsys, "list", "--search", "NCT02993523")
    line = next(line for line in out.splitlines() if line.startswith("NCT02993523"))
    assert f"{'Not in registry':<23} " in line  # inside the status column: titles align


def test_blank_watch_list_names_are_refused(capsys):
    code, _, err = run(capsys, "watchlist", "create", "   ")
    assert code == 2 and "needs a name" in err


def test_exported_files_are_readable_by_colleagues(capsys, tmp_path):
    run(capsys, "watchlist", "create", "AML")
    run(capsys, "watchlist", "add", "AML", "NCT02993523")
    target = tmp_path / "aml.csv"
    assert run(capsys, "export", "--watchlist", "AML", "--format", "csv", "-o", str(target))[0] == 0
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
