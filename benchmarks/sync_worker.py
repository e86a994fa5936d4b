"""One timed sync in a fresh process, for benchmarks/sync_bench.py (prints one JSON line).

    python -m benchmarks.sync_worker app|peer first|resync URL DATA_DIR PACE

`app first` syncs the never-synced library in DATA_DIR; `app resync` syncs it once untimed,
then times an unchanged re-sync; `peer …` runs the simple batch peer (the same either way).
Reports wall seconds of the timed sync, requests sent, the report's counts and the process's
peak resident memory.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def _app(url: str, folder: Path, pace: float, mode: str) -> dict:
    from tracker.ctgov import CtgovClient
    from tracker.services.sync import SyncService
    from tracker.store import LIBRARY_FILE_NAME, Library

    library = Library(folder / LIBRARY_FILE_NAME)
    ids = library.trials.registry_ids()
    if mode == "resync":
        with CtgovClient(url, pace_seconds=pace) as client:
            SyncService(library, client).sync()
    with CtgovClient(url, pace_seconds=pace) as client:
        start = time.perf_counter()
        report = SyncService(library, client).sync()
        seconds = time.perf_counter() - start
        stats = client.stats
        per_request = client.ids_per_chunk(full=mode == "first")
    library.close()
    done = report.first_seen if mode == "first" else report.unchanged
    return {"seconds": seconds, "requests": stats.requests, "done": len(done),
            "settled": report.settled_count(), "ok": report.ok, "asked": len(ids),
            "ids_per_request": per_request}


def _peer(url: str, folder: Path, pace: float) -> dict:
    from benchmarks.batch_peer import IDS_PER_REQUEST, peer_sync
    from tracker.store import LIBRARY_FILE_NAME, Library

    library = Library(folder / LIBRARY_FILE_NAME)
    ids = library.trials.registry_ids()
    library.close()
    start = time.perf_counter()
    stored, sent = peer_sync(url, ids, folder / "peer.sqlite3", pace)
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "requests": sent, "done": stored, "settled": stored,
            "ok": True, "asked": len(ids), "ids_per_request": IDS_PER_REQUEST}


def _peak_mb() -> float:
    """This process's peak resident memory. VmHWM, not ru_maxrss: Linux carries ru_maxrss
    across exec, so a child of a big benchmark process would report its parent's peak."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    who, mode, url, folder, pace = sys.argv[1:6]
    result = (_app(url, Path(folder), float(pace), mode) if who == "app"
              else _peer(url, Path(folder), float(pace)))
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
