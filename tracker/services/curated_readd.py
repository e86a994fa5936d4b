"""Bring a curated trial back whole when the user adds it again.

A curated trial the user removed stays out of later curated refreshes (`services/removal.py`
remembers it). Adding it again on purpose (`tracker add`, the window's Add trial, accepting it
from the inbox, importing a watch list file that holds it) is the user changing their mind:
the trial comes back with its curated entry as the app ships it (outcomes with their sources
and caveats, summary, modality, drugs, diseases, comparator) and then its registry data, as a
fresh library holds it after a sync (or after importing the same file); and it is no longer
remembered as removed, so curated updates reach it again. Its notes are not restored (a
removal wrote them to the recovery file; an imported file adds its own), nor its tags,
history or places in watch lists (an imported file adds its own list).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from tracker.ctgov import RegistryRecord
from tracker.domain import InvalidTrialIdError, Modality, TrackerError, Trial
from tracker.domain.words import listed
from tracker.services.registry_merge import apply_full_record, new_trial_from_record
from tracker.services.removal import forget_removals
from tracker.store import Library


class LocalStudyError(InvalidTrialIdError):
    """Local ids an add cannot bring back: they have no registry record, and the curated
    library the app ships does not hold them."""

    def __init__(self, ids: list[str]) -> None:
        one = len(ids) == 1
        TrackerError.__init__(
            self, f"{listed(ids)} {'is a local study' if one else 'are local studies'} that "
            "the app's curated library does not hold: local studies have no registry record, "
            f"so there is nothing to add from {'it' if one else 'them'} (only NCT ids are in "
            "the registry)")
        self.text = ids[0]


class CuratedEntries:
    """The bundled curated library's trials by id: what an add restores."""

    def __init__(self, trials: Iterable[Trial] = ()) -> None:
        self._by_id = {trial.id: trial for trial in trials}

    @classmethod
    def bundled(cls, library: Library, folder: Path | None = None) -> CuratedEntries:
        """The curated trials the app ships; none for a library that never took the curated
        data (made bare, or with curated data switched off: `services/library.py`)."""
        from tracker.services.library import CURATED_DIGEST_KEY, CURATED_SWITCH_KEY

        meta = library.meta
        if meta.get(CURATED_SWITCH_KEY) == "off" or not meta.get(CURATED_DIGEST_KEY):
            return cls()
        from tracker.bundled import curated_dir
        from tracker.curated import load_curated_files, merge_curated

        return cls(merge_curated(load_curated_files(folder or curated_dir())))

    def entry(self, ids: Iterable[str]) -> Trial | None:
        """The curated entry of the first of `ids` (a study's id, then its earlier ids) that
        the curated library holds; None when it holds none of them."""
        return next((self._by_id[i] for i in ids if i in self._by_id), None)


def entry_under(entry: Trial, trial_id: str, aliases: Iterable[str] = ()) -> Trial:
    """The curated entry filed under `trial_id` (the registry's id for it now): its curated id
    and `aliases` become earlier ids, as a sync's re-key makes them."""
    earlier = {*entry.aliases, *aliases, entry.id} - {trial_id}
    return entry.model_copy(update={"id": trial_id, "aliases": tuple(sorted(earlier))})


def restored_from_record(entry: Trial, record: RegistryRecord, when: dt.datetime) -> Trial:
    """The curated entry with `record` applied, as a sync applies a study's first record."""
    return apply_full_record(entry_under(entry, record.nct_id), record, when)


def new_or_restored(record: RegistryRecord, entry: Trial | None, when: dt.datetime,
                    modality: Modality | None = None) -> Trial:
    """The trial an add stores for `record`: its curated `entry` restored (with its curated
    modality: it is reviewed, and a curated update would set it again), else a new trial
    filed under `modality` (chosen in the inbox) or a guessed one."""
    if entry is not None:
        return restored_from_record(entry, record, when)
    trial = new_trial_from_record(record, when)
    return trial if modality is None else trial.model_copy(update={"modality": modality})


def restored_with_registry(entry: Trial, trial_id: str, aliases: Iterable[str],
                           registry: Trial | None) -> Trial:
    """The curated entry under `trial_id`, with the registry fields of `registry` (a watch list
    file's copy of the trial) when they are to be taken, as an import takes them for a trial
    already in the library; None: the entry stays "not synced yet"."""
    from tracker.store.rows import REGISTRY_FIELDS

    restored = entry_under(entry, trial_id, aliases)
    if registry is None:
        return restored
    taken = {name: getattr(registry, name) for name in REGISTRY_FIELDS if name != "aliases"}
    return restored.model_copy(update=taken)


def restore_local(library: Library, ids: list[str], curated: CuratedEntries) -> None:
    """Put the curated local studies `ids` back as the app ships them (they have no registry
    record: "not synced" never applies to them), in one transaction; LocalStudyError, writing
    nothing, when the curated library lacks any of them."""
    missing = [i for i in ids if curated.entry([i]) is None]
    if missing:
        raise LocalStudyError(missing)
    with library.transaction():
        library.trials.insert([curated.entry([i]) for i in ids])
        forget_removals(library, ids)


def restore_readded(library: Library, back: list[str]) -> None:
    """Curated trials the user removed and then added again with an earlier version, which
    stored them without their curated entry (`back`: their ids, still remembered as removed):
    their curated facts are put back, as a curated update does, and the removal forgotten."""
    curated = CuratedEntries.bundled(library)
    with library.transaction():
        for trial_id in back:
            entry = curated.entry([trial_id])
            if entry is not None:
                library.trials.update_curated(library.trials.resolve(trial_id), entry)
        forget_removals(library, back)
