"""The curated library shipped in `db/curated/`: its file format and the loader that merges it."""

from tracker.curated.format import CuratedFile, CuratedOutcome, CuratedTrial
from tracker.curated.loader import CuratedDataError, load_curated_files, merge_curated

__all__ = [
    "CuratedDataError",
    "CuratedFile",
    "CuratedOutcome",
    "CuratedTrial",
    "load_curated_files",
    "merge_curated",
]
