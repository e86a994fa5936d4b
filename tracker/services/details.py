"""A trial with everything the user attached to it, and its stable JSON shape.

The JSON shape (`TRIAL_JSON_VERSION`) is what `tracker list/show --json` print; it is
documented in docs/cli-json.md and only grows new keys within a version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tracker.services.change_log import change_json, versions_json
from tracker.services.record import load_record, record_json
from tracker.store import Library, TrialQuery

if TYPE_CHECKING:
    from tracker.domain import Note, Outcome, PartialDate, StatusChange, Trial
    from tracker.domain.changes import FieldChange
    from tracker.domain.record import RecordDetails
    from tracker.domain.views import NoteView, TrialView
    from tracker.store.versions import VersionInfo

TRIAL_JSON_VERSION = 1


@dataclass(frozen=True)
class TrialDetails:
    trial: Trial | TrialView  # a view when read for display only (`load_display_details`)
    notes: list[Note] | list[NoteView] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    history: list[StatusChange] = field(default_factory=list)
    watchlists: list[str] = field(default_factory=list)
    changes: list[FieldChange] = field(default_factory=list)  # oldest first, as seen
    versions: list[VersionInfo] = field(default_factory=list)
    record: RecordDetails | None = None  # the latest stored registry version, read

    @property
    def registry_versions(self) -> int:
        """How many versions of the registry record were seen: stored copies of one version
        (its results fetched after the record, same last-update date) count once."""
        return len({v.last_update_posted or f"#{v.id}" for v in self.versions})

    def versions_seen_text(self) -> str:
        """'2 registry versions seen'; for changes that came with an imported list and no
        stored record, that the record is not stored here yet."""
        count = self.registry_versions
        if count == 0 and self.changes:
            return "no registry version stored here yet: sync to fetch the record"
        return f"{count} registry version{'s' if count != 1 else ''} seen"


def load_details(library: Library, trial_id: str) -> TrialDetails:
    trial = library.trials.get(trial_id)
    return TrialDetails(
        trial=trial,
        notes=library.notes.for_trial(trial.id),
        tags=library.tags.for_trial(trial.id),
        history=library.history.for_trial(trial.id),
        watchlists=library.watchlists.lists_of(trial.id),
        changes=library.changes.for_trial(trial.id),
        versions=library.versions.for_trial(trial.id),
        record=load_record(library, trial.id),
    )


def load_display_details(library: Library, trial_id: str) -> TrialDetails:
    """What `tracker show` prints, read as plain views: no pydantic model is built (the
    stored rows were validated when written). Status history and watch lists, which the text
    does not print, are left out."""
    trial = library.views.trial(trial_id)
    return TrialDetails(
        trial=trial,
        notes=library.views.notes(trial.id),
        tags=library.tags.for_trial(trial.id),
        changes=library.changes.for_trial(trial.id),
        versions=library.versions.for_trial(trial.id),
        record=load_record(library, trial.id),
    )


def load_many_details(library: Library, query: TrialQuery | None = None) -> list[TrialDetails]:
    trials = library.trials.list(query)
    ids = [trial.id for trial in trials]
    notes = library.notes.for_trials(ids)
    history = library.history.for_trials(ids)
    changes = library.changes.for_trials(ids)
    versions = library.versions.for_trials(ids)
    tags = library.tags.for_all()
    return [
        TrialDetails(trial=t, notes=notes[t.id], tags=tags.get(t.id, []), history=history[t.id],
                     changes=changes[t.id], versions=versions[t.id])
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
        changes=[change_json(c) for c in reversed(details.changes)],
        versions=versions_json(details.versions),
        registry_record=record_json(details.record),
    )
    return data
