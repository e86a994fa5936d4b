"""Run the real `tracker` command in a subprocess, on a given data folder."""

from __future__ import annotations

import os
import subprocess
import sys


def run_tracker(data_dir, *args, **env_extra) -> subprocess.CompletedProcess:
    """`python -m tracker --data-dir DATA_DIR ARGS…` with no terminal on stdin; `env_extra`
    adds environment variables (TRACKER_DATA_DIR is removed so --data-dir alone decides)."""
    env = {k: v for k, v in os.environ.items() if k != "TRACKER_DATA_DIR"}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "tracker", "--data-dir", str(data_dir), *args],
                          capture_output=True, text=True, env=env, timeout=120,
                          stdin=subprocess.DEVNULL)
