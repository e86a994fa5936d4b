"""What the window browses: cards, filter results and the counts beside each filter."""

from __future__ import annotations

import dataclasses
import json
import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from tracker.domain import (
    LibraryError,
    Note,
    NoteTooLongError,
    TrackerError,
    TrialNotFoundError,
    WatchList,
)
from tracker.domain.diseases import rolled_up_counts, unspecified_counts
from tracker.domain.limits import check_note_size
from tracker.services.recovery import keep_text
from tracker.store import Library, TrialCard, TrialQuery
from tracker.store.cards import CardIndex, Matches
from tracker.store.errors import library_error

FIRST_SCREEN = 100  # more cards than the tallest window shows at once


@dataclass(frozen=True)
class Facets:
    """Counts per modality, disease, status, watch list and tag, for the library tree.
    Disease counts roll up: a group counts each trial filed at or beneath it once."""

    total: int
    modality: dict[str, int] = field(default_factory=dict)
    disease: dict[str, int] = field(default_factory=dict)
    disease_unspecified: dict[str, int] = field(default_factory=dict)  # filed at a group only
    status: dict[str, int] = field(default_factory=dict)
    watchlists: list[WatchList] = field(default_factory=list)
    tags: dict[str, int] = field(default_factory=dict)
    never_synced: int = 0  # trials with a registry id that no sync has looked up yet
    last_sync_at: str | None = None  # None: this library was never synced


@dataclass(frozen=True)
class Snapshot:
    cards: dict[str, TrialCard]
    facets: Facets
    index: CardIndex
    distinctions: dict[str, str] = field(default_factory=dict)  # id -> what tells twins apart


def load_facets(library: Library) -> Facets:
    return Facets(
        total=library.trials.count(),
        modality=library.trials.facet_counts("modality"),
        disease=rolled_up_counts(disease_lists := library.trials.disease_lists()),
        disease_unspecified=unspecified_counts(disease_lists),
        status=library.trials.facet_counts("status_or_state"),
        watchlists=library.watchlists.all(),
        tags=library.tags.counts(),
        never_synced=library.trials.facet_counts("registry_state").get("never_synced", 0),
        last_sync_at=library.meta.get("last_sync_at"),
    )


def load_snapshot(library: Library) -> Snapshot:
    """Every card plus the facet counts: what the window needs to show the library."""
    version = library.cards.data_version()  # before the read: a commit during it shows
    cards = library.cards.all_cards()
    return Snapshot(cards=cards, facets=load_facets(library), index=CardIndex.of(cards, version),
                    distinctions=distinctions(library, cards))


_SPONSORED_BY = re.compile(r"\bsponsored by ([^,;.]+?)(?: and |[,;.]|$)")


def distinctions(library: Library, cards: dict[str, TrialCard]) -> dict[str, str]:
    """For cards that share a title, a few words that tell them apart. Per group of twins the
    first of these that differs between all of them is used: the sponsor in the registry,
    the sponsor our curated summary names, the product, the phase; else the id."""
    by_title: dict[str, list[str]] = {}
    for card in cards.values():
        if not card.subtitle:
            by_title.setdefault(card.title.lower(), []).append(card.id)
    groups = [ids for ids in by_title.values() if len(ids) > 1]
    candidates = _distinction_candidates(library, cards, [i for ids in groups for i in ids])
    found: dict[str, str] = {}
    for ids in groups:
        for position in range(len(next(iter(candidates.values()), ()))):
            values = [candidates[i][position] for i in ids]
            if all(values) and len(set(values)) == len(values):
                found.update(zip(ids, values, strict=True))
                break
        else:
            found.update((i, candidates[i][0] or candidates[i][1] or i) for i in ids)
    return found


def _distinction_candidates(library: Library, cards: dict[str, TrialCard],
                            ids: list[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows = library.database.execute(
            "SELECT id, sponsor, summary, drugs FROM trials WHERE id IN "
            f"({','.join('?' * len(chunk))})", chunk)
        for trial_id, sponsor, summary, drugs in rows:
            named = _SPONSORED_BY.search(summary or "")
            found[trial_id] = (sponsor or "", named.group(1).strip() if named else "",
                               ", ".join(json.loads(drugs)), cards[trial_id].phase_text)
    return found


def load_first_cards(library: Library, limit: int = FIRST_SCREEN) -> list[TrialCard]:
    """A screenful of cards in title order, shown while the whole library loads."""
    return library.cards.first_cards(limit)


def refresh_cards(library: Library, trial_ids: list[str]) -> dict[str, TrialCard]:
    return library.cards.cards(trial_ids)


def match(library: Library, query: TrialQuery, index: CardIndex | None = None) -> Matches:
    """Matching ids in display order, and whether all are loaded cards (see CardRepository)."""
    return library.cards.match(query, index)


def save_note(library: Library, trial_id: str, note_id: int | None, body: str) -> Note | None:
    """Create or update the user's note; a note emptied of text is removed. A note over the
    size limit raises NoteTooLongError before anything is written."""
    check_note_size(body)
    if note_id is None:
        return library.notes.add(trial_id, body) if body.strip() else None
    if not body.strip():
        library.notes.delete(note_id)
        return None
    return library.notes.update(note_id, body)


class NoteNotSavedError(TrackerError):
    """A note could not be saved; its text is in the recovery file (and still in the editor).
    `retry` is False when trying again cannot help (the note is over the size limit)."""

    def __init__(self, message: str, recovery_path: Path | None, retry: bool = True,
                 trial_removed: bool = False) -> None:
        where = (f"; it is kept in the editor and in {recovery_path}" if recovery_path
                 else "; it is kept in the editor")
        super().__init__(f"note not saved: {message}{where}")
        self.recovery_path = recovery_path
        self.retry = retry
        self.trial_removed = trial_removed  # by another program, while the note was typed


class NoteDrafts:
    """Saves notes typed in the window. Used from the single database thread only.

    A note being written for the first time is named by a draft token; once its first save
    created it, later saves of the same draft update that note instead of adding another.
    A save that fails (a lock, a full disk, a read-only library) writes the text to the
    recovery file once per version of the text and raises NoteNotSavedError.
    """

    def __init__(self, library: Library) -> None:
        self._library = library
        self._note_ids: dict[str, int] = {}
        self._kept: dict[str, tuple[str, Path | None]] = {}  # draft -> (text kept, where)

    def save(self, trial_id: str, note_id: int | None, draft: str, body: str) -> Note | None:
        try:
            note = self._save(trial_id, note_id, draft, body)
        except (LibraryError, NoteTooLongError, TrialNotFoundError, sqlite3.Error) as error:
            if isinstance(error, sqlite3.Error):
                error = library_error(error, self._library.path) or LibraryError(str(error))
            removed = isinstance(error, TrialNotFoundError)  # by another program, meanwhile
            if removed:
                error = LibraryError(f"{trial_id} was removed from the library meanwhile")
            retry = not (removed or isinstance(error, NoteTooLongError))
            kept_body, where = self._kept.get(draft, (None, None))
            if body.strip() and kept_body != body:
                where = keep_text(self._library.path.parent, trial_id, body, f"not saved: {error}")
                self._kept[draft] = (body, where)
            raise NoteNotSavedError(str(error), where, retry=retry,
                                    trial_removed=removed) from None
        self._kept.pop(draft, None)
        return note

    def _save(self, trial_id: str, note_id: int | None, draft: str, body: str) -> Note | None:
        """Save; a sync may have re-keyed the trial meanwhile, so its id is resolved here, and
        a note that no longer exists (emptied earlier) is written again as a new one."""
        trial_id = self._library.trials.resolve(trial_id)
        note_id = note_id if note_id is not None else self._note_ids.get(draft)
        try:
            note = save_note(self._library, trial_id, note_id, body)
        except LookupError:
            note = save_note(self._library, trial_id, None, body)
        if note is None:
            self._note_ids.pop(draft, None)
        else:
            self._note_ids[draft] = note.id
        return note


def set_tags(library: Library, trial_id: str, tags: list[str]) -> list[str]:
    """Make the trial's tags exactly `tags` (one transaction)."""
    with library.transaction():
        current = library.tags.for_trial(trial_id)
        library.tags.remove(trial_id, [t for t in current if t.lower() not in
                                       {n.lower() for n in tags}])
        return library.tags.add(trial_id, tags)


def known_trials(library: Library, trial_ids: list[str]) -> dict[str, str]:
    """Of `trial_ids`, those already in the library (aliases followed): id -> display title."""
    found: dict[str, str] = {}
    for trial_id in trial_ids:
        try:
            trial = library.trials.get(trial_id)
        except TrialNotFoundError:
            continue
        found[trial_id] = trial.acronym or trial.brief_title or trial.id
    return found


#: The parts of a query that can hide a trial, as `hidden_by` names them.
HIDERS = ("search", "tree", "phase", "changed", "near")


def hidden_by(library: Library, query: TrialQuery, trial_id: str) -> tuple[str, ...]:
    """Which parts of `query` leave `trial_id` out of the results (of `HIDERS`): "tree" is
    the library tree's choice (watch list, tag, modality, disease, status), the rest are the
    search and the filter boxes. Each part is asked of the one trial alone (a few indexed
    look-ups), so a trial in the watch list shown is never said to be outside it."""
    one = (trial_id,)
    since = "last-sync" if query.changed_in_last_sync else query.changed_since
    tree = dataclasses.replace(query, search=None, phase=None, changed_since=None,
                               changed_in_last_sync=False, near=None, sort=TrialQuery().sort,
                               ids=one)
    outside_ids = query.ids is not None and trial_id not in query.ids
    parts = {
        "search": TrialQuery(search=query.search, ids=one) if query.search else None,
        "tree": tree if tree != TrialQuery(ids=one) else None,
        "phase": TrialQuery(phase=query.phase, ids=one) if query.phase else None,
        # the meeting's date is the shown list's: asked only of a trial in that list
        "changed": TrialQuery(changed_since=since, ids=one,
                              watchlist_id=query.watchlist_id if since == "meeting" else None)
        if since else None,
        "near": TrialQuery(near=query.near, ids=one) if query.near else None,
    }
    hiding = ["tree"] if outside_ids else []
    for name, part in parts.items():
        if part is None or (name == "tree" and outside_ids):
            continue
        if name == "changed" and since == "meeting" and "tree" in hiding:
            continue  # not in the list: its meeting says nothing of the trial
        if not library.cards.match(part).ids:
            hiding.append(name)
    return tuple(sorted(hiding, key=HIDERS.index))
