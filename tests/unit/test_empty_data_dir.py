"""An empty --data-dir or TRACKER_DATA_DIR is refused in one line (exit 2) instead of
silently opening the default user library (real subprocess, HOME in tmp_path)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _run(tmp_path, args, **env_extra) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "TRACKER_DATA_DIR"}
    env.update(HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "xdg"), **env_extra)
    return subprocess.run([sys.executable, "-m", "tracker", *args], capture_output=True,
                          text=True, env=env, timeout=120, cwd=tmp_path)


@pytest.mark.parametrize("args", [["--data-dir", "", "list"], ["list", "--data-dir", ""]])
def test_an_empty_data_dir_option_is_refused(tmp_path, args):
    done = _run(tmp_path, args)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip() == ("tracker: --data-dir is empty: give a folder, or leave the "
                                   "option out to use $TRACKER_DATA_DIR or the default library")
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_an_empty_environment_variable_is_refused(tmp_path):
    done = _run(tmp_path, ["list"], TRACKER_DATA_DIR="")
    assert done.returncode == 2 and "TRACKER_DATA_DIR is set but empty" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "xdg").exists() and not (tmp_path / "home").exists()


def test_an_explicit_data_dir_wins_over_an_empty_variable(tmp_path):
    done = _run(tmp_path, ["--data-dir", str(tmp_path / "d"), "list"], TRACKER_DATA_DIR="")
    assert done.returncode == 0 and (tmp_path / "d" / "library.sqlite3").exists()
