"""A trial with everything the user attached to it, and its stable JSON shape.

The JSON shape (`TRIAL_JSON_VERSION`) is what `tracker list/show --json` print; it is
documented in docs/cli-json.md and only grows new keys within a version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tracker.store import Library, TrialQuery

if TYPE_CHECKING:
    from tracker.domain import Note, Outcome, PartialDate, StatusChange, Trial

TRIAL_JSON_VERSION = 1


@dataclass(frozen=True)
class TrialDetails:
    trial: Trial
    notes: list[Note] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)
    watchlists: list[str] = field(default_factory=list)


def load_details(library: Library, trial_id: str) -> TrialDetails:
    trial = library.trials.get(trial_id)
    return TrialDetails(
        trial=trial,
        notes=library.notes.for_trial(trial.id),
        tags=library.tags.for_trial(trial.id),
        history=library.history.for_trial(trial.id),
        watchlists=library.watchlists.lists_of(trial.id),
    )


def load_many_details(library: Library, query: TrialQuery | None = None) -> list[TrialDetails]:
    trials = library.trials.list(query)
    ids = [trial.id for trial in trials]
    notes = library.notes.for_trials(ids)
    history = library.history.for_trials(ids)
    tags = library.tags.for_all()
    return [
        TrialDetails(trial=t, notes=notes[t.id], tags=tags.get(t.id, []), history=history[t.id])
        for t in trials
    ]


def _date_json(date: PartialDate | None) -> dict[str, Any] | None:
    return {"date": date.value, "type": date.kind.value if date.kind else None} if date else None


def _outcome_json(outcome: Outcome) -> dict[str, Any]:
    from tracker.services.references import reference_book

    return {**outcome.model_dump(mode="json"), "citation": reference_book().cite(outcome.source)}


def trial_json(details: TrialDetails) -> dict[str, Any]:
    """The documented per-trial object."""
    trial = details.trial
    data = trial.model_dump(
        mode="json",
        exclude={"start_date", "primary_completion_date", "completion_date", "outcomes"},
    )
    data.update(
        url=trial.registry_url,
        start_date=_date_json(trial.start_date),
        primary_completion_date=_date_json(trial.primary_completion_date),
        completion_date=_date_json(trial.completion_date),
        outcomes=[_outcome_json(o) for o in trial.outcomes],
        notes=[n.model_dump(mode="json", exclude={"trial_id"}) for n in details.notes],
        tags=list(details.tags),
        status_history=[h.model_dump(mode="json", exclude={"trial_id"}) for h in details.history],
        watchlists=list(details.watchlists),
    )
    return data
