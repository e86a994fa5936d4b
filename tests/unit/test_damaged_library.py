"""Damage the library's own words cannot hide: text columns with bytes that are not UTF-8
give the standard "damaged … run tracker doctor" line, and `tracker doctor` on a file too
damaged to open reports what SQLite finds and names the backups (real files, real CLI)."""

from __future__ import annotations

import shutil

import pytest

from tests.unit.test_library_failures import (  # noqa: F401 (fixtures)
    VIALE_A,
    _env,
    assert_one_line,
    data_dir,
    prepared_library,
    tracker,
)
from tracker.store import LIBRARY_FILE_NAME


@pytest.fixture
def scribbled(data_dir):
    """Bytes that are not UTF-8 written over words of the titles, pages otherwise intact."""
    path = data_dir / LIBRARY_FILE_NAME
    data = bytearray(path.read_bytes())
    for word in (b"Venetoclax", b"venetoclax", b"Azacitidine", b"azacitidine"):
        start = data.find(word)
        while start != -1:
            data[start:start + 4] = b"\xff\xfe\xff\xfe"
            start = data.find(word, start + 4)
    path.write_bytes(bytes(data))
    return data_dir


@pytest.mark.parametrize("args", [["list"], ["show", VIALE_A], ["list", "--json"]])
def test_text_that_is_not_utf8_is_reported_as_damage(scribbled, tmp_path, args):
    line = assert_one_line(tracker(scribbled, *args, env=_env(tmp_path)), "is damaged",
                           "tracker doctor", "not UTF-8 text")
    assert "Could not decode" not in line and "\ufffd" not in line


@pytest.mark.parametrize("size", [3000, 50_000])
def test_doctor_on_a_truncated_file_runs_its_checks_and_names_the_backup(data_dir, tmp_path,
                                                                         size):
    library = data_dir / LIBRARY_FILE_NAME
    shutil.copy(library, data_dir / "library.schema5-20261201T000000.bak.sqlite3")
    with library.open("r+b") as file:
        file.truncate(size)
    result = tracker(data_dir, "doctor", env=_env(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"({size:,} bytes)" in result.stdout and "integrity:" in result.stdout
    assert "malformed" in result.stdout
    assert "backup: library.schema5-20261201T000000.bak.sqlite3" in result.stdout
    line = assert_one_line(result, "cannot be opened", "restore a backup")
    assert "run `tracker doctor`" not in result.stdout + line
    assert library.stat().st_size == size  # doctor never writes to it


def test_doctor_on_a_file_that_is_not_sqlite_says_no_backup_was_found(data_dir, tmp_path):
    (data_dir / LIBRARY_FILE_NAME).write_bytes(b"SQLite format 3\x00" + b"\x00" * 34)
    result = tracker(data_dir, "doctor", env=_env(tmp_path))
    line = assert_one_line(result, "cannot be opened", "no backup (*.bak*) was found")
    assert "run `tracker doctor`" not in line
