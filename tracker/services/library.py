"""Open the user's library: create it with the curated trials on first start, and bring the
curated data up to date when a newer version of the app ships corrected or new trials."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

from tracker.store import LIBRARY_FILE_NAME, Library

log = logging.getLogger(__name__)
CURATED_DIGEST_KEY = "curated_digest"
DISEASE_VOCABULARY_KEY = "disease_vocabulary"
CURATED_SWITCH_KEY = "curated"  # "off": a library that never takes curated data (benchmarks)


@dataclass(frozen=True)
class CuratedRefresh:
    added: int = 0
    updated: int = 0


def open_library(data_dir: Path, read_only: bool | None = None) -> Library:
    """The library in `data_dir`, with the curated data the app ships applied once (and
    put back on curated trials an earlier version re-added without it).
    Read-only (forced, or because the file cannot be written): opened as it is."""
    library = Library(data_dir / LIBRARY_FILE_NAME, read_only=read_only)
    if library.read_only:  # browse and export only: the curated data is applied when writable
        return library
    if library.meta.get(CURATED_SWITCH_KEY) != "off":
        refresh_curated(library)
        restore_readded(library)
    apply_disease_vocabulary(library)
    return library


def restore_readded(library: Library) -> None:
    """Curated trials removed and then added again by an earlier version (which left them
    without their curated entry) get it back (`services/curated_readd.py`). Asked on every
    start, so the check is one read that needs no models (`tracker show` stays lean)."""
    from tracker.services.removal import readded_ids

    back = readded_ids(library)
    if back:
        from tracker.services.curated_readd import restore_readded as restore

        restore(library, back)


def apply_disease_vocabulary(library: Library) -> int:
    """Bring stored diseases onto the current disease vocabulary, and the search index's words
    for them (`search_words`) up to date, once per vocabulary."""
    from tracker.domain.diseases import VOCABULARY_VERSION

    if library.meta.get(DISEASE_VOCABULARY_KEY) == VOCABULARY_VERSION:
        return 0
    from tracker.domain.diseases import DISEASES, search_words
    from tracker.store.search_schema import store_disease_words

    with library.transaction() as conn:
        changed = library.trials.apply_disease_vocabulary()
        store_disease_words(conn, {d.code: search_words(d.code) for d in DISEASES})
        library.meta.set(DISEASE_VOCABULARY_KEY, VOCABULARY_VERSION)
    if changed:
        log.info("disease vocabulary applied to %d trials in %s", changed, library.path)
    return changed


def curated_digest(folder: Path) -> str:
    """A fingerprint of the curated files: it changes when any file is added or edited."""
    import hashlib  # not at start-up: a library that takes no curated data never needs it

    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def refresh_curated(library: Library, folder: Path | None = None) -> CuratedRefresh:
    """Apply the shipped curated data if it changed since the library last saw it.

    New curated trials are added. Trials already in the library get the curated facts
    (summary, modality, drugs, diseases, acronym, outcomes) replaced by the shipped ones;
    registry fields, notes, tags, lists and history are never touched.
    """
    from tracker.bundled import curated_dir

    folder = folder or curated_dir()
    digest = curated_digest(folder)
    if library.meta.get(CURATED_DIGEST_KEY) == digest:
        return CuratedRefresh()
    from tracker.curated import load_curated_files, merge_curated
    from tracker.services.removal import removed_ids

    skipped = removed_ids(library)  # trials the user removed stay removed
    trials = [t for t in merge_curated(load_curated_files(folder)) if t.id not in skipped]
    added = updated = 0
    with library.transaction():
        for trial in trials:
            if library.trials.exists(trial.id):
                library.trials.update_curated(library.trials.resolve(trial.id), trial)
                updated += 1
            else:
                added += library.trials.insert([trial])
        library.meta.set(CURATED_DIGEST_KEY, digest)
    log.info("curated data: %d trials added, %d refreshed in %s", added, updated, library.path)
    return CuratedRefresh(added, updated)


def remove_trial(library: Library, trial_id: str) -> str:
    """Remove one trial (with its notes, tags, history and list entries); returns its id.
    Its notes are written to the recovery file first (tracker.services.removal)."""
    return remove_trials(library, [trial_id])[0]


def remove_trials(library: Library, trial_ids: list[str]) -> list[str]:
    """Remove several trials in one transaction: all of them or none; returns their ids."""
    from tracker.services.removal import remove_trials as remove_keeping_notes

    return [removed.trial_id for removed in remove_keeping_notes(library, trial_ids)]
