"""How a registry change reads: stored values as words, the one-line descriptions of the
fields whose old → new pair would not read well (added/removed items, posted results,
adverse events), and the few words a card shows for the fields that need their own."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.domain.changes import FieldChange

#: Between a change's old and new value, in every view: the CLI, the sync report, the detail
#: pane, the exports (adverse-event revisions are stored written with it).
ARROW = "→"


def display(field: str, value: str | None) -> str:
    """A stored value for people: registry enum words ("ACTIVE_NOT_RECRUITING") as words."""
    if value is None:
        return "(none)"
    if field == "overall_status":
        return _status_words(value)
    return value


def _status_words(code: str) -> str:
    """A status as its label says it (an unrecognised one flagged); text that is no code at
    all (stored before the vocabulary) as words."""
    from tracker.domain.enums import RegistryStatus

    try:
        return RegistryStatus(code).label
    except ValueError:
        return code.replace("_", " ").capitalize()


def short(text: str, limit: int = 80) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[:limit - 1] + "…"


def _added_removed(noun: str) -> Callable[[FieldChange], str]:
    def describe(change: FieldChange) -> str:
        if change.old is None:
            return f"{noun} added: {short(change.new or '')}"
        if change.new is None:
            return f"{noun} removed: {short(change.old)}"
        return f"{noun} changed: {short(change.old)} {ARROW} {short(change.new)}"
    return describe


def _registry_listing(change: FieldChange) -> str:
    """"no longer found in the registry (last seen as recruiting)"; "listed in the registry
    again (as completed)" when a trial not found before is found again."""
    if change.old == "not found":
        return "listed in the registry again" + (f" (as {change.new})" if change.new else "")
    return "no longer found in the registry" + (f" (last seen as {change.old})"
                                                if change.old else "")


#: Fields the change log keeps one item at a time: a change without an old value is an item
#: added ("site added: …"), not a value set for the first time ("why stopped (none) → …").
ITEM_FIELDS = frozenset({"arm", "site", "reference", "result_reference", "posted_result",
                         "primary_outcome", "secondary_outcome"})

SHORT_DESCRIPTION: dict[str, Callable[[FieldChange], str]] = {
    "results_first_posted": lambda c: "results posted" + (f" ({c.new})" if c.new else ""),
    "registry_listing": _registry_listing,
    "arm": _added_removed("arm"),
    "site": _added_removed("site"),
    "reference": _added_removed("reference"),
    "result_reference": lambda c: f"result publication: {short(c.new or '', 60)}",
    "posted_result": lambda c: _posted_result(c),
    "primary_outcome": _added_removed("primary endpoint"),
    "secondary_outcome": _added_removed("secondary endpoint"),
    "eligibility_criteria": lambda c: "eligibility criteria changed",
    "adverse_events_posted": lambda c: _adverse_events_posted(c),
    "all_cause_mortality": lambda c: _revised(c),
    "serious_adverse_events": lambda c: _revised(c),
    "other_adverse_events": lambda c: _revised(c),
}

#: Details whose bare words would mislead ("recruiting" beside a site of a trial that is not).
DETAIL_WORDS: dict[str, Callable[[str], str]] = {"site": lambda status: f"site marked {status}"}

#: Fields whose change reads as one sentence (`describe`), not as a value that went from old
#: to new: the adverse-event revisions keep what was revised in `new` (`old` is None).
SENTENCE_FIELDS = frozenset({"adverse_events_posted", "all_cause_mortality",
                             "serious_adverse_events", "other_adverse_events"})

#: A card's few words for the fields whose description is too long to be one.
MARKER_WORDS: dict[str, Callable[[FieldChange], str]] = {
    "adverse_events_posted": lambda c: "adverse events posted" if c.new is not None
    else "adverse events withdrawn",
    "all_cause_mortality": lambda c: "deaths revised",
    "serious_adverse_events": lambda c: "serious adverse events revised",
    "other_adverse_events": lambda c: "other adverse events revised",
}


def _adverse_events_posted(change: FieldChange) -> str:
    """'adverse events posted: 2 arms, 14 serious and 14 other terms (time frame: …)'."""
    if change.new is None:
        return f"adverse events withdrawn (were: {change.old or 'posted'})"
    when = f" (time frame: {short(change.detail, 60)})" if change.detail else ""
    return f"adverse events posted: {change.new}{when}"


def _revised(change: FieldChange) -> str:
    """'serious adverse events revised: Cytokine release syndrome, arm 'Cilta-cel', 12/97 →
    14/97'; how many terms when more than one ('… revised (80 terms): …; and 77 more')."""
    many = change.detail and not change.detail.startswith("1 ")
    how_many = f" ({change.detail})" if many else ""
    return f"{change.label} revised{how_many}: {change.new or ''}"

def _posted_result(change: FieldChange) -> str:
    """'posted result changed (Overall Survival): Axi-cel: 14.7 (…) → Axi-cel: 15.2 (…)':
    the figures that changed, each named; the measure's title is the change's detail."""
    title = short(change.detail or "a measure", 60)
    if change.old is None:
        return f"posted result added: {title}"
    if change.new is None:
        return f"posted result removed: {title}"
    return (f"posted result changed ({title}): {short(change.old, 100)} {ARROW} "
            f"{short(change.new, 100)}")
