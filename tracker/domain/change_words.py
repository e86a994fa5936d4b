"""How a registry change reads: stored values as words, and the one-line descriptions of the
fields whose old -> new pair would not read well (added/removed items, posted results)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.domain.changes import FieldChange


def display(field: str, value: str | None) -> str:
    """A stored value for people: registry enum words ("ACTIVE_NOT_RECRUITING") as words."""
    if value is None:
        return "(none)"
    if field == "overall_status":
        return value.replace("_", " ").capitalize()
    return value


def short(text: str, limit: int = 80) -> str:
    one_line = " ".join(text.split())
    return one_line if len(one_line) <= limit else one_line[:limit - 1] + "…"


def _added_removed(noun: str) -> Callable[[FieldChange], str]:
    def describe(change: FieldChange) -> str:
        if change.old is None:
            return f"{noun} added: {short(change.new or '')}"
        if change.new is None:
            return f"{noun} removed: {short(change.old)}"
        return f"{noun} changed: {short(change.old)} -> {short(change.new)}"
    return describe


SHORT_DESCRIPTION: dict[str, Callable[[FieldChange], str]] = {
    "results_first_posted": lambda c: "results posted" + (f" ({c.new})" if c.new else ""),
    "arm": _added_removed("arm"),
    "site": _added_removed("site"),
    "reference": _added_removed("reference"),
    "result_reference": lambda c: f"result publication: {short(c.new or '', 60)}",
    "posted_result": lambda c: _posted_result(c),
    "primary_outcome": _added_removed("primary endpoint"),
    "secondary_outcome": _added_removed("secondary endpoint"),
    "eligibility_criteria": lambda c: "eligibility criteria changed",
}

def _posted_result(change: FieldChange) -> str:
    """'posted result changed (Overall Survival): 14.7 (…) -> 15.2 (…)'; the measure's
    title is the change's detail."""
    title = short(change.detail or "a measure", 60)
    if change.old is None:
        return f"posted result added: {title}"
    if change.new is None:
        return f"posted result removed: {title}"
    return (f"posted result changed ({title}): {short(change.old, 60)} -> "
            f"{short(change.new, 60)}")
