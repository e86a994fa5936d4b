"""Saved searches from before 'a search without statuses follows open studies only': the
upgrade lists them, the CLI names them once (and the window: tests/ui/test_inbox_window.py),
and `tracker searches edit NAME --all-statuses` widens them again."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.unit.test_cli import run
from tracker.store import LIBRARY_FILE_NAME, Library
from tracker.store.discovery import SavedSearchRepository
from tracker.store.discovery_schema import BEFORE_OPEN_SCOPE
from tracker.store.migrations import migrate

SHIPPED_KEPT = ["BCL-2 inhibitors: CLL/SLL", "BCL-2 inhibitors: AML"]


def _library_at(path, version: int) -> None:
    """A library file as a build at schema `version` left it: two of the shipped searches
    (from 7 on) and, where it had saved searches, one of the user's without statuses and one
    with."""
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=version)
    if version >= 7:
        conn.execute("DELETE FROM saved_searches WHERE position > 1")
        conn.execute(
            "INSERT INTO saved_searches (name, criteria, position, created_at) VALUES "
            "('Sonro MCL', '{\"intervention\": \"sonrotoclax\"}', 5, '2026-11-01'), "
            "('Recruiting AML', '{\"condition\": \"AML\", \"statuses\": [\"RECRUITING\"]}', "
            "6, '2026-11-01')")
    conn.close()


def _narrowed(path) -> list[str]:
    library = Library(path)
    try:
        return [s.name for s in SavedSearchRepository(library.database).narrowed_by_open_scope()]
    finally:
        library.close()


def test_the_rule_came_with_schema_10():
    assert BEFORE_OPEN_SCOPE == range(7, 10)


@pytest.mark.parametrize("version", [7, 8, 9])
def test_an_upgrade_from_before_the_rule_lists_the_searches_without_statuses(tmp_path,
                                                                            version):
    path = tmp_path / LIBRARY_FILE_NAME
    _library_at(path, version)
    assert _narrowed(path) == [*SHIPPED_KEPT, "Sonro MCL"]  # not 'Recruiting AML'


@pytest.mark.parametrize("version", [0, 6, 10, 14])
def test_a_new_library_or_one_made_under_the_rule_lists_none(tmp_path, version):
    """0: a new file; 6: the shipped searches come with this upgrade, under the rule; 10 and
    later: made by builds that had the rule."""
    path = tmp_path / LIBRARY_FILE_NAME
    if version:
        _library_at(path, version)
    assert _narrowed(path) == []


@pytest.fixture
def old_library(_isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    _library_at(_isolated_data_dir / LIBRARY_FILE_NAME, 9)
    return _isolated_data_dir


NOTE = ("note: 3 saved searches now follow open studies only (not completed, terminated, "
        "withdrawn or of unknown status): saved before this version without statuses, they "
        "followed every status until now: 'BCL-2 inhibitors: CLL/SLL', 'BCL-2 inhibitors: AML',"
        " 'Sonro MCL'; to follow every status again: tracker searches edit NAME --all-statuses "
        "(several names at once are fine)")


def _notes(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("note:")]


def test_the_cli_names_the_narrowed_searches_once(capsys, old_library):
    code, out, err = run(capsys, "inbox", "--json")
    assert code == 0 and json.loads(out) == []  # stdout stays JSON: the note is on stderr
    assert _notes(err) == [NOTE]
    run(capsys, "searches", "add", "New one", "--term", "venetoclax")  # after the upgrade
    for command in (["inbox"], ["searches", "ls"], ["inbox", "--json"]):
        code, _out, err = run(capsys, *command)  # each run opens the library afresh
        assert code == 0 and _notes(err) == []
    meta = Library(old_library / LIBRARY_FILE_NAME)
    assert meta.meta.get("open_scope_notice_shown")  # remembered in the library
    meta.close()


def test_a_search_widened_before_the_notice_is_not_named(capsys, old_library):
    code, out, err = run(capsys, "searches", "edit", "Sonro MCL", "BCL-2 inhibitors: AML",
                         "--all-statuses")
    assert code == 0
    assert out.splitlines() == [
        "Sonro MCL: intervention: sonrotoclax · all statuses (the next check takes its whole "
        "current result set again)",
        "BCL-2 inhibitors: AML: condition: \"acute myeloid leukemia\" · intervention: "
        "venetoclax OR sonrotoclax OR lisaftoclax OR BGB-11417 OR APG-2575 OR ABT-199 · all "
        "statuses · interventional (the next check takes its whole current result set again)"]
    assert _notes(err) == [
        "note: 1 saved search now follows open studies only (not completed, terminated, "
        "withdrawn or of unknown status): saved before this version without statuses, it "
        "followed every status until now: 'BCL-2 inhibitors: CLL/SLL'; to follow every "
        "status again: tracker searches edit NAME --all-statuses (several names at once are "
        "fine)"]


def test_searches_edit_widens_narrows_and_checks_names_first(capsys, old_library,
                                                              ctgov_server):
    code, _out, err = run(capsys, "searches", "edit", "Sonro MCL")
    assert code == 2 and "tracker searches edit: say which statuses to follow: " \
        "--all-statuses, --status S (repeat for several) or --open-only" in err
    code, _out, err = run(capsys, "searches", "edit", "Sonro MCL", "Nope", "--all-statuses")
    assert code == 1 and "no saved search named 'Nope'" in err
    assert "open studies" in [line for line in run(capsys, "searches", "ls")[1].splitlines()
                              if line.startswith("Sonro MCL")][0]  # nothing was changed
    assert run(capsys, "searches", "edit", "Sonro MCL", "--all-statuses")[0] == 0
    code, out, _ = run(capsys, "searches", "edit", "Sonro MCL", "--all-statuses")
    assert code == 0 and out.startswith("Sonro MCL: unchanged, intervention: sonrotoclax")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Sonro MCL":
            run(capsys, "searches", "pause", name)
    code, _out, _err = run(capsys, "--api-url", ctgov_server.base_url, "searches", "check")
    asked = [r.params for r in ctgov_server.requests if r.path.endswith("/studies")][0]
    assert code == 0 and set(asked["filter.overallStatus"].split("|")) == {
        "ACTIVE_NOT_RECRUITING", "COMPLETED", "ENROLLING_BY_INVITATION", "NOT_YET_RECRUITING",
        "RECRUITING", "SUSPENDED", "TERMINATED", "WITHDRAWN", "AVAILABLE",
        "NO_LONGER_AVAILABLE", "TEMPORARILY_NOT_AVAILABLE", "APPROVED_FOR_MARKETING",
        "WITHHELD", "UNKNOWN"}
    code, out, _ = run(capsys, "searches", "edit", "Sonro MCL", "--open-only")
    assert code == 0 and out.startswith("Sonro MCL: intervention: sonrotoclax · open studies")
    code, out, _ = run(capsys, "searches", "edit", "Recruiting AML", "--status", "completed",
                       "--status", "RECRUITING")
    assert code == 0 and "condition: AML · completed, recruiting" in out
