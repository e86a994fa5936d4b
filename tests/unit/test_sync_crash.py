"""A sync killed with SIGKILL mid-way leaves a consistent library (each batch all or nothing)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

from tests.fakes.server import FakeCtgov
from tests.fakes.studies import make_study
from tracker.ctgov import CtgovClient
from tracker.domain import Trial
from tracker.store import LIBRARY_FILE_NAME, Library

COUNT = 1000


def test_sigkill_during_sync_leaves_each_trial_before_or_after(tmp_path):
    ids = [f"NCT{90000000 + i:08d}" for i in range(COUNT)]
    library = Library(tmp_path / LIBRARY_FILE_NAME)
    library.trials.insert([Trial(id=i, brief_title=f"Trial {i}") for i in ids])
    for trial_id in ids[::50]:
        library.notes.add(trial_id, f"note on {trial_id}")
    library.meta.set("curated", "off")  # no curated seeding
    library.close()
    (tmp_path / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))

    with FakeCtgov([make_study(i, status="COMPLETED") for i in ids], latency=0.15) as server:
        process = subprocess.Popen(
            [sys.executable, "-m", "tracker", "--data-dir", str(tmp_path), "--api-url",
             server.base_url, "sync"], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:  # kill once the first batch is committed
            if _synced_count(tmp_path / LIBRARY_FILE_NAME) > 0 or process.poll() is not None:
                break
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        per_batch = CtgovClient(server.base_url).ids_per_chunk(full=True)
    assert process.returncode == -signal.SIGKILL, "the sync finished before it could be killed"

    library = Library(tmp_path / LIBRARY_FILE_NAME)
    try:
        assert library.database.integrity_ok()
        history = library.history.for_trials(ids)
        synced = 0
        for trial in library.trials.list(with_outcomes=False):
            if trial.status is None:
                assert history[trial.id] == [] and trial.last_update_posted is None
            else:
                synced += 1
                assert [h.new_status for h in history[trial.id]] == [trial.status]
        assert 0 < synced < COUNT, f"{synced} trials synced: the kill did not land mid-way"
        assert synced % per_batch == 0, "batches are written whole"
        assert library.versions.stats().trials == synced, "versions are written with their batch"
        assert len(library.notes.trial_ids_with_notes()) == len(ids[::50])
    finally:
        library.close()


def _synced_count(path) -> int:
    """Trials with a status, read as another process would (WAL: only committed batches)."""
    import sqlite3

    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1) as conn:
            return conn.execute("SELECT count(*) FROM trials WHERE status IS NOT NULL"
                                ).fetchone()[0]
    except sqlite3.Error:
        return 0
