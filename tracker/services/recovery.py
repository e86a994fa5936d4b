"""Text the library could not take (a lock, a full disk, a read-only file) is kept in a
recovery file, so nothing a user typed is lost; also where removed trials' notes go."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import stat
import tempfile
from pathlib import Path

RECOVERY_FILE_NAME = "recovered-notes.txt"


def keep_text(data_dir: Path, trial_id: str, body: str, reason: str) -> Path | None:
    """Append the text to the recovery file in the data folder (or, when that folder cannot
    be written, in the temporary folder); return where it went, or None if nowhere."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    entry = f"=== {stamp}  {trial_id}  ({reason})\n{body.rstrip()}\n\n"
    for path in (Path(data_dir) / RECOVERY_FILE_NAME, fallback_recovery_path()):
        if _append(path, entry):
            return path
    return None


def fallback_recovery_path() -> Path:
    """Where text goes when the data folder cannot be written: the temporary folder, one
    file per user."""
    user = str(os.getuid()) if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"trial-tracker-{user}-{RECOVERY_FILE_NAME}"


def _append(path: Path, entry: str) -> bool:
    """Append to a private file of ours: never through a symlink, never into a file that
    someone else owns or can read (the temporary folder is shared)."""
    # O_NONBLOCK: a fifo planted under the name would otherwise block the open for ever
    flags = (os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
             | getattr(os, "O_NONBLOCK", 0))
    try:
        handle = os.open(path, flags, 0o600)
    except OSError:  # also a fifo with no reader (ENXIO)
        return False
    info = os.fstat(handle)
    if (not stat.S_ISREG(info.st_mode)
            or hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077)):
        os.close(handle)
        return False
    try:
        with os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape") as file:
            file.write(entry)
    except OSError:  # the disk is full: leave the file as it was
        with contextlib.suppress(OSError):
            if info.st_size:
                os.truncate(path, info.st_size)
            else:
                path.unlink()
        return False
    return True
