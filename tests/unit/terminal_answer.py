"""Run `tracker` on a real pseudo-terminal and answer its y/N question (tests that a command
asks only where someone can answer, and that anything but y keeps what it would delete)."""

from __future__ import annotations

import os
import pty
import sys
from pathlib import Path


def answer_on_terminal(data_dir: Path, args: list[str], reply: bytes) -> str:
    """Everything `tracker --data-dir DATA_DIR ARGS` wrote to the terminal, `reply` typed at
    its "[y/N]" question."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: tracker on the terminal
        os.execv(sys.executable, [sys.executable, "-m", "tracker", "--data-dir", str(data_dir),
                                  *args])
    output = b""
    while b"[y/N]" not in output:
        output += os.read(fd, 1024)
    os.write(fd, reply)
    try:
        while chunk := os.read(fd, 1024):
            output += chunk
    except OSError:  # the child closed the terminal
        pass
    os.waitpid(pid, 0)
    return output.decode()
