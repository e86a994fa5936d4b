"""Tag and watch-list names are typeable text: no control or invisible characters, at most
64 / 120 characters, and bytes that are not UTF-8 get the same locale message as every other
command (real subprocess, real library file)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import pytest
from pydantic import ValidationError

from tracker.domain import Tag, WatchList
from tracker.services.library import open_library
from tracker.store import LIBRARY_FILE_NAME

VIALE_A = "NCT02993523"


@pytest.mark.parametrize("model", [Tag, WatchList])
@pytest.mark.parametrize("bad", ["a\x1b[31mb", "x\x9by", "zero\u200bwidth", "\ufeffbom",
                                 "a\x00b"])
def test_names_refuse_control_and_invisible_characters(model, bad):
    with pytest.raises(ValidationError, match="cannot contain control or invisible"):
        model(name=bad)


@pytest.mark.parametrize("bad", ["a\rb", "a\nb", "a\tb"])
def test_watch_list_names_refuse_line_breaks_and_tags_fold_them(bad):
    with pytest.raises(ValidationError, match="cannot contain control or invisible"):
        WatchList(name=bad)
    assert Tag(name=bad).name == "a b"  # a tag's white space always folded to one space


@pytest.mark.parametrize("model,limit", [(Tag, 64), (WatchList, 120)])
def test_names_have_a_length_limit(model, limit):
    assert model(name="x" * limit).name == "x" * limit
    with pytest.raises(ValidationError, match=f"at most {limit} characters"):
        model(name="x" * (limit + 1))


def test_joiners_inside_words_are_allowed():
    assert Tag(name="\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645").name.count("\u200c") == 1


def _tracker(data_dir, *args: bytes) -> subprocess.CompletedProcess:
    env = {**os.environ, "LC_ALL": "C.UTF-8"}
    return subprocess.run([sys.executable.encode(), b"-m", b"tracker", b"--data-dir",
                           str(data_dir).encode(), *args], capture_output=True, env=env,
                          timeout=120)


@pytest.mark.parametrize("args", [[b"tag", VIALE_A.encode(), b"a\xffb"],
                                  [b"watchlist", b"create", b"a\xffb"],
                                  [b"watchlist", b"create", b"a\x1bb"],
                                  [b"tag", VIALE_A.encode(), b"a\x1bb"],
                                  [b"watchlist", b"create", b"a\rb"]])
def test_the_cli_says_what_is_wrong_with_a_name_in_one_line(tmp_path, args):
    done = _tracker(tmp_path / "data", *args)
    err = done.stderr.decode()
    assert done.returncode == 2 and len(err.strip().splitlines()) == 1, err
    assert "Input should be" not in err and "unicode string" not in err and "Traceback" not in err
    assert ("is not valid UTF-8" in err and "check the terminal's encoding" in err) or \
        "cannot contain control or invisible characters" in err
    library = open_library(tmp_path / "data")
    try:
        assert library.watchlists.all() == [] and library.tags.for_trial(VIALE_A) == []
    finally:
        library.close()


def test_a_watch_list_saved_with_an_old_bad_name_stays_readable(tmp_path):
    library = open_library(tmp_path)
    library.watchlists.create("AML")
    library.close()
    with sqlite3.connect(tmp_path / LIBRARY_FILE_NAME) as conn:
        conn.execute("UPDATE watchlists SET name = 'A\x1bML'")
    conn.close()
    library = open_library(tmp_path)
    try:
        assert [w.name for w in library.watchlists.all()] == ["A\x1bML"]
        assert library.watchlists.update("A\x1bML", new_name="AML").name == "AML"
    finally:
        library.close()
