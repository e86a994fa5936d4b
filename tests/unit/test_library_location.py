"""Where the library is, and what is there, in real subprocesses on real files: a data folder
that is a symbolic link looping back on itself (or is inside one), a device, a named pipe or
a socket where library.sqlite3 should be, and an empty (0-byte) library.sqlite3. Each is one
line and exit 1, never a traceback and never a hang, and a note being added is kept."""

from __future__ import annotations

import hashlib
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_library_failures import (  # noqa: F401 (fixtures)
    VIALE_A,
    _env,
    assert_one_line,
    data_dir,
    prepared_library,
    tracker,
)
from tracker.paths import resolve_data_dir
from tracker.services.library import open_library
from tracker.services.recovery import RECOVERY_FILE_NAME
from tracker.store import LIBRARY_FILE_NAME

LOOP = "is a symbolic link that loops back on itself"


def _recovered(tmp_path: Path) -> str:
    """The temporary folder's recovery file, as `_env` sets TMPDIR for the subprocess."""
    found = list((tmp_path / "tmp").glob(f"trial-tracker-*-{RECOVERY_FILE_NAME}"))
    return found[0].read_text(encoding="utf-8") if found else ""


@pytest.fixture
def loop(tmp_path) -> Path:
    """loop1 -> loop2 -> loop1."""
    (tmp_path / "loop1").symlink_to("loop2")
    (tmp_path / "loop2").symlink_to("loop1")
    return tmp_path / "loop1"


# -- F1: a data folder that is a symbolic link loop -----------------------------------------
def test_a_data_dir_that_loops_is_one_line_and_the_note_is_kept(loop, tmp_path):
    result = tracker(loop, "note", VIALE_A, "LOOPNOTE", "keep me", env=_env(tmp_path))
    line = assert_one_line(result, f"the data folder {loop} {LOOP}", "choose another --data-dir",
                           "The note was NOT saved; it is kept in")
    assert line.startswith("tracker note: ")
    assert "LOOPNOTE keep me" in _recovered(tmp_path)


def test_a_data_dir_inside_a_loop_names_the_loop(loop, tmp_path):
    result = tracker(loop / "sub", "note", VIALE_A, "LOOPNOTE", env=_env(tmp_path))
    assert_one_line(result, f"the data folder {loop / 'sub'} is inside {loop}, a symbolic link",
                    "choose another --data-dir", "kept in")
    assert "LOOPNOTE" in _recovered(tmp_path)


@pytest.mark.parametrize("command", [["list"], ["doctor"], ["show", VIALE_A]])
def test_a_data_dir_that_loops_in_the_environment_is_one_line(loop, tmp_path, command):
    env = {**_env(tmp_path), "TRACKER_DATA_DIR": str(loop)}  # _env drops the variable
    result = subprocess.run([sys.executable, "-m", "tracker", *command], check=False,
                            capture_output=True, text=True, env=env, timeout=120)
    assert_one_line(result, LOOP)


def test_resolving_a_loop_does_not_raise(loop, monkeypatch):
    """Path.resolve raises RuntimeError for a loop on Python 3.11 (OSError on 3.13)."""
    assert resolve_data_dir(loop) == loop
    monkeypatch.setenv("TRACKER_DATA_DIR", str(loop / "sub"))
    assert resolve_data_dir() == loop / "sub"


# -- F10: a device, a named pipe, a socket or a loop where the library file should be -------
def _library_is(folder: Path, what: str) -> Path:
    folder.mkdir(mode=0o700)
    path = folder / LIBRARY_FILE_NAME
    if what == "device":
        path.symlink_to("/dev/zero")
    elif what == "fifo":
        os.mkfifo(path)
    elif what == "loop":
        path.symlink_to(LIBRARY_FILE_NAME)
    else:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
    return path


@pytest.mark.parametrize(("what", "words"), [
    ("device", "is a device (/dev/zero), not a file"),
    ("fifo", "is a named pipe, not a file"),
    ("socket", "is a socket, not a file"),
    ("loop", LOOP),
])
def test_a_library_that_is_not_a_file_is_named_for_what_it_is(tmp_path, what, words):
    path = _library_is(tmp_path / "data", what)
    result = tracker(path.parent, "note", VIALE_A, "not lost", env=_env(tmp_path))
    line = assert_one_line(result, f"the library {path} {words}", "choose another --data-dir",
                           "kept in")
    assert "disk I/O" not in line and "mounted" not in line
    assert "not lost" in (path.parent / RECOVERY_FILE_NAME).read_text(encoding="utf-8")


def test_a_named_pipe_as_the_library_never_waits_for_a_writer(tmp_path):
    path = _library_is(tmp_path / "data", "fifo")
    result = subprocess.run([sys.executable, "-m", "tracker", "--data-dir", str(path.parent),
                             "doctor"], check=False, capture_output=True, text=True,
                            env=_env(tmp_path), timeout=30)  # a pipe opened to read blocks
    assert_one_line(result, "is a named pipe, not a file")


def test_a_data_dir_that_is_a_device_says_so(tmp_path):
    result = tracker("/dev/null", "list", env=_env(tmp_path))
    assert_one_line(result, "the data folder /dev/null is a device, not a folder")


# -- F7: an empty (0-byte) library file -----------------------------------------------------
def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_an_empty_library_with_a_backup_beside_it_is_refused_untouched(data_dir, tmp_path):
    library = data_dir / LIBRARY_FILE_NAME
    backup = data_dir / "library.schema16.bak.sqlite3"
    library.rename(backup)
    library.touch()
    before = _digest(backup)
    result = tracker(data_dir, "note", VIALE_A, "EMPTYNOTE", env=_env(tmp_path))
    line = assert_one_line(result, f"the library {library} is empty (0 bytes)", "left untouched",
                           "library.schema16.bak.sqlite3", "run `tracker doctor`", "kept in")
    assert library.stat().st_size == 0 and _digest(backup) == before
    assert sorted(p.name for p in data_dir.iterdir()) == [
        "library.schema16.bak.sqlite3", LIBRARY_FILE_NAME, RECOVERY_FILE_NAME]
    assert "EMPTYNOTE" in (data_dir / RECOVERY_FILE_NAME).read_text(encoding="utf-8")
    assert "a new library" in line  # how to start afresh instead, if that is what is wanted

    doctor = tracker(data_dir, "doctor", env=_env(tmp_path))
    assert "(0 bytes)" in doctor.stdout and "backup: library.schema16.bak.sqlite3" in doctor.stdout
    advice = assert_one_line(doctor, "restore a backup: copy library.schema16.bak.sqlite3 "
                             "(newest) over library.sqlite3")
    assert "run `tracker doctor`" not in doctor.stdout + advice
    assert library.stat().st_size == 0


def _wal_only(data_dir: Path) -> Path:
    """A library whose last changes are still in its -wal file, then truncated to 0 bytes
    (a failed copy): what the -wal holds cannot be read without the rest."""
    library = data_dir / LIBRARY_FILE_NAME
    conn = sqlite3.connect(library, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("UPDATE notes SET body = 'changed'")
    conn.execute("INSERT INTO meta (key, value) VALUES ('x', 'y')")
    wal = Path(f"{library}-wal").read_bytes()  # closing would checkpoint it away
    conn.close()
    Path(f"{library}-wal").write_bytes(wal)
    library.write_bytes(b"")
    return library


def test_an_empty_library_with_a_live_wal_is_refused_and_the_wal_kept(data_dir, tmp_path):
    library = _wal_only(data_dir)
    wal = Path(f"{library}-wal")
    before = _digest(wal)
    result = tracker(data_dir, "list", env=_env(tmp_path))
    assert_one_line(result, "is empty (0 bytes)", "library.sqlite3-wal beside it holds",
                    "restore your own backup")
    doctor = tracker(data_dir, "doctor", env=_env(tmp_path))
    assert_one_line(doctor, "no backup (*.bak*) was found", "after moving library.sqlite3-wal")
    assert library.stat().st_size == 0 and _digest(wal) == before  # SQLite would delete it


def test_an_empty_library_with_nothing_beside_it_starts_afresh_and_says_so_once(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    (folder / LIBRARY_FILE_NAME).touch()
    first = tracker(folder, "list", env=_env(tmp_path))
    assert first.returncode == 0 and "Traceback" not in first.stderr
    said = [line for line in first.stderr.splitlines() if "was empty (0 bytes)" in line]
    assert len(said) == 1 and "a new library was started" in said[0]
    again = tracker(folder, "list", env=_env(tmp_path))
    assert again.returncode == 0 and "empty" not in again.stderr


def test_the_first_start_is_silent(tmp_path):
    result = tracker(tmp_path / "new", "list", env=_env(tmp_path))
    assert result.returncode == 0
    assert result.stderr.strip().endswith("trials") and "\n" not in result.stderr.strip()


def test_a_first_start_interrupted_while_creating_the_file_is_not_stuck(tmp_path):
    """A crash between creating library.sqlite3 and SQLite's first write leaves 0 bytes (and
    at most an empty -wal); one a little later leaves a header with no schema. Both open."""
    for name, make in (("zero", lambda path: path.touch()), ("header", _header_only)):
        folder = tmp_path / name
        folder.mkdir()
        make(folder / LIBRARY_FILE_NAME)
        Path(f"{folder / LIBRARY_FILE_NAME}-wal").touch()
        library = open_library(folder)
        assert library.trials.count() > 100
        assert (library.database.notice is None) == (name == "header")
        library.close()


def _header_only(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")  # writes the first page: the header
    conn.close()
    assert path.stat().st_size > 0


# -- a folder, or no permission, where the library should be -------------------------------
def test_a_folder_as_the_library_is_named_for_what_it_is(tmp_path):
    (tmp_path / "data" / LIBRARY_FILE_NAME).mkdir(parents=True)
    result = tracker(tmp_path / "data", "list", env=_env(tmp_path))
    assert_one_line(result, "library.sqlite3 is a folder, not a file", "choose another --data-dir")


def _without_root_override() -> list[str]:
    """The command prefix that makes permissions apply (root overrides them otherwise)."""
    if os.geteuid() != 0:
        return []
    setpriv = shutil.which("setpriv")
    prefix = [setpriv or "setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner",
              "--inh-caps=-all"]
    if setpriv is None or subprocess.run([*prefix, "true"], check=False).returncode != 0:
        pytest.skip("running as root, and setpriv cannot drop root's file override here")
    return prefix


@pytest.mark.parametrize(("locked", "data", "words"), [
    ("above", "above/data", "the data folder {data} cannot be reached (Permission denied)"),
    ("data", "data", "the library {data}/library.sqlite3 cannot be reached (Permission denied)"),
    ("data/library.sqlite3", "data",
     "the library {data}/library.sqlite3 cannot be read (Permission denied)"),
])
def test_no_permission_on_the_way_is_one_line_and_the_note_is_kept(prepared_library, tmp_path,
                                                                   locked, data, words):
    prefix = _without_root_override()
    folder = tmp_path / data
    folder.mkdir(parents=True)
    shutil.copy(prepared_library, folder / LIBRARY_FILE_NAME)
    (tmp_path / locked).chmod(0)
    try:
        result = subprocess.run([*prefix, sys.executable, "-m", "tracker", "--data-dir",
                                 str(folder), "note", VIALE_A, "PERMNOTE"], check=False,
                                capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    finally:
        (tmp_path / locked).chmod(0o700)
    assert_one_line(result, words.format(data=folder), "check", "choose another --data-dir",
                    "NOT saved; it is kept in")
