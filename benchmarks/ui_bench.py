"""Window performance with 1,000, 10,000 and 100,000 synthetic trials.

    python -m benchmarks.ui_bench [--sizes 1000,10000,100000] [--sync-trials 5000]

Each measurement runs in a fresh process (benchmarks/ui_probe.py). Printed per size: process
start to first painted main window next to a bare QMainWindow measured in the same run, time
to the cards being shown, search (request to repainted list), scroll to the end, peak memory;
and the longest gap of a 10 ms GUI-thread heartbeat while a sync of --sync-trials trials runs
against the loopback server (100 ms latency). Targets at 100,000 trials (issue #4): first
paint within 2x the bare window, search repaint <= 50 ms, scroll <= 16 ms, peak memory
<= 250 MB, heartbeat gap <= 50 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.fakes.server import FakeCtgov
from tests.fakes.studies import make_study
from tracker.domain import Trial
from tracker.store import LIBRARY_FILE_NAME, Library

SOURCE = {"file": "000_50fe522fa3562aed.txt", "locator": "Table 1"}
DISEASES = ("CLL", "AML", "MM", "DLBCL", "ALL", "MCL", "FL")
DRUGS = ("venetoclax", "ciltacabtagene autoleucel", "epcoritamab", "azacitidine", "glofitamab")


def make_library(folder: Path, count: int) -> list[str]:
    """A library of synthetic trials (no curated data) written in batches."""
    library = Library(folder / LIBRARY_FILE_NAME)
    library.meta.set("curated", "off")
    ids = [f"NCT{70000000 + i:08d}" for i in range(count)]
    for start in range(0, count, 5000):
        library.trials.insert([_trial(trial_id, n) for n, trial_id in
                               enumerate(ids[start:start + 5000], start)])
    library.close()
    (folder / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0.2}))
    return ids


def _trial(trial_id: str, n: int) -> Trial:
    return Trial(
        id=trial_id, acronym=f"SYN-{n}", brief_title=f"Synthetic trial {n} of "
        f"{DRUGS[n % len(DRUGS)]} in {DISEASES[n % len(DISEASES)]}",
        modality=("bcl2", "car-t", "bispecific", "other")[n % 4],
        drugs=(DRUGS[n % len(DRUGS)],), diseases=(DISEASES[n % len(DISEASES)],),
        phases=("PHASE2",), outcomes=[{"metric": "ORR", "value": f"{n % 100}%", "source": SOURCE}],
    )


def probe(*args: str) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    start = time.time_ns()
    done = subprocess.run([sys.executable, "-m", "benchmarks.ui_probe", args[0],
                           *args[1:2], str(start), *args[2:]], capture_output=True, text=True,
                          env=env, timeout=1800, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    if os.environ.get("UI_PROBE_VERBOSE"):
        print(done.stderr.strip()[-1000:], file=sys.stderr)
    return json.loads(done.stdout.strip().splitlines()[-1])


def bench(count: int, repeats: int) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        make_library(Path(folder), count)
        bare = statistics.median(probe("bare")["first_paint_ms"] for _ in range(repeats))
        runs = [probe("window", folder) for _ in range(repeats)]
    best = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    best["bare_first_paint_ms"] = bare
    return best


def bench_heartbeat(count: int) -> float:
    with tempfile.TemporaryDirectory() as folder:
        ids = make_library(Path(folder), count)
        with FakeCtgov([make_study(i) for i in ids], latency=0.1) as server:
            return probe("window", folder, server.base_url)["heartbeat_max_gap_ms"]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--sync-trials", type=int, default=5000)
    args = parser.parse_args()
    print("| trials | first paint (bare window) | ratio | cards shown | search 'venetoclax' | "
          "search matching all | scroll to end | peak memory |")
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        r = bench(size, args.repeats)
        print(f"| {size:,} | {r['first_paint_ms']:.0f} ms ({r['bare_first_paint_ms']:.0f} ms) | "
              f"{r['first_paint_ms'] / r['bare_first_paint_ms']:.2f}x | "
              f"{r['cards_shown_ms']:.0f} ms | {r['search_ms']:.0f} ms | "
              f"{r['search_all_ms']:.0f} ms | {r['scroll_end_ms']:.1f} ms | "
              f"{r['peak_rss_mb']:.0f} MB |")
    if args.sync_trials:
        gap = bench_heartbeat(args.sync_trials)
        print(f"longest GUI heartbeat gap (10 ms timer) during a {args.sync_trials:,}-trial sync: "
              f"{gap:.0f} ms")


if __name__ == "__main__":
    main()
