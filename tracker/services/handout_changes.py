"""What changed in a list's trials since a date: the one place handouts ask.

The field-level change log (`library.changes`, issue 10) feeds it: statuses and every other
tracked field, so every export shows the same changes the window and `tracker changes` do,
with the significance the log stores: major changes first, newest first within each group.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.domain.calendar_day import local_day
from tracker.domain.change_table import MAJOR_MEANS, Significance
from tracker.domain.change_words import ARROW, ITEM_FIELDS, SENTENCE_FIELDS
from tracker.domain.words import plural
from tracker.store import Library


@dataclass(frozen=True)
class HandoutChange:
    trial_id: str
    seen_at: dt.datetime
    field: str  # "status" today; registry field names once the change log records them
    old: str | None
    new: str
    registry_date: str | None = None
    sentence: str | None = None  # how a change that is not old -> new reads
    major: bool = False  # the change log's significance (`change_table`): major, else minor
    added: bool = False  # an item the record gained (ITEM_FIELDS: a site, a reference)

    def describe(self) -> str:
        """"2026-12-03: status Recruiting → Completed (registry update 2026-11-20)": the day
        a sync saw it, then the registry's own date for the record, which a citation needs."""
        posted = f" (registry update {self.registry_date})" if self.registry_date else ""
        return f"{local_day(self.seen_at)}: {self.what()}{posted}"

    def what(self) -> str:
        """The change alone: "status Recruiting → Completed"; "site added: …" for an item the
        record gained; "why stopped (none) → …" for a value it gained."""
        if self.sentence:
            return self.sentence
        if self.added:
            return f"{self.field} added: {self.new}"
        return f"{self.field} {self.old or 'first seen'} {ARROW} {self.new}"


def changes_for_handout(library: Library, trial_ids: list[str],
                        since: dt.date | None) -> dict[str, list[HandoutChange]]:
    """Each trial's registry changes seen on or after `since` (all of them when `since` is
    None) from the field-level change log: statuses and every other field the log tracks, in
    words; major ones first, newest first within major and within minor (changes a sync saw
    together in the table's headline order). The first status a sync saw is not a change in
    the registry, so it is left out (after a first sync every trial would otherwise
    "change")."""
    found: dict[str, list[HandoutChange]] = {trial_id: [] for trial_id in trial_ids}
    logged = sorted(library.changes.since(since, trial_ids=list(trial_ids)),
                    key=lambda c: (c.significance != Significance.MAJOR,
                                   -c.seen_at.timestamp(), c.rank))
    for change in logged:
        if change.trial_id in found:
            found[change.trial_id].append(_handout_change(change))
    return found


def _handout_change(change) -> HandoutChange:
    initial = change.significance == "initial"
    new = change.new_text if change.new is not None else "(removed)"
    detail = f" ({change.detail_text})" if change.detail and not initial else ""
    if detail and detail.strip() not in new:  # a reference's kind is in its text already
        new += detail
    gained = change.old is None and not initial
    return HandoutChange(trial_id=change.trial_id, seen_at=change.seen_at, field=change.label,
                         old=None if initial else change.old_text, new=new,
                         registry_date=change.registry_date,
                         sentence=change.describe() if change.field in SENTENCE_FIELDS
                         else None, major=change.significance == Significance.MAJOR,
                         added=gained and change.field in ITEM_FIELDS)


def split_by_significance(changes: list[HandoutChange]
                          ) -> tuple[list[HandoutChange], list[HandoutChange]]:
    """(major, minor) in the handout's order."""
    return [c for c in changes if c.major], [c for c in changes if not c.major]


def changes_legend() -> str:
    """The one phrase a handout prints once to say what marks a change as major."""
    return f"major changes ({MAJOR_MEANS}) are listed first, newest first"


#: The most major changes a handout's summary names; the rest are counted.
SUMMARY_MOST = 10


def change_summary(changes_by_title: list[tuple[str, list[HandoutChange]]]) -> str | None:
    """The handout's first-page summary of the window's changes: "3 major changes: ZUMA-7:
    status Active not recruiting → Completed; … 2 minor changes are listed under their
    trials." None when no trial changed."""
    major = [(title, c) for title, changes in changes_by_title for c in changes if c.major]
    minor = sum(1 for _title, changes in changes_by_title for c in changes if not c.major)
    if not major and not minor:
        return None
    said = []
    if major:
        named = "; ".join(f"{title}: {c.what()}" for title, c in major[:SUMMARY_MOST])
        more = len(major) - SUMMARY_MOST
        said.append(f"{plural(len(major), 'major change')}: {named}"
                    + (f"; and {more} more" if more > 0 else "") + ".")
    if minor:
        said.append(f"{plural(minor, 'minor change')} " + (
            "is listed under its trial." if minor == 1 else "are listed under their trials."))
    return " ".join(said)
