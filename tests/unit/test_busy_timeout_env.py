"""A TRACKER_BUSY_TIMEOUT that is not a number of seconds (0 to a day) is one warning line
and the default wait (real subprocess, real library file)."""

from __future__ import annotations

import pytest

from tests.fakes.cli import run_tracker as _tracker
from tracker.services.library import open_library
from tracker.store.database import DEFAULT_BUSY_TIMEOUT

VIALE_A, ELIANA, CLL14 = "NCT02993523", "NCT02435849", "NCT02242942"


@pytest.mark.parametrize("value", ["abc", "-5", "nan", "1e9"])
def test_a_bad_busy_timeout_is_one_warning_and_the_default(tmp_path, value):
    done = _tracker(tmp_path / "d", "list", TRACKER_BUSY_TIMEOUT=value)
    assert done.returncode == 0 and "NCT02993523" in done.stdout
    warnings = [line for line in done.stderr.splitlines() if "TRACKER_BUSY_TIMEOUT" in line]
    assert len(warnings) == 1 and f"{value!r}" in warnings[0]
    assert "waiting the default 30 s" in warnings[0] and "Traceback" not in done.stderr


def test_the_default_wait_is_what_the_connection_uses(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACKER_BUSY_TIMEOUT", "abc")
    library = open_library(tmp_path)
    try:
        timeout = library.database.conn.execute("PRAGMA busy_timeout").fetchone()[0]
    finally:
        library.close()
    assert timeout == int(DEFAULT_BUSY_TIMEOUT * 1000)
