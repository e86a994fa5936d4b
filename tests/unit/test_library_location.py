"""Where the library is, and what is there, in real subprocesses on real files: a data folder
that is a symbolic link looping back on itself (or is inside one), and a device, a named pipe
or a socket where library.sqlite3 should be. Each is one line and exit 1, never a traceback
and never a hang, and a note being added is kept."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_library_failures import VIALE_A, _env, assert_one_line, tracker
from tracker.paths import resolve_data_dir
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
