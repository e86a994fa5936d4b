"""Where the library is, and what is there, in real subprocesses on real files: a device, a
named pipe or a socket where library.sqlite3 should be, or a data folder that is a device.
Each is one line and exit 1, never a traceback and never a hang, and a note being added is
kept."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.unit.test_library_failures import VIALE_A, _env, assert_one_line, tracker
from tracker.services.recovery import RECOVERY_FILE_NAME
from tracker.store import LIBRARY_FILE_NAME


# -- a device, a named pipe or a socket where the library file should be -------------------
def _library_is(folder: Path, what: str) -> Path:
    folder.mkdir(mode=0o700)
    path = folder / LIBRARY_FILE_NAME
    if what == "device":
        path.symlink_to("/dev/zero")
    elif what == "fifo":
        os.mkfifo(path)
    else:
        with socket.socket(socket.AF_UNIX) as server:
            server.bind(str(path))
    return path


@pytest.mark.parametrize(("what", "words"), [
    ("device", "is a device (/dev/zero), not a file"),
    ("fifo", "is a named pipe, not a file"),
    ("socket", "is a socket, not a file"),
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
