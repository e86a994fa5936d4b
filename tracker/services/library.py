"""Open the user's library, creating it and loading the curated trials on first start."""

from __future__ import annotations

import logging
from pathlib import Path

from tracker.store import LIBRARY_FILE_NAME, Library
from tracker.store.rows import to_text, utc_now

log = logging.getLogger(__name__)
CURATED_LOADED_KEY = "curated_loaded_at"


def open_library(data_dir: Path) -> Library:
    """The library in `data_dir`; a new one gets the curated trials (once, never again)."""
    library = Library(data_dir / LIBRARY_FILE_NAME)
    if library.meta.get(CURATED_LOADED_KEY) is None:
        load_curated_library(library)
    return library


def load_curated_library(library: Library, folder: Path | None = None) -> int:
    """Insert every curated trial the library does not hold yet; return how many were added."""
    from tracker.bundled import curated_dir  # only needed on first start
    from tracker.curated import load_curated_files, merge_curated

    trials = merge_curated(load_curated_files(folder or curated_dir()))
    known = set(library.trials.ids())
    new = [trial for trial in trials if trial.id not in known]
    with library.transaction():
        added = library.trials.insert(new)
        library.meta.set(CURATED_LOADED_KEY, to_text(utc_now()))
    log.info("loaded %d curated trials into %s", added, library.path)
    return added
