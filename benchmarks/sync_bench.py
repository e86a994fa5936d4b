"""Sync performance against the loopback API v2 server with 100 ms of latency per request.

    python -m benchmarks.sync_bench [--sizes 100,1000,5000] [--full-naive] [--pace 0.2]

For each N it prints the requests made, bytes received and wall time of a first sync and of
an unchanged re-sync, and the same N fetched the naive way (one GET /studies/{id} each) in
the same run, with the ratio. Targets (issue #3): a first sync of 1,000 trials in at most
ceil(N/200)*2+1 requests and at least 50x faster than naive; an unchanged re-sync of 1,000
under 1 s; parsing at most 100 ms per 1,000 studies.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import tempfile
import time
from pathlib import Path

from tests.fakes.server import FakeCtgov
from tests.fakes.studies import make_study
from tracker.ctgov import CtgovClient
from tracker.ctgov.fields import FULL_FIELDS
from tracker.ctgov.parsing import parse_page
from tracker.domain import Trial
from tracker.services.sync import SyncService
from tracker.store import LIBRARY_FILE_NAME, Library

LATENCY = 0.1
NAIVE_SAMPLE = 1000


def _ids(count: int) -> list[str]:
    return [f"NCT{80000000 + i:08d}" for i in range(count)]


def _library(folder: Path, ids: list[str]) -> Library:
    library = Library(folder / LIBRARY_FILE_NAME)
    library.trials.insert([Trial(id=i, brief_title=f"Trial {i}") for i in ids])
    return library


def _timed_sync(library: Library, server: FakeCtgov, pace: float) -> tuple[float, int, int, object]:
    client = CtgovClient(server.base_url, pace_seconds=pace)
    start = time.perf_counter()
    report = SyncService(library, client).sync()
    elapsed = time.perf_counter() - start
    stats = client.stats
    client.close()
    return elapsed, stats.requests, stats.bytes_received, report


def _naive(server: FakeCtgov, ids: list[str]) -> tuple[float, int]:
    client = CtgovClient(server.base_url, pace_seconds=0.0)
    start = time.perf_counter()
    for trial_id in ids:
        client.get_study(trial_id)
    elapsed = time.perf_counter() - start
    received = client.stats.bytes_received
    client.close()
    return elapsed, received


def bench_size(count: int, pace: float, full_naive: bool) -> dict:
    ids = _ids(count)
    with tempfile.TemporaryDirectory() as folder, FakeCtgov(
            [make_study(i, status="RECRUITING") for i in ids], latency=LATENCY) as server:
        library = _library(Path(folder), ids)
        first = _timed_sync(library, server, pace)
        again = _timed_sync(library, server, pace)
        sample = ids if full_naive or count <= NAIVE_SAMPLE else ids[:NAIVE_SAMPLE]
        naive_time, naive_bytes = _naive(server, sample)
        library.close()
    scale = count / len(sample)
    return {
        "n": count, "first_s": first[0], "first_requests": first[1], "first_bytes": first[2],
        "resync_s": again[0], "resync_requests": again[1], "resync_bytes": again[2],
        "naive_s": naive_time * scale, "naive_requests": count, "naive_bytes": naive_bytes * scale,
        "naive_extrapolated": scale != 1, "budget": 2 * math.ceil(count / 200) + 1,
        "changed_ok": len(first[3].first_seen) == count and len(again[3].unchanged) == count,
    }


def bench_parse(count: int = 1000, repeats: int = 7) -> tuple[float, float]:
    """Median ms to parse a page of `count` full and compact studies (raw bytes to records)."""
    studies = [make_study(i) for i in _ids(count)]
    full = json.dumps({"studies": [_trim(s, FULL_FIELDS) for s in studies]}).encode()
    results = []
    for body in (full, json.dumps({"studies": studies}).encode()):
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            parse_page(body, "bench")
            times.append((time.perf_counter() - start) * 1000)
        results.append(statistics.median(times))
    return results[0], results[1]


def _trim(study: dict, fields: tuple[str, ...]) -> dict:
    trimmed: dict = {}
    for path in fields:
        source, target = study, trimmed
        parts = path.split(".")
        for part in parts[:-1]:
            if part not in source:
                break
            source = source[part]
            target = target.setdefault(part, {})
        else:
            if isinstance(source, dict) and parts[-1] in source:
                target[parts[-1]] = source[parts[-1]]
            elif isinstance(source, list):
                pass
    return trimmed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,1000,5000")
    parser.add_argument("--pace", type=float, default=0.2, help="the app's default is 0.2 s")
    parser.add_argument("--full-naive", action="store_true",
                        help="really make N single GETs for N > 1,000 (slow: N x 0.1 s)")
    args = parser.parse_args()
    print(f"loopback API v2, {LATENCY * 1000:.0f} ms latency per request, pace {args.pace} s")
    print("| N | first sync | requests (budget) | received | unchanged re-sync | requests | "
          "naive (1 GET/trial) | ratio |")
    print("|---|---|---|---|---|---|---|---|")
    for size in (int(s) for s in args.sizes.split(",")):
        r = bench_size(size, args.pace, args.full_naive)
        naive = f"{r['naive_s']:.1f} s" + (" (extrapolated)" if r["naive_extrapolated"] else "")
        print(f"| {r['n']:,} | {r['first_s']:.2f} s | {r['first_requests']} ({r['budget']}) | "
              f"{r['first_bytes'] / 1e6:.1f} MB | {r['resync_s']:.2f} s | "
              f"{r['resync_requests']} | {naive} | {r['naive_s'] / r['first_s']:.0f}x |"
              + ("" if r["changed_ok"] else "  <- unexpected report"))
    full_ms, whole_ms = bench_parse()
    print(f"parsing 1,000 studies: {full_ms:.0f} ms (full field set), {whole_ms:.0f} ms "
          "(whole records, if a server ignored `fields`)")


if __name__ == "__main__":
    main()
