"""Sync against the loopback API v2 server (100 ms latency, TCP_NODELAY), next to the peer.

    python -m benchmarks.sync_bench [--sizes 100,1000,5000] [--runs 3] [--pace 0.2]

For each N the app's first sync of N never-synced trials and its unchanged re-sync are timed
next to the simple batch peer (benchmarks/batch_peer.py: filter.ids, 200 ids per request, same
fields, same pace, no incremental logic), in alternating pairs (app-peer, peer-app, ...), each
run in a fresh process (benchmarks/sync_worker.py) against the same server in this process.
Every run is checked: trials synced (or found unchanged) = trials asked, and the app's requests
= ceil(N / ids per request). The parse row parses 1,000 real-shaped records built from the
registry's real sample page and checks records parsed = records asked.

Prints goal / measured (min, median, max over the runs) / pass or fail per row; exits 1 when a
count check fails. Goals (issue 13): first sync no slower than the peer at the same pace;
unchanged re-sync <= 0.8x the peer; with the default pace (0.2 s: 5 requests/s) first sync of
1,000 <= 1.2 s and unchanged re-sync <= 0.8 s; peak memory of a 5,000-trial sync <= 100 MB;
parsing <= 100 ms per 1,000 records.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.fakes.server import FakeCtgov
from tests.fakes.studies import REAL_PAGE_PATH, make_study, parse_fields, project
from tracker.ctgov.fields import FULL_FIELDS
from tracker.ctgov.parsing import parse_page
from tracker.domain import Trial
from tracker.services.library import apply_disease_vocabulary
from tracker.settings import Preferences
from tracker.store import LIBRARY_FILE_NAME, Library

LATENCY = 0.1
DEFAULT_PACE = Preferences().request_pace_seconds
SAMPLE_PAGE = REAL_PAGE_PATH
REPO = Path(__file__).resolve().parents[1]


class CountError(AssertionError):
    """A run did not do what it was asked: its figure would measure something else."""


def _ids(count: int) -> list[str]:
    return [f"NCT{80000000 + i:08d}" for i in range(count)]


def _template(folder: Path, ids: list[str]) -> Path:
    template = folder / "template"
    template.mkdir()
    library = Library(template / LIBRARY_FILE_NAME)
    library.meta.set("curated", "off")
    library.trials.insert([Trial(id=i, brief_title=f"Trial {i}") for i in ids])
    # as the app opens a library: the search index's disease words are in place, so a sync
    # that files trials under diseases pays for indexing their names
    apply_disease_vocabulary(library)
    library.close()
    return template


def _worker(who: str, mode: str, server: FakeCtgov, template: Path, pace: float) -> dict:
    with tempfile.TemporaryDirectory(prefix="sync-bench-") as folder:
        for file in template.iterdir():
            shutil.copy(file, Path(folder) / file.name)
        done = subprocess.run(
            [sys.executable, "-m", "benchmarks.sync_worker", who, mode, server.base_url, folder,
             str(pace)], capture_output=True, text=True, cwd=REPO, check=False)
    if done.returncode != 0:
        raise CountError(f"{who} {mode} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _check(who: str, mode: str, count: int, result: dict) -> None:
    expected = math.ceil(count / result["ids_per_request"])
    problems = []
    if result["asked"] != count or result["done"] != count or result["settled"] != count:
        problems.append(f"{result['done']} of {count} trials done ({result['settled']} settled)")
    if result["requests"] != expected:
        problems.append(f"{result['requests']} requests, expected {expected}")
    if not result["ok"]:
        problems.append("the report has failures")
    if problems:
        raise CountError(f"{who} {mode} of {count}: " + "; ".join(problems))


def bench_size(count: int, runs: int, pace: float) -> dict[str, dict[str, list[dict]]]:
    """{mode: {"app": [...], "peer": [...]}} over `runs` alternating pairs."""
    ids = _ids(count)
    results: dict[str, dict[str, list[dict]]] = {}
    with tempfile.TemporaryDirectory() as folder, FakeCtgov(
            [make_study(i, status="RECRUITING") for i in ids], latency=LATENCY) as server:
        template = _template(Path(folder), ids)
        for mode in ("first", "resync"):
            results[mode] = {"app": [], "peer": []}
            for run in range(runs):
                for who in (("app", "peer") if run % 2 == 0 else ("peer", "app")):
                    result = _worker(who, mode, server, template, pace)
                    _check(who, mode, count, result)
                    results[mode][who].append(result)
    return results


def real_shaped_page(count: int, fields: tuple[str, ...] | None) -> bytes:
    """`count` records cycled from the real sample page, each with its own id, projected to
    `fields` (None: whole records) the way the server projects them."""
    real = json.loads(SAMPLE_PAGE.read_text(encoding="utf-8"))["studies"]
    paths = parse_fields(",".join(fields)) if fields else None
    studies = []
    for number, nct_id in enumerate(_ids(count)):
        study = json.loads(json.dumps(real[number % len(real)]))
        ident = study["protocolSection"]["identificationModule"]
        ident["nctId"] = nct_id
        ident.pop("nctIdAliases", None)
        studies.append(project(study, paths))
    return json.dumps({"studies": studies}).encode()


def bench_parse(count: int = 1000, repeats: int = 7) -> dict[str, list[float]]:
    """ms to parse `count` real-shaped records, with the full field set and whole; checks
    that every record parsed (none on the error path)."""
    times: dict[str, list[float]] = {}
    for label, fields in (("full field set", FULL_FIELDS), ("whole records", None)):
        body = real_shaped_page(count, fields)
        times[label] = []
        for _ in range(repeats):
            start = time.perf_counter()
            page = parse_page(body, "bench")
            times[label].append((time.perf_counter() - start) * 1000)
            if len(page.records) != count or page.failures:
                raise CountError(f"parsed {len(page.records)} of {count} records "
                                 f"({len(page.failures)} failures: {page.failures[:1]})")
    return times


def _spread(values: list[float], unit: str, digits: int = 2) -> str:
    low, mid, high = min(values), statistics.median(values), max(values)
    return f"{low:.{digits}f} / {mid:.{digits}f} / {high:.{digits}f} {unit}"


def _row(goal: str, measured: str, passed: bool) -> str:
    return f"| {goal} | {measured} | {'pass' if passed else '**MISS**'} |"


def size_rows(count: int, results: dict, pace: float) -> list[str]:
    rows = []
    for mode, goal_ratio, label in (("first", 1.0, "first sync"),
                                    ("resync", 0.8, "unchanged re-sync")):
        app = [r["seconds"] for r in results[mode]["app"]]
        peer = [r["seconds"] for r in results[mode]["peer"]]
        ratios = [a / p for a, p in zip(app, peer, strict=True)]
        requests = results[mode]["app"][0]["requests"], results[mode]["peer"][0]["requests"]
        rows.append(_row(
            f"{label} of {count:,}, pace {pace:g} s: app <= {goal_ratio:g}x peer",
            f"app {_spread(app, 's')} ({requests[0]} req); peer {_spread(peer, 's')} "
            f"({requests[1]} req); pair ratio {_spread(ratios, 'x')}",
            statistics.median(ratios) <= goal_ratio))
        if count == 1000 and pace == DEFAULT_PACE:
            limit = 1.2 if mode == "first" else 0.8
            rows.append(_row(f"{label} of 1,000, default settings: <= {limit} s",
                             _spread(app, "s"), statistics.median(app) <= limit))
    peak = [r["peak_mb"] for mode in results for r in results[mode]["app"]]
    peer_peak = [r["peak_mb"] for mode in results for r in results[mode]["peer"]]
    goal = "<= 100 MB" if count >= 5000 else "reported"
    rows.append(_row(f"sync peak memory at {count:,} (whole process): {goal}",
                     f"app {_spread(peak, 'MB', 0)}; peer {_spread(peer_peak, 'MB', 0)}",
                     count < 5000 or max(peak) <= 100))
    return rows


def _machine() -> str:
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    return (f"{platform.node()} ({platform.machine()}, {os.cpu_count()} cores, load {load}), "
            f"Python {platform.python_version()}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pace", type=float, default=DEFAULT_PACE,
                        help=f"seconds between request starts (default {DEFAULT_PACE})")
    args = parser.parse_args()
    print(f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {_machine()}")
    print(f"loopback API v2, {LATENCY * 1000:.0f} ms latency, TCP_NODELAY; pace {args.pace} s; "
          f"{args.runs} alternating app/peer pairs, one process per run")
    print("\n| goal | measured (min / median / max) | result |\n|---|---|---|")
    try:
        for size in (int(s) for s in args.sizes.split(",")):
            for row in size_rows(size, bench_size(size, args.runs, args.pace), args.pace):
                print(row, flush=True)
        parse = bench_parse()
        full = parse["full field set"]
        print(_row("parse 1,000 real-shaped records (full field set): <= 100 ms, all parsed",
                   _spread(full, "ms", 0), statistics.median(full) <= 100))
        print(_row("parse 1,000 whole real records (a server ignoring `fields`): reported",
                   _spread(parse["whole records"], "ms", 0), True))
    except CountError as error:
        print(f"\nCOUNT CHECK FAILED: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
