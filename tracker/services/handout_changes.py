"""What changed in a list's trials since a date: the one place handouts ask.

Today the library records registry status changes; when the field-level change log lands
(issue 10) it feeds this function and every export shows the richer changes unchanged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.store import Library


@dataclass(frozen=True)
class HandoutChange:
    trial_id: str
    seen_at: dt.datetime
    field: str  # "status" today; registry field names once the change log records them
    old: str | None
    new: str
    registry_date: str | None = None

    def describe(self) -> str:
        old = self.old or "first seen"
        return f"{self.seen_at:%Y-%m-%d}: {self.field} {old} → {self.new}"


def changes_for_handout(library: Library, trial_ids: list[str],
                        since: dt.date | None) -> dict[str, list[HandoutChange]]:
    """Each trial's changes seen on or after `since` (all of them when `since` is None)."""
    history = library.history.for_trials(list(trial_ids))
    found: dict[str, list[HandoutChange]] = {}
    for trial_id in trial_ids:
        found[trial_id] = [
            HandoutChange(trial_id=trial_id, seen_at=change.seen_at, field="status",
                          old=change.old_status.label if change.old_status else None,
                          new=change.new_status.label, registry_date=change.registry_date)
            for change in history.get(trial_id, [])
            if since is None or change.seen_at.date() >= since
        ]
    return found
