"""What changed in inbox studies whose records a check replaced, in words.

A check replaces the record of an inbox study a search finds again, and asks for the other
inbox studies by id (a search without statuses follows open studies only, so one that
closed drops out of it). `inbox_update` says what the new record changed: the new status (with the
sponsor's reason for a stop) leads, as a clinician reads it first; every other change is
named by its kind ("primary completion", "sites"). The kinds come from the change log's
one rule (`derive_changes`, whose labels they are) and from the inbox's own facts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.domain.change_words import ARROW, short
from tracker.domain.changes import FieldChange
from tracker.domain.enums import RegistryStatus
from tracker.domain.status_words import stop_reason
from tracker.domain.words import listed, plural

MOST_STUDIES = 5  # named in the summary line; the rest are counted ("and 3 more")
MOST_KINDS = 4  # kinds of change named for one study
WHY_CHARS = 80  # of the sponsor's reason, in the summary line


@dataclass(frozen=True)
class InboxUpdate:
    """One inbox study's record replaced by a newer one, and what that changed."""

    nct_id: str
    status: RegistryStatus | None = None  # the new status, when the status changed
    why_stopped: str | None = None  # the sponsor's reason, said with a new status
    #: the other changes in a card's few words ("primary completion +6 months", "sites
    #: changed"), most significant first
    kinds: tuple[str, ...] = ()

    def describe(self) -> str:
        """"NCT07000001 → Terminated (why stopped: Sponsor decision)", "NCT07000002:
        primary completion +6 months and sites changed" (the change log's few words for each
        change: `FieldChange.marker`), or, when the registry updated the record
        in fields the inbox does not show, "NCT07000003: updated, no change the inbox
        shows"."""
        kinds = _changes_words(self.kinds)
        if self.status is not None:
            said = [f"why stopped: {short(self.why_stopped, WHY_CHARS)}"] \
                if self.why_stopped else []
            said += [f"also {kinds}"] if kinds else []
            inner = f" ({'; '.join(said)})" if said else ""
            return f"{self.nct_id} {ARROW} {self.status.label}{inner}"
        if kinds:
            return f"{self.nct_id}: {kinds}"
        return f"{self.nct_id}: updated, no change the inbox shows"


def _changes_words(kinds: tuple[str, ...]) -> str:
    """"primary completion +9 months, conditions and sites changed": the changes told in
    their own words first, then those that only changed, named once with "changed"."""
    changed = [kind.removesuffix(" changed") for kind in kinds if kind.endswith(" changed")]
    told = [kind for kind in kinds if not kind.endswith(" changed")][:MOST_KINDS]
    plain = f"{listed(changed, max(MOST_KINDS - len(told), 1))} changed" if changed else ""
    return ", ".join([*told, plain] if plain else told)


def inbox_update(nct_id: str, changes: Iterable[FieldChange], also: Iterable[str] = (),
                 why_stopped: str | None = None) -> InboxUpdate:
    """The update of one inbox study from the change log's `changes` between its old and
    new record (in their order), the kinds of change the inbox noticed besides (`also`:
    "title", "sites"), and the new record's `whyStopped` (said only with a new status
    that is a stop: `status_words.stop_reason`)."""
    changes = list(changes)
    status = next((c for c in changes if c.field == "overall_status" and c.new), None)
    new_status = RegistryStatus(status.new) if status is not None else None
    reason = stop_reason(new_status, why_stopped) or None  # a stop's reason, not a leftover
    told = {"overall_status"} | ({"why_stopped"} if reason else set())
    kinds = [c.marker() for c in changes if c.field not in told] + [f"{kind} changed"
                                                                     for kind in also]
    return InboxUpdate(nct_id, new_status, reason, tuple(dict.fromkeys(kinds)))


def updates_line(updates: list[InboxUpdate], found_again: bool = False) -> str:
    """One line naming the updated studies, new statuses first: "2 other inbox studies
    changed in the registry (asked for by id): NCT07000001 → Terminated (why stopped:
    Sponsor decision); NCT07000002: sites changed"; past `MOST_STUDIES`, "; and 3 more".
    `found_again`: studies a search found again ("1 inbox study changed in the registry
    (found again by a search): …"); the rest were asked for by id, the *other* studies."""
    ordered = sorted(updates, key=lambda u: (u.status is None, u.nct_id))
    named = "; ".join(u.describe() for u in ordered[:MOST_STUDIES])
    more = len(ordered) - MOST_STUDIES
    studies = ("inbox study", "inbox studies") if found_again \
        else ("other inbox study", "other inbox studies")
    how = "found again by a search" if found_again else "asked for by id"
    return (f"{plural(len(ordered), *studies)} changed in the registry ({how}): {named}"
            + (f"; and {more} more" if more > 0 else ""))


def updates_summary(updates: Iterable[InboxUpdate]) -> str:
    """How many inbox studies changed, for a status bar, a new stop first (what a clinician
    must not miss): "1 inbox study terminated", "2 inbox studies withdrawn, 1 terminated,
    1 other changed", "3 inbox studies changed"; "" for none. A study counts once."""
    studies = list({u.nct_id: u for u in updates}.values())
    stops = Counter(u.status for u in studies if u.status is not None and u.status.stopped_early)
    others = len(studies) - stops.total()
    if not stops:
        return f"{plural(others, 'inbox study', 'inbox studies')} changed" if others else ""
    (status, count), *rest = sorted(stops.items(), key=lambda pair: (-pair[1], pair[0].label))
    said = [f"{plural(count, 'inbox study', 'inbox studies')} {status.label.lower()}"]
    said += [f"{more} {stop.label.lower()}" for stop, more in rest]
    return ", ".join(said) + (f", {plural(others, 'other')} changed" if others else "")
