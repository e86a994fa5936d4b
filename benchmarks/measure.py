"""What every benchmark here shares: timing whole processes, summaries, goal rows.

A row prints the goal, the measured minimum / median / maximum and PASS or MISS; the verdict
is on the median. Processes are timed from outside (wall clock around the child, peak memory
from the kernel's accounting of that one child via `os.wait4`). Linux starts a child's
ru_maxrss at its parent's size (fork, then exec, carries the high-water mark over), so the
measuring process keeps no child's output: it counts lines as they stream by and keeps only
the first `KEPT_BYTES` (once, 100,000 kept listings grew it past the child's own peak).
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

KEPT_BYTES = 64 * 1024


@dataclass(frozen=True)
class Run:
    wall_s: float
    peak_mb: float
    stdout: bytes  # the first KEPT_BYTES only
    lines: int  # every line the child printed
    returncode: int


def run_process(command: Sequence[str], env: dict | None = None,
                cwd: str | None = None) -> Run:
    """Run `command` to completion, reaping it ourselves so its own peak memory is known."""
    start = time.perf_counter()
    read_fd, write_fd = os.pipe()
    with open(os.devnull, "wb") as sink:
        child = subprocess.Popen(command, stdout=write_fd, stderr=sink, env=env, cwd=cwd)
    os.close(write_fd)
    kept = bytearray()
    lines = 0
    with os.fdopen(read_fd, "rb") as reader:
        while chunk := reader.read(1 << 16):
            lines += chunk.count(b"\n")
            if len(kept) < KEPT_BYTES:
                kept += chunk[:KEPT_BYTES - len(kept)]
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)  # so Popen does not wait again
    return Run(wall, usage.ru_maxrss / 1024, bytes(kept), lines, child.returncode)


def alternate(first: Callable[[], float], second: Callable[[], float],
              pairs: int) -> tuple[list[float], list[float]]:
    """A B A B …: both see the same drift of a shared machine."""
    a_values, b_values = [], []
    for _ in range(pairs):
        a_values.append(first())
        b_values.append(second())
    return a_values, b_values


def spread(values: Sequence[float]) -> tuple[float, float, float]:
    return min(values), statistics.median(values), max(values)


def goal_row(name: str, values: Sequence[float], goal: float, unit: str,
             fmt: str = "{:.2f}") -> tuple[str, bool]:
    """`name | goal ≤ x unit | min / median / max | PASS|MISS` (verdict on the median)."""
    low, mid, high = spread(values)
    passed = mid <= goal
    text = (f"| {name} | ≤ {fmt.format(goal)} {unit} | {fmt.format(low)} / "
            f"**{fmt.format(mid)}** / {fmt.format(high)} {unit} | "
            f"{'PASS' if passed else 'MISS'} |")
    return text, passed


def info_row(name: str, values: Sequence[float], unit: str, fmt: str = "{:.2f}") -> str:
    """A figure reported for context, with no goal of its own (a baseline, say)."""
    low, mid, high = spread(values)
    return (f"| {name} | — | {fmt.format(low)} / **{fmt.format(mid)}** / {fmt.format(high)} "
            f"{unit} | reported |")


def table_header() -> str:
    return ("| measurement | goal | min / median / max | verdict |\n"
            "|---|---|---|---|")


def machine_line() -> str:
    return (f"{time.strftime('%Y-%m-%d')}, {platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
