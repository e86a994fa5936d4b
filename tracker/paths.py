"""Where the library lives: `--data-dir`, `$TRACKER_DATA_DIR` or the user data directory.

Kept apart from the preferences model so the window can find its state without pydantic.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "TRACKER_DATA_DIR"


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """`--data-dir`, else `$TRACKER_DATA_DIR`, else the platform's user data directory.

    Never raises for what the folder turns out to be: a symbolic link that loops (where
    `Path.resolve` raises RuntimeError on Python 3.11, OSError on 3.13), a file or a device is
    reported, with the usual recovery of a typed note, when the library is opened there."""
    named = explicit or os.environ.get(DATA_DIR_ENV)
    if named:
        return _resolved(Path(named).expanduser())
    import platformdirs  # only when no folder was named: saves a few ms at start-up

    return Path(platformdirs.user_data_dir("TrialTracker", appauthor=False))


def _resolved(path: Path) -> Path:
    """The absolute path with symbolic links followed as far as they go (a loop stays as it
    is): `os.path.realpath` without `strict` does not raise for a loop."""
    return Path(os.path.realpath(path))
