"""What every export format is built from: a watch list and its trials, in list order.

The handout also decides the "changes since" window and numbers the reviews its figures
cite, so every format reports the same window and the same reference numbers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from tracker.domain import Outcome, Trial, WatchList, local_day, users_today
from tracker.domain.adverse_events import AdverseEvents
from tracker.domain.metrics import headline_figures, headline_outcomes
from tracker.domain.safety_table import SafetyTable, safety_table
from tracker.domain.words import bracketable
from tracker.services.details import TrialDetails
from tracker.services.handout_changes import HandoutChange, change_summary, changes_for_handout
from tracker.services.sources import ReferenceList
from tracker.store import Library

DEFAULT_WINDOW_DAYS = 30


@dataclass(frozen=True)
class ChangeWindow:
    """From when a handout reports changes, and why that date."""

    since: dt.date | None
    reason: str  # "the list's previous meeting", "the list's last export", ...

    @property
    def label(self) -> str:
        if self.since is None:
            return "the start of tracking"
        return f"{self.since.isoformat()} ({self.reason})"


@dataclass(frozen=True)
class PostedSafety:
    """A trial the registry flags as having posted results: its adverse events as stored
    (None: none in the stored results, or `fetched` False: the library has no record with
    its results yet) and the registry update they are from."""

    events: AdverseEvents | None
    as_of: str | None = None
    fetched: bool = True

    @cached_property
    def table(self) -> SafetyTable | None:
        return safety_table(self.events) if self.events is not None else None


@dataclass(frozen=True)
class HandoutTrial:
    details: TrialDetails
    changes_since: list[HandoutChange] = field(default_factory=list)
    safety: PostedSafety | None = None  # None: the registry flags no posted results

    @property
    def trial(self) -> Trial:
        return self.details.trial

    @property
    def no_figure_words(self) -> str:
        """What a trial with no figure from the reviews gets: "No efficacy figure in the reviews",
        or "No efficacy figure from the reviews · registry results posted" when the registry has
        them (the rule the card and the detail pane follow)."""
        from tracker.domain.registry_headline import no_figure_text

        return no_figure_text(posted=self.trial.has_results)

    @cached_property
    def headline(self) -> list[Outcome]:
        outcomes = self.trial.outcomes
        return headline_outcomes(outcomes, limit=len(outcomes))  # one figure per metric


@dataclass(frozen=True)
class Handout:
    watchlist: WatchList
    trials: list[HandoutTrial]
    window: ChangeWindow
    include_notes: bool
    generated_at: dt.datetime
    references: ReferenceList = field(default_factory=ReferenceList)

    @property
    def since(self) -> dt.date | None:
        return self.window.since

    @property
    def since_label(self) -> str:
        return self.window.label

    @property
    def day(self) -> dt.date:
        """The user's day the handout was made (`local_day`): what it is dated by, and the
        "today" of its timeline, calendar and citations."""
        return local_day(self.generated_at)

    @property
    def meeting_words(self) -> str:
        """The list's meeting as the handout names it: "2026-12-10", "2026-12-03 (today)";
        a date already past when the handout is made is not presented as the meeting it is
        for: "2026-11-05 (past: the next meeting's date is not set)"; "" without one."""
        meeting = self.watchlist.meeting_date
        if meeting is None:
            return ""
        if meeting < self.day:
            return f"{meeting.isoformat()} (past: the next meeting's date is not set)"
        return f"{meeting.isoformat()}{' (today)' if meeting == self.day else ''}"

    @property
    def change_summary(self) -> str | None:
        """The window's changes for the first page (`handout_changes.change_summary`)."""
        return change_summary([(i.trial.display_title, i.changes_since) for i in self.trials])

    def cite(self, outcome: Outcome) -> str:
        """'[2] Gao et al. 2025, Table 1': the figure's review and where in it."""
        return self.references.cite(outcome.source.file, outcome.source.locator)

    def cite_short(self, outcome: Outcome) -> str:
        """'[2] Gao et al. 2025': for table cells, where the locator would not fit."""
        return self.references.cite(outcome.source.file, None)


def change_window(library: Library, watchlist: WatchList, since: dt.date | None,
                  today: dt.date) -> ChangeWindow:
    """The chosen date; else the previous meeting; else the last export made before today
    (so the formats exported one after another today agree); else 30 days."""
    if since is not None:
        return ChangeWindow(since, "the date chosen for this export")
    meeting = watchlist.meeting_behind(today)  # an upcoming meeting is not a start
    if meeting is not None:
        return ChangeWindow(meeting, "the list's previous meeting")
    exported = library.watchlists.last_exported_before(watchlist.name, today)
    if exported is not None:
        return ChangeWindow(local_day(exported), "the list's last export")
    return ChangeWindow(today - dt.timedelta(days=DEFAULT_WINDOW_DAYS),
                        f"the last {DEFAULT_WINDOW_DAYS} days")


def default_window_words(watchlist: WatchList, today: dt.date) -> str:
    """What an export with no date chosen reports changes since, as the export dialog says
    it beforehand: `change_window`'s rule. The meeting is known from the list; whether and
    when it was last exported only the library knows, so that case is named, not dated."""
    meeting = watchlist.meeting_behind(today)
    if meeting is not None:
        return f"since the list's previous meeting ({meeting.isoformat()})"
    return (f"since the list's last export before today, or over the last "
            f"{DEFAULT_WINDOW_DAYS} days if it has none")


def build_handout(library: Library, name: str, *, since: dt.date | None = None,
                  include_notes: bool = False, now: dt.datetime | None = None) -> Handout:
    now = now or dt.datetime.now(dt.UTC)
    watchlist = library.watchlists.get(name)
    window = change_window(library, watchlist, since, users_today(now))
    ids = list(watchlist.trial_ids)
    notes = library.notes.for_trials(ids) if include_notes else {}
    tags = library.tags.for_all()
    history = library.history.for_trials(ids)
    change_log = library.changes.for_trials(ids)  # carried by the JSON exchange
    changes = changes_for_handout(library, ids, window.since)
    loaded = _load_trials(library, ids)
    safety = _posted_safety(library, [t for t in loaded.values() if t.has_results])
    trials = [
        HandoutTrial(TrialDetails(loaded[trial_id], notes.get(trial_id, []),
                                  tags.get(trial_id, []), history.get(trial_id, []), [name],
                                  changes=change_log.get(trial_id, [])),
                     changes[trial_id], safety.get(loaded[trial_id].id))
        for trial_id in ids
    ]
    handout = Handout(watchlist, trials, window, include_notes, now)
    for item in trials:  # number the reviews in the order a reader meets them
        for outcome in (*item.headline, *item.trial.outcomes):
            handout.references.number(outcome.source.file)
    return handout


def _load_trials(library: Library, ids: list[str]) -> dict[str, Trial]:
    """The list's trials in a few queries (not one per trial)."""
    from tracker.store import TrialQuery

    found: dict[str, Trial] = {}
    for start in range(0, len(ids), 500):
        chunk = tuple(ids[start:start + 500])
        found.update((t.id, t) for t in library.trials.list(TrialQuery(ids=chunk)))
    for trial_id in ids:
        if trial_id not in found:  # reached through an alias: the repository resolves it
            found[trial_id] = library.trials.get(trial_id)
    return found


def _posted_safety(library: Library, trials: list[Trial]) -> dict[str, PostedSafety]:
    """The posted adverse events of the trials the registry flags as having results, from
    the newest stored record that carries them (a trial whose results were not fetched yet
    gets `PostedSafety(None)`)."""
    if not trials:
        return {}
    from tracker.ctgov.results_modules import adverse_events  # only when a trial has results

    stored = library.versions.latest_with_results_for([t.id for t in trials])
    found = {}
    for trial in trials:
        as_of, study = stored.get(trial.id, (None, None))
        found[trial.id] = PostedSafety(adverse_events(study) if study else None, as_of,
                                       fetched=study is not None)
    return found


def key_outcomes(handout: Handout, trial: Trial, limit: int = 4) -> list[str]:
    """The headline figures, written as the headline writes them (a comparison with its
    comparator, "OS 14.7 months vs 9.6 months"; a rate with its timepoint), each followed by
    where it applies (arm and population in full, so not the headline's short label as well)
    and its citation, for the CSV; a caveated figure carries the caveat."""
    lines = []
    for figure in headline_figures(trial.outcomes, limit=limit,
                                   compares_arms=trial.compares_arms):
        outcome, other = figure.outcome, figure.comparator
        arms = f"{outcome.arm} vs {other.arm}" if other is not None else outcome.arm
        timepoint = None if figure.timepoint_written else outcome.timepoint
        detail = "; ".join(bracketable(p) for p in (timepoint, arms, outcome.population,
                                                    handout.cite(outcome)) if p)
        caveats = dict.fromkeys(c for c in (outcome.caveat, getattr(other, "caveat", None)) if c)
        caveat = "".join(f" Curator's caveat: {c}" for c in caveats)
        lines.append(f"{figure.unlabelled} ({detail}){caveat}")
    return lines
