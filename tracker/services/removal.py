"""Remove a trial from the library; its notes are written to the recovery file first.

The window and `tracker remove` both call `remove_trial`. A removed curated trial is
remembered (by its id and its earlier ids, as the curated data may name it by either), so a
later curated-data update does not bring it back; adding it again on purpose does, with its
curated entry (`services/curated_readd.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from tracker.domain import (
    LibraryDamagedError,
    LibraryError,
    LibraryReadOnlyError,
    TrialNotFoundError,
)
from tracker.domain.words import plural, word_for
from tracker.services.recovery import keep_text
from tracker.store import Library

REMOVED_KEY = "removed_trials"  # meta: JSON list of ids the user removed


@dataclass(frozen=True)
class RemovedTrial:
    trial_id: str
    title: str
    notes: int
    recovery_path: Path | None  # where the notes went (None when there were none)

    def summary(self) -> str:
        kept = (f"; its {plural(self.notes, 'note')} {word_for(self.notes, 'was')} written to "
                f"{self.recovery_path}" if self.notes else "")
        return f"removed {self.trial_id} ({self.title}) from the library{kept}"


def describe_removal(library: Library, trial_id: str) -> tuple[str, str, int]:
    """(canonical id, display title, note count): what a confirmation question should name.
    A trial whose stored record is damaged can still be removed (doctor's advice): it is
    named by its id."""
    try:
        trial = library.trials.get(trial_id)
    except LibraryDamagedError:
        canonical = library.trials.resolve(trial_id)
        return canonical, f"{canonical} (damaged record)", len(library.notes.for_trial(canonical))
    return trial.id, trial.display_title, len(library.notes.for_trial(trial.id))


def removed_ids(library: Library) -> set[str]:
    return set(json.loads(library.meta.get(REMOVED_KEY) or "[]"))


def readded_ids(library: Library) -> list[str]:
    """Ids remembered as removed that are in the library again: added back by an earlier
    version, which did not forget the removal. One read, without models (every start asks)."""
    from tracker.store.views import resolve_trial_id

    back = []
    for trial_id in sorted(removed_ids(library)):
        try:
            resolve_trial_id(library.database, trial_id)
        except TrialNotFoundError:
            continue
        back.append(trial_id)
    return back


def forget_removals(library: Library, trial_ids: list[str]) -> None:
    """The user added these trials again: no longer removed, so curated updates reach them.
    Call inside the transaction that adds them."""
    removed = removed_ids(library)
    if removed & set(trial_ids):
        library.meta.set(REMOVED_KEY, json.dumps(sorted(removed - set(trial_ids))))


def remove_trial(library: Library, trial_id: str) -> RemovedTrial:
    """Delete the trial (notes, tags, history and list entries with it), notes kept first."""
    return remove_trials(library, [trial_id])[0]


def remove_trials(library: Library, trial_ids: list[str]) -> list[RemovedTrial]:
    """Remove several trials in one transaction, all or none; every note is written to the
    recovery file before anything is deleted, once the library's write lock is held (so a
    library locked by another program gets no recovery entry for a removal that never
    happened)."""
    if library.read_only:
        raise LibraryReadOnlyError(f"the library {library.path} is open read-only: nothing can "
                                   "be removed from it; copy it to a writable folder to edit it")
    with library.transaction():
        kept = [_keep_notes(library, trial_id) for trial_id in dict.fromkeys(trial_ids)]
        gone = {i for removed in kept for i in ids_of(library, removed.trial_id)}
        for removed in kept:
            library.trials.delete(removed.trial_id)
        library.meta.set(REMOVED_KEY, json.dumps(sorted(removed_ids(library) | gone)))
    return kept


def ids_of(library: Library, trial_id: str) -> set[str]:
    """The trial's id and its earlier ids: the curated data may know it by one of those."""
    try:
        return {trial_id, *library.trials.get(trial_id).aliases}
    except LibraryDamagedError:
        return {trial_id}


def _keep_notes(library: Library, trial_id: str) -> RemovedTrial:
    canonical, title, _count = describe_removal(library, trial_id)
    notes = library.notes.for_trial(canonical)
    recovery = None
    if notes:
        text = "\n\n".join(f"[{n.author or 'me'}, {n.updated_at:%Y-%m-%d %H:%M}]\n{n.body}"
                             for n in notes)
        recovery = keep_text(library.path.parent, canonical, text, f"removed trial: {title}")
        if recovery is None:
            raise LibraryError(f"{canonical} was not removed: its notes could not be written to "
                               "a recovery file (is the disk full or read-only?)")
    return RemovedTrial(canonical, title, len(notes), recovery)
