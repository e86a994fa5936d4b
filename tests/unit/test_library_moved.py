"""A library file moved, deleted or replaced while a sync or an add runs: SQLite goes on writing
to the old file, so the run must not report success (real library file in tmp, loopback API v2
server; the file is moved from the run's progress callback or while the server is answering)."""

from __future__ import annotations

import json
import shutil
import threading
from pathlib import Path

import pytest

from tests.fakes.clients import fast_client
from tests.fakes.faults import Fault
from tests.fakes.studies import make_study
from tests.unit.test_cli import run
from tracker.domain import Trial
from tracker.services.registry import RegistryService
from tracker.services.sync import SyncService
from tracker.store import LIBRARY_FILE_NAME

IDS = ["NCT02993523", "NCT02242942", "NCT03701282"]
NEW = ["NCT06900101", "NCT06900102"]


@pytest.fixture
def library(empty_library):
    empty_library.trials.insert([Trial(id=i, brief_title=f"Trial {i}") for i in IDS])
    return empty_library


@pytest.fixture
def server(ctgov_server):
    ctgov_server.put_studies([make_study(i, last_update="2024-06-01") for i in [*IDS, *NEW]])
    return ctgov_server


def _move(path: Path) -> None:
    path.rename(path.with_name("moved.sqlite3"))


def _delete(path: Path) -> None:
    path.unlink()


def _replace(path: Path) -> None:
    moved = path.with_name("moved.sqlite3")
    path.rename(moved)
    shutil.copyfile(moved, path)  # another file (another inode) where the library was


def _after_first_batch(action, path: Path):
    """A progress callback that does `action(path)` once the run has written something."""
    done_once = []

    def progress(done: int, total: int) -> None:
        if done and not done_once:
            done_once.append(done)
            action(path)

    return progress


def test_the_library_knows_when_its_file_is_no_longer_at_its_path(library):
    assert library.still_at_its_path()
    _move(library.path)
    assert not library.still_at_its_path()
    library.path.with_name("moved.sqlite3").rename(library.path)  # moved back: the same file
    assert library.still_at_its_path()


@pytest.mark.parametrize(("action", "what"), [(_move, "was moved or deleted"),
                                              (_delete, "was moved or deleted"),
                                              (_replace, "was replaced by another file")])
def test_a_sync_whose_library_file_left_its_path_reports_an_error(library, server, action,
                                                                 what):
    path = library.path
    with fast_client(server, ids_per_request=1) as client:
        report = SyncService(library, client).sync(progress=_after_first_batch(action, path))
    assert len(report.first_seen) == 3  # the registry's answers were all applied ...
    assert not report.ok and report.library_left  # ... but not to the file at the path
    assert report.error == (f"the library file {path} {what} while syncing, so this sync's "
                            "changes were not saved there; open the library where it is now, "
                            "or sync again")
    assert report.stopped_text() == report.error[0].upper() + report.error[1:] + "."
    assert "\n" not in report.stopped_text()


def test_a_sync_that_kept_its_file_reports_no_such_error(library, server):
    with fast_client(server, ids_per_request=1) as client:
        report = SyncService(library, client).sync(progress=_after_first_batch(
            lambda path: None, library.path))
    assert report.ok and not report.library_left and report.error is None


def test_an_add_whose_library_file_was_moved_reports_an_error(library, server):
    with fast_client(server, ids_per_request=1) as client:
        report = RegistryService(library, client).add(
            NEW, progress=_after_first_batch(_move, library.path))
    assert report.added == NEW
    assert not report.ok and report.library_left
    assert report.error.startswith(f"the library file {library.path} was moved or deleted "
                                   "while adding trials, so the trials added were not saved")
    assert report.error.endswith("open the library where it is now, or add them again")


def _move_while_answering(server, path: Path) -> threading.Thread:
    """Move the library file while the server holds its first answer back (SLOW)."""
    server.inject(Fault.SLOW, times=1, delay=0.5)

    def mover() -> None:
        while not server.requests:
            threading.Event().wait(0.01)
        _move(path)

    thread = threading.Thread(target=mover, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize("command", [["sync"], ["add", *NEW]])
def test_the_cli_exits_non_zero_with_one_line_when_the_file_moved(capsys, server, command,
                                                                  _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    assert run(capsys, "--api-url", server.base_url, "add", IDS[0])[0] == 0
    path = _isolated_data_dir / LIBRARY_FILE_NAME
    server.clear_log()
    mover = _move_while_answering(server, path)
    code, _out, err = run(capsys, "--api-url", server.base_url, *command)
    mover.join(timeout=5)
    assert code == 1
    expected = {"sync": ("syncing", "this sync's changes", "sync again"),
                "add": ("adding trials", "the trials added", "add them again")}
    doing, lost, again = expected[command[0]]
    lines = [line for line in err.splitlines() if "was moved or deleted" in line]
    line = (f"tracker: The library file {path} was moved or deleted while {doing}, so {lost} "
            f"were not saved there; open the library where it is now, or {again}.")
    assert lines == [line]


def test_a_thread_opening_its_first_connection_after_a_move_creates_no_empty_library(
        tmp_path):
    """The window's worker threads open their connections lazily: one first used after the
    file moved must not create an empty file at the old path (which the next start would
    seed as a new library) nor read another file; it says what happened."""
    import threading

    from tracker.domain.errors import LibraryError
    from tracker.domain import Trial
    from tracker.store import Library

    path = tmp_path / "library.sqlite3"
    library = Library(path)
    library.trials.insert([Trial(id="NCT04000001", brief_title="kept")])
    library.database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # all of it in the file
    path.rename(tmp_path / "moved.sqlite3")
    caught: list[BaseException] = []

    def read() -> None:
        try:
            library.trials.count()
        except LibraryError as error:
            caught.append(error)

    worker = threading.Thread(target=read)
    worker.start()
    worker.join()
    library.close()
    assert not path.exists()
    assert len(caught) == 1 and "was moved, deleted or replaced" in str(caught[0])
    assert "open the library where it is now" in str(caught[0])
    assert Library(tmp_path / "moved.sqlite3").trials.count() == 1


def _discovery_with_two_searches(library, client):
    """A discovery service over `library` with two saved searches (the defaults removed)."""
    from tracker.domain.searches import SavedSearch, SearchCriteria
    from tracker.services.discovery import DiscoveryService

    service = DiscoveryService(library, client)
    for search in service.searches.all():
        service.searches.remove(search.name)
    for name, drug in (("Ven", "venetoclax"), ("Sonro", "sonrotoclax")):
        service.searches.add(SavedSearch(name=name, criteria=SearchCriteria(intervention=drug)))
    return service


@pytest.fixture
def found(ctgov_server):
    from tests.fakes.filters import posted_study

    ctgov_server.put_studies([
        posted_study(make_study("NCT06900201", interventions=("Venetoclax",)), "2025-01-10"),
        posted_study(make_study("NCT06900202", interventions=("Sonrotoclax",)), "2025-01-11")])
    return ctgov_server


@pytest.mark.parametrize(("action", "what"), [(_move, "was moved or deleted"),
                                              (_delete, "was moved or deleted"),
                                              (_replace, "was replaced by another file")])
def test_a_saved_search_check_whose_library_file_left_its_path_says_not_saved(
        empty_library, found, action, what):
    """The file leaves its path after the first search's findings were written (to the file
    opened, not to the one at the path): the check asks no more and must not report
    success."""
    path = empty_library.path
    with fast_client(found) as client:
        service = _discovery_with_two_searches(empty_library, client)
        report = service.check(progress=_after_first_batch(action, path))
    assert [s.name for s in report.searches] == ["Ven"]  # the second was not asked for
    assert len(found.requests) == 1 and not report.ok
    assert report.library_left == (
        f"the library file {path} {what} while checking saved searches, so this check's "
        "findings were not saved there; open the library where it is now, or check again")
    assert report.headline() == report.library_left_sentence()
    assert report.library_left_sentence().startswith("The library file ")
    assert all("Checked" not in line for line in report.lines())  # no success line
    if action is _delete:
        assert not path.exists()  # no empty library made where the old one was


def test_a_saved_search_check_that_kept_its_file_reports_success(empty_library, found):
    with fast_client(found) as client:
        report = _discovery_with_two_searches(empty_library, client).check(
            progress=_after_first_batch(lambda path: None, empty_library.path))
    assert report.ok and report.library_left == ""
    assert report.lines()[-1].startswith("Checked 2 saved searches: 2 new in the inbox")


def test_the_cli_check_says_not_saved_when_the_file_moved_during_it(capsys, found,
                                                                   _isolated_data_dir):
    """`tracker searches check` with the library file moved while the registry holds its
    answer: exit 1, one line saying what happened and what to do, no success line, and no
    library made where the old one was (the moved file has the findings)."""
    from tracker.services.discovery import DiscoveryService
    from tracker.store import Library

    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        run(capsys, "searches", "rm", name, "--yes")
    run(capsys, "searches", "add", "Ven", "--intervention", "venetoclax")
    path = _isolated_data_dir / LIBRARY_FILE_NAME
    found.clear_log()
    mover = _move_while_answering(found, path)
    code, out, err = run(capsys, "--api-url", found.base_url, "searches", "check")
    mover.join(timeout=5)
    assert code == 1
    line = (f"tracker: The library file {path} was moved or deleted while checking saved "
            "searches, so this check's findings were not saved there; open the library where "
            "it is now, or check again.")
    assert [e for e in err.splitlines() if "library file" in e] == [line]
    assert "Checked" not in out and "Traceback" not in err
    assert not path.exists()
    moved = Library(path.with_name("moved.sqlite3"))  # the library, where it is now
    assert [s.name for s in DiscoveryService(moved).searches.all()] == ["Ven"]
    moved.close()


def test_a_check_cancelled_after_its_file_moved_still_says_not_saved(empty_library, found):
    """Cancelled and moved: the cancel does not hide that what the check wrote is not in the
    file at the library's path."""
    import threading

    path = empty_library.path
    cancel = threading.Event()
    after_first = _after_first_batch(_move, path)

    def move_then_cancel(done, total):
        after_first(done, total)
        if done == 1:
            cancel.set()

    with fast_client(found) as client:
        report = _discovery_with_two_searches(empty_library, client).check(
            progress=move_then_cancel, cancel=cancel)
    assert report.cancelled and not report.ok
    assert report.library_left.startswith(f"the library file {path} was moved or deleted")
