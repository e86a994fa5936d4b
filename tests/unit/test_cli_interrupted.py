"""Ctrl+C in the middle of a command: one line saying what stays saved, exit 130, and the
work finished before it kept (a real process, a real SIGINT, the loopback registry)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from tests.fakes.faults import Fault
from tests.fakes.filters import posted_study
from tests.fakes.studies import make_study
from tracker.store import LIBRARY_FILE_NAME, Library
from tracker.store.discovery import SavedSearchRepository


def _wait_for(condition, seconds: float = 20.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def test_an_interrupted_check_keeps_the_searches_checked_before_and_says_so(
        tmp_path, ctgov_server):
    data = tmp_path / "data"
    data.mkdir()
    (data / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0.5}))
    ctgov_server.put_studies([posted_study(make_study(
        f"NCT0690000{n}", interventions=("Venetoclax",), conditions=("Acute Myeloid Leukemia",),
        phases=("PHASE2",)), "2026-11-20") for n in range(3)])
    env = {**os.environ, "TRACKER_DATA_DIR": str(data), "QT_QPA_PLATFORM": "offscreen"}
    command = [sys.executable, "-m", "tracker", "--api-url", ctgov_server.base_url,
               "searches", "check"]
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        _wait_for(lambda: len(ctgov_server.requests) >= 1)
        ctgov_server.inject(Fault.SLOW, times=50, delay=30)  # the next search hangs
        _wait_for(lambda: len(ctgov_server.requests) >= 2)
        time.sleep(0.3)  # its answer is awaited
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        process.kill()
    assert process.returncode == 130
    assert err.strip().splitlines()[-1] == (
        "tracker searches: interrupted; what was finished before is saved and nothing is "
        "half-written: "
        "run the command again to do the rest")
    assert "Traceback" not in err
    library = Library(data / LIBRARY_FILE_NAME)
    try:
        checked = [s for s in SavedSearchRepository(library.database).all()
                   if s.last_checked_on]
        assert len(checked) == 1  # the first search's check was saved whole
    finally:
        library.close()
