"""What every export format is built from: a watch list and its trials, in list order."""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from tracker.domain import StatusChange, Trial, WatchList
from tracker.services.details import TrialDetails, load_details
from tracker.store import Library


@dataclass(frozen=True)
class HandoutTrial:
    details: TrialDetails
    changes_since: list[StatusChange] = field(default_factory=list)

    @property
    def trial(self) -> Trial:
        return self.details.trial


@dataclass(frozen=True)
class Handout:
    watchlist: WatchList
    trials: list[HandoutTrial]
    since: dt.date | None
    include_notes: bool
    generated_at: dt.datetime

    @property
    def since_label(self) -> str:
        return self.since.isoformat() if self.since else "the start of tracking"


def build_handout(library: Library, name: str, *, since: dt.date | None = None,
                  include_notes: bool = True, now: dt.datetime | None = None) -> Handout:
    """`since` defaults to the list's meeting date: what changed before the meeting."""
    watchlist = library.watchlists.get(name)
    since = since or watchlist.meeting_date
    trials = []
    for trial_id in watchlist.trial_ids:
        details = load_details(library, trial_id)
        if not include_notes:
            details = dataclasses.replace(details, notes=[])
        changes = [c for c in details.history
                   if since is None or c.seen_at.date() >= since]
        trials.append(HandoutTrial(details, changes))
    return Handout(watchlist, trials, since, include_notes, now or dt.datetime.now(dt.UTC))


def key_outcomes(trial: Trial, limit: int = 4) -> list[str]:
    """"ORR 97.9% (arm; source)" lines for the summary table and CSV."""
    lines = []
    for outcome in trial.outcomes[:limit]:
        arm = f"{outcome.arm}; " if outcome.arm else ""
        lines.append(f"{outcome.metric} {outcome.value} ({arm}{outcome.source.display()})")
    return lines
