"""Revised adverse-event postings as change-log entries.

Two versions' posted adverse events (`AdverseEventFacts`) are compared term by term, arm by
arm: adverse events posted for the first time (one entry, not one per term), the time frame
changed, and, per kind (all-cause deaths, serious events, other events), one entry naming the
revised terms - a count affected or at risk changed in an arm, a term added or removed, an
arm's total changed. Terms are matched by their words (case and spacing aside) and, among
namesakes of one kind, by their order; a term moved to another organ system is not a change.

An entry gives the figures of up to `NAMED_TERMS` revised terms; a larger revision is one
short entry naming how many terms changed and the first few: class toxicities (CRS, ICANS,
tumour lysis) first, then arm totals, then the other terms of special interest, then the
rest in posted order ("… and 77 more"). Significance comes from the change table.
Pure: no storage, no network, no Qt.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from tracker.domain.adverse_events import (
    TERM_NOT_POSTED,
    is_class_toxicity,
    is_of_special_interest,
)
from tracker.domain.change_table import Significance, significance_of
from tracker.domain.change_words import ARROW, short
from tracker.domain.record_facts import AdverseEventFacts, EventCountFact

#: Revised terms one entry names; the rest of a large revision are counted, not listed.
NAMED_TERMS = 3
#: (change-log field, kind of count) in the order the entries are made.
_KINDS = (("all_cause_mortality", "deaths"), ("serious_adverse_events", "serious"),
          ("other_adverse_events", "other"))
#: How an arm's total reads among the terms.
_TOTALS = {"deaths": "all-cause deaths", "serious": "any serious adverse event",
           "other": "any other adverse event"}

_Raw = tuple[str, str | None, str | None, str | None, Significance]
_TermKey = tuple[str, str, int]  # kind, term's words in lower case, place among namesakes
_ArmCounts = dict[str, EventCountFact]  # arm (its group id, else title) -> count


@dataclass(frozen=True)
class _Revision:
    """One term (or an arm's total) of one kind whose posted counts changed."""

    kind: str
    term: str
    organ_system: str
    arms: tuple[tuple[str, EventCountFact | None, EventCountFact | None], ...]  # arm, was, now
    position: int  # in the posting, to keep its order among equals

    @property
    def added(self) -> bool:
        return all(was is None for _, was, _ in self.arms)

    @property
    def removed(self) -> bool:
        return all(now is None for _, _, now in self.arms)

    @property
    def class_toxicity(self) -> bool:
        return bool(self.term) and is_class_toxicity(self.term)

    @property
    def priority(self) -> int:
        if self.class_toxicity:
            return 0
        if not self.term:
            return 1
        return 2 if is_of_special_interest(self.term, self.organ_system) else 3

    @property
    def name(self) -> str:
        return short(self.term, 60) if self.term else _TOTALS[self.kind]

    def text(self) -> str:
        """"Cytokine release syndrome, arm 'Cilta-cel', 12/97 → 14/97", "Sepsis added (arm
        'Ven + Aza' 16/283)", "Pneumonia removed (was arm 'Ven + Aza' 46/283, …)"."""
        name = self.name
        if self.added or self.removed:
            counts = [now if self.added else was for _, was, now in self.arms]
            listed = ", ".join(f"arm {_arm(arm)} {_fraction(count)}"
                               for (arm, _, _), count in zip(self.arms, counts, strict=True)
                               if count is not None and count.affected != 0)
            if self.added:
                return f"{name} added ({listed or 'no participant affected'})"
            return f"{name} removed (was {listed or 'no participant affected'})"
        changed = " and ".join(f"arm {_arm(arm)}, {_fraction(was)} {ARROW} {_fraction(now)}"
                               for arm, was, now in self.arms)
        return f"{name}, {changed}"


def adverse_event_changes(old: AdverseEventFacts, new: AdverseEventFacts) -> Iterator[_Raw]:
    """The change-log entries between two postings (field, old, new, detail, significance).
    Adverse events posted (or withdrawn) is one entry; a revision is up to one entry per
    kind, plus the time frame."""
    if old == new:  # most new versions leave the posting as it was: no grouping then
        return
    if not old.posted or not new.posted:
        yield ("adverse_events_posted", summary(old), summary(new),
               short(new.time_frame, 100) if new.posted and new.time_frame else None,
               significance_of("adverse_events_posted"))
        return
    if old.time_frame != new.time_frame:
        yield ("adverse_event_time_frame", old.time_frame or None, new.time_frame or None,
               None, significance_of("adverse_event_time_frame"))
    before, after = _by_term(old.counts), _by_term(new.counts)
    for field, kind in _KINDS:
        revisions = _revisions(kind, before, after)
        if revisions:
            toxicity = any(revision.class_toxicity for revision in revisions)
            yield (field, None, _listing(revisions), _how_many(kind, revisions),
                   significance_of(field, class_toxicity=toxicity))


def summary(events: AdverseEventFacts) -> str | None:
    """'2 arms, 14 serious and 14 other terms' (None when nothing is posted); events posted
    without a term are counted apart: '5 serious (+1 without a term) and 3 other terms'."""
    if not events.posted:
        return None
    arms = len({count.arm for count in events.counts})
    named, unnamed = {}, {}
    for kind in ("serious", "other"):
        counts = [c for c in events.counts if c.kind == kind and c.term]
        named[kind] = len({(c.term, c.organ_system) for c in counts
                           if c.term != TERM_NOT_POSTED})
        # events without a term cannot be told apart by name: each has one count per arm
        per_arm = Counter(c.arm for c in counts if c.term == TERM_NOT_POSTED)
        unnamed[kind] = max(per_arm.values(), default=0)

    def without_term(kind: str) -> str:
        return f" (+{unnamed[kind]} without a term)" if unnamed[kind] else ""

    return (f"{arms} arm{_s(arms)}, {named['serious']} serious{without_term('serious')} and "
            f"{named['other']} other{without_term('other')} term{_s(named['other'])}")


def _by_term(counts: tuple[EventCountFact, ...]) -> dict[_TermKey, _ArmCounts]:
    """Counts grouped by term: a term posted twice (under two organ systems) is two terms,
    told apart by their order in each arm."""
    seen: Counter[tuple[str, str, str]] = Counter()
    grouped: dict[_TermKey, _ArmCounts] = {}
    for count in counts:
        words = " ".join(count.term.split()).casefold()
        arm = count.arm_key or count.arm  # by group id: a renamed arm is the same arm
        seen[(count.kind, words, arm)] += 1
        grouped.setdefault((count.kind, words, seen[(count.kind, words, arm)]),
                           {})[arm] = count
    return grouped


def _revisions(kind: str, before: dict[_TermKey, _ArmCounts],
               after: dict[_TermKey, _ArmCounts]) -> list[_Revision]:
    keys = [key for key in after if key[0] == kind]
    keys += [key for key in before if key[0] == kind and key not in after]
    found = []
    for position, key in enumerate(keys):
        was, now = before.get(key, {}), after.get(key, {})
        arms = tuple(((now.get(arm) or was.get(arm)).arm, was.get(arm), now.get(arm))
                     for arm in [*now, *(a for a in was if a not in now)]
                     if not _same(was.get(arm), now.get(arm)))  # named as now posted
        if arms:
            sample = next(count for _, was_count, now_count in arms  # the term as now posted
                          for count in (now_count, was_count) if count is not None)
            found.append(_Revision(kind, sample.term, sample.organ_system, arms, position))
    return sorted(found, key=lambda revision: (revision.priority, revision.position))


def _same(was: EventCountFact | None, now: EventCountFact | None) -> bool:
    if was is None or now is None:
        return was is now
    return (was.affected, was.at_risk) == (now.affected, now.at_risk)


def _listing(revisions: list[_Revision]) -> str:
    """Each revision with its figures, or, past `NAMED_TERMS`, the first few terms' names
    and how many more: 'Cytokine release syndrome, Sepsis, Pneumonia and 77 more'."""
    if len(revisions) <= NAMED_TERMS:
        return "; ".join(revision.text() for revision in revisions)
    named = ", ".join(revision.name for revision in revisions[:NAMED_TERMS])
    return f"{named} and {len(revisions) - NAMED_TERMS} more"


def _how_many(kind: str, revisions: list[_Revision]) -> str:
    if kind == "deaths":
        arms = sum(len(revision.arms) for revision in revisions)
        return f"{arms} arm{_s(arms)}"
    return f"{len(revisions)} term{_s(len(revisions))}"


def _fraction(count: EventCountFact | None) -> str:
    """'12/97' as posted; '—/97' for a count left out; 'not posted' for neither."""
    if count is None or (count.affected is None and count.at_risk is None):
        return "not posted"
    return f"{_shown(count.affected)}/{_shown(count.at_risk)}"


def _shown(number: int | None) -> str:
    return "—" if number is None else str(number)


def _arm(title: str) -> str:
    return f"'{short(title, 40)}'"


def _s(count: int) -> str:
    return "" if count == 1 else "s"
