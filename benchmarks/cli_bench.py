"""Command-line speed on the realistic 100,000-trial library (benchmarks/realistic.py).

    python -m benchmarks.cli_bench [--trials 100000] [--pairs 5]

Goals (issue #13): `tracker list` ≤ 1.5 s wall and ≤ 150 MB; `tracker show NCT…` ≤ 0.15 s wall.
Each command runs in a fresh process, alternating with its baseline in the same run: for
`list`, a bare Python script that streams the same columns of the same rows from the file with
sqlite3 and prints them (the floor any listing pays); for `show`, a bare interpreter start.
Checks what it measured: `list` must print exactly one line per trial, `show` the asked id.
The modules are byte-compiled first, as an installed app is (pip compiles on install).
"""

from __future__ import annotations

import argparse
import compileall
import os
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import (
    alternate,
    goal_row,
    info_row,
    machine_line,
    run_process,
    table_header,
)
from benchmarks.realistic import build_in_subprocess

REPO = Path(__file__).resolve().parent.parent
BARE_LIST = (
    "import sqlite3, sys\n"
    "c = sqlite3.connect(sys.argv[1])\n"
    "out = sys.stdout\n"
    "for r in c.execute('SELECT id, modality, phases, status, acronym, brief_title FROM trials "
    "ORDER BY lower(coalesce(acronym, brief_title, id))'):\n"
    "    out.write(' '.join(str(v) for v in r) + '\\n')\n"
)


def _env() -> dict:
    env = {**os.environ}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def _check(run, expected_lines: int | None, must_contain: bytes | None, what: str) -> None:
    if run.returncode != 0:
        raise SystemExit(f"{what} exited {run.returncode}")
    lines = run.lines
    if expected_lines is not None and lines != expected_lines:
        raise SystemExit(f"{what} printed {lines} lines, expected {expected_lines}")
    if must_contain is not None and must_contain not in run.stdout:
        raise SystemExit(f"{what} did not print {must_contain!r}")


def bench_list(folder: Path, count: int, pairs: int) -> list[tuple[str, bool]]:
    tracker = [sys.executable, "-m", "tracker", "--data-dir", str(folder), "list"]
    bare = [sys.executable, "-c", BARE_LIST, str(folder / "library.sqlite3")]
    app_runs, bare_runs = [], []

    def app() -> float:
        run = run_process(tracker, env=_env(), cwd=REPO)
        _check(run, count, None, "tracker list")
        app_runs.append(run)
        return run.wall_s

    def baseline() -> float:
        run = run_process(bare, env=_env())
        _check(run, count, None, "bare sqlite3 listing")
        bare_runs.append(run)
        return run.wall_s

    walls, bare_walls = alternate(app, baseline, pairs)
    return [goal_row(f"`tracker list`, {count:,} trials (wall)", walls, 1.5, "s"),
            goal_row(f"`tracker list`, {count:,} trials (peak memory)",
                     [r.peak_mb for r in app_runs], 150, "MB", "{:.0f}"),
            (info_row("bare sqlite3 listing of the same rows (baseline, wall)", bare_walls, "s"), True)]


def bench_show(folder: Path, trial_id: str, pairs: int) -> list[tuple[str, bool]]:
    tracker = [sys.executable, "-m", "tracker", "--data-dir", str(folder), "show", trial_id]
    bare = [sys.executable, "-c", "pass"]

    def app() -> float:
        run = run_process(tracker, env=_env(), cwd=REPO)
        _check(run, None, trial_id.encode(), "tracker show")
        return run.wall_s

    def baseline() -> float:
        return run_process(bare, env=_env()).wall_s

    walls, bare_walls = alternate(app, baseline, pairs)
    return [goal_row(f"`tracker show {trial_id}` (wall)", walls, 0.15, "s"),
            (info_row("bare `python -c pass` (baseline, wall)", bare_walls, "s"), True)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trials", type=int, default=100_000)
    parser.add_argument("--pairs", type=int, default=5)
    args = parser.parse_args()
    compileall.compile_dir(REPO / "tracker", quiet=1)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ids = build_in_subprocess(folder, args.trials)
        rows = bench_list(folder, args.trials, args.pairs)
        rows += bench_show(folder, ids[len(ids) // 2], args.pairs)
    print(f"CLI on a realistic library — {machine_line()}")
    print(table_header())
    for text, _ in rows:
        print(text)
    return 0 if all(passed for _, passed in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
