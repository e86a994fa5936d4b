"""What removing trials deletes and what adding them again brings back, in the words the
confirmation questions (the window's and `tracker remove`'s) show before anything is removed.

A removal writes the notes to the recovery file (nothing reads them back) and deletes the
tags, the history seen so far and the places in watch lists. Adding the trial again brings
back its registry data and, for a trial of the curated library, its curated entry
(`services/curated_readd.py`); a local study that the curated library lacks has no registry
record, so only an import of a file that holds it brings it back.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from tracker.domain.ids import is_local_id
from tracker.domain.words import listed, plural, word_for
from tracker.services.recovery import RECOVERY_FILE_NAME
from tracker.store import Library


class ComesBack(Enum):
    """What adding the trial again brings back."""

    CURATED = "curated"  # its curated entry, then its registry data
    CURATED_LOCAL = "curated-local"  # a local study's curated entry (`tracker add LOCAL-…`)
    REGISTRY = "registry"  # its registry data only
    IMPORT_ONLY = "import"  # nothing an add can fetch: a local study the curated library lacks


@dataclass(frozen=True)
class TrialToRemove:
    trial_id: str
    title: str
    notes: int
    watchlists: tuple[str, ...]
    comes_back: ComesBack


@dataclass(frozen=True)
class RemovalPlan:
    """The trials a removal would delete, found (all of them) before any is removed."""

    trials: tuple[TrialToRemove, ...]

    @property
    def notes(self) -> int:
        return sum(trial.notes for trial in self.trials)

    def named(self) -> str:
        """'NCT02445248 (JULIET)', or '3 trials (NCT…, NCT… and NCT…)'."""
        if len(self.trials) == 1:
            return f"{self.trials[0].trial_id} ({self.trials[0].title})"
        ids = [trial.trial_id for trial in self.trials]
        return f"{len(ids)} trials ({listed(ids, 5)})"

    def consequences(self) -> str:
        """What adding the trials again brings back, then what is lost for good."""
        return " ".join([*self._brought_back(), self._lost(), "An add brings none of these back."])

    def _lost(self) -> str:
        one = len(self.trials) == 1
        its, it = ("its", "it") if one else ("their", "they")
        notes = (f"{its} {plural(self.notes, 'note')} {word_for(self.notes, 'goes', 'go')} to "
                 f"the recovery file ({RECOVERY_FILE_NAME} in the data folder); "
                 if self.notes else "")
        lists = sorted({name for trial in self.trials for name in trial.watchlists})
        leaves = (f"; {it} {'leaves' if one else 'leave'} {its} "
                  f"{word_for(len(lists), 'watch list')} {listed([repr(n) for n in lists])}"
                  if lists else "")
        text = f"{notes}{its} tags and history are deleted{leaves}."
        return text[:1].upper() + text[1:]

    def _brought_back(self) -> list[str]:
        """One sentence per kind of trial in the plan (naming its trials when there are
        several kinds): what adding it again brings back."""
        kinds = {kind: [t.trial_id for t in self.trials if t.comes_back is kind]
                 for kind in ComesBack}
        named = sum(bool(ids) for ids in kinds.values()) > 1
        return [_brought_back_sentence(kind, ids, named) for kind, ids in kinds.items() if ids]


def _brought_back_sentence(kind: ComesBack, ids: list[str], named: bool) -> str:
    one = len(ids) == 1
    it, its = ("it", "its") if one else ("them", "their")
    has, is_ = ("has", "is") if one else ("have", "are")

    def owned(what: str) -> str:
        return f"the {what} of {listed(ids)}" if named else f"{its} {what}"

    if kind is ComesBack.CURATED:
        text = f"{owned('review figures')} come back if you add {it} again, with {its} registry data."
    elif kind is ComesBack.CURATED_LOCAL:  # no registry record: the command line adds it
        text = (f"{owned('review figures')} come back if you add {it} again with tracker add "
                f"{' '.join(ids)} ({'it' if one else 'they'} {has} no registry record).")
    elif kind is ComesBack.REGISTRY:
        text = f"only {owned('registry data')} comes back if you add {it} again."
    else:
        text = (f"{listed(ids) if named else it} {has} no registry record and {is_} not in the "
                f"curated library: only importing a file that holds {it} brings {it} back.")
    return text[:1].upper() + text[1:]


def plan_removal(library: Library, trial_ids: list[str]) -> RemovalPlan:
    """Every trial of `trial_ids` (TrialNotFoundError for one the library lacks), with what
    removing it would delete and what adding it again would bring back."""
    from tracker.services.curated_readd import CuratedEntries
    from tracker.services.removal import describe_removal, ids_of

    curated = CuratedEntries.bundled(library)
    trials = []
    for trial_id in dict.fromkeys(trial_ids):
        canonical, title, notes = describe_removal(library, trial_id)
        comes_back = _comes_back(canonical, curated.entry(ids_of(library, canonical)) is not None)
        trials.append(TrialToRemove(canonical, title, notes,
                                    tuple(library.watchlists.lists_of(canonical)), comes_back))
    return RemovalPlan(tuple(trials))


def _comes_back(trial_id: str, curated: bool) -> ComesBack:
    if is_local_id(trial_id):
        return ComesBack.CURATED_LOCAL if curated else ComesBack.IMPORT_ONLY
    return ComesBack.CURATED if curated else ComesBack.REGISTRY
