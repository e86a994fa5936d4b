"""Text the library could not take (a lock, a full disk, a read-only file) is kept in a
recovery file, so nothing a user typed is lost; also where removed trials' notes go."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from pathlib import Path

RECOVERY_FILE_NAME = "recovered-notes.txt"


def keep_text(data_dir: Path, trial_id: str, body: str, reason: str) -> Path | None:
    """Append the text to the recovery file in the data folder (or, when that folder cannot
    be written, in the temporary folder); return where it went, or None if nowhere."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    entry = f"=== {stamp}  {trial_id}  ({reason})\n{body.rstrip()}\n\n"
    for folder in (Path(data_dir), Path(tempfile.gettempdir())):
        path = folder / (RECOVERY_FILE_NAME if folder == Path(data_dir)
                         else f"trial-tracker-{RECOVERY_FILE_NAME}")
        try:
            handle = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        except OSError:
            continue
        size_before = os.fstat(handle).st_size
        try:
            with os.fdopen(handle, "w", encoding="utf-8", errors="surrogateescape") as file:
                file.write(entry)
        except OSError:  # the disk is full: leave the file as it was, try the next folder
            with contextlib.suppress(OSError):
                if size_before:
                    os.truncate(path, size_before)
                else:
                    path.unlink()
            continue
        return path
    return None
