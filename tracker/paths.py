"""Where the library lives: `--data-dir`, `$TRACKER_DATA_DIR` or the user data directory.

Kept apart from the preferences model so the window can find its state without pydantic.
"""

from __future__ import annotations

import os
from pathlib import Path

DATA_DIR_ENV = "TRACKER_DATA_DIR"


def resolve_data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """`--data-dir`, else `$TRACKER_DATA_DIR`, else the platform's user data directory."""
    if explicit:
        return Path(explicit).expanduser().resolve()
    from_env = os.environ.get(DATA_DIR_ENV)
    if from_env:
        return Path(from_env).expanduser().resolve()
    import platformdirs  # only when no folder was named: saves a few ms at start-up

    return Path(platformdirs.user_data_dir("TrialTracker", appauthor=False))
