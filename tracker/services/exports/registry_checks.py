"""Whether a handout's "changes since …" can be trusted: when the registry was last checked
for each trial, set against the start of the window.

A change log only holds what syncs saw. A trial last synced before the window began (or
never) has "no changes" because nobody asked, and a presenter must not tell the room "no
changes since the last meeting" on that basis. The handout says when the registry was last
checked, and a trial not checked since the window began says so instead of "none
recorded"; `tracker export` warns before the file is used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from tracker.domain import Trial
from tracker.domain.calendar_day import local_day, start_of_day, users_today
from tracker.domain.words import plural, word_for
from tracker.services.export_formats import CHANGE_FORMATS
from tracker.services.exports.handout import change_window
from tracker.store import Library, TrialQuery


NO_CHANGES = "none recorded"


def unchecked_words(trial: Trial, since: dt.date | None) -> str | None:
    """Why "none recorded" would mislead for `trial`, or None when the registry was checked
    for it since the window began (or it has no registry record to check)."""
    if not trial.is_registered:
        return None
    checked = trial.last_synced_at
    if checked is None:
        return "not checked with the registry yet (sync to see its changes)"
    if since is not None and checked < start_of_day(since):
        return (f"not checked since the window began: the registry was last checked on "
                f"{local_day(checked)} (sync to see its changes since then)")
    return None


def no_changes_words(trial: Trial, since: dt.date | None) -> str:
    """What a trial with no change in the window gets: "none recorded", or why that would
    mislead."""
    return unchecked_words(trial, since) or NO_CHANGES


def unchecked(trials: Sequence[Trial], since: dt.date | None) -> list[Trial]:
    """The registry trials not checked since the window began (or never)."""
    return [trial for trial in trials if unchecked_words(trial, since) is not None]


def registry_checked_words(trials: Sequence[Trial], since: dt.date | None) -> str | None:
    """"registry last checked 2026-12-02" (one day) or "… 2026-11-28 to 2026-12-02", then
    how many trials were not checked since the window began ("; 3 trials not checked since
    the window began: sync the list first"); None for a list with no registry trial."""
    registered = [trial for trial in trials if trial.is_registered]
    days = sorted({local_day(t.last_synced_at) for t in registered if t.last_synced_at})
    if not registered:
        return None
    if not days:
        return "registry not checked yet for these trials: sync the list first"
    said = f"registry last checked {days[0]}" + (f" to {days[-1]}" if len(days) > 1 else "")
    stale = unchecked(registered, since)
    if stale:
        said += (f"; {plural(len(stale), 'trial')} not checked since the window began: "
                 "sync the list first")
    return said


def export_warning_for(library: Library, name: str, fmt: str,
                       since: dt.date | None = None) -> str | None:
    """`export_warning` for the list `name` exported as `fmt` with the window the export
    takes (`change_window`); None for formats that report no changes."""
    if fmt not in CHANGE_FORMATS:
        return None
    watchlist = library.watchlists.get(name)
    window = change_window(library, watchlist, since, users_today())
    trials = library.trials.list(TrialQuery(ids=tuple(watchlist.trial_ids)),
                                 with_outcomes=False)
    return export_warning(trials, window.since, watchlist.name)


def export_warning(trials: Sequence[Trial], since: dt.date | None, list_name: str) -> str | None:
    """One line for `tracker export` when some changes may be missing, else None."""
    stale = unchecked(trials, since)
    if not stale:
        return None
    when = f"since {since.isoformat()}" if since else "at all"
    return (f"note: {plural(len(stale), 'trial')} of {len(trials)} in {list_name!r} "
            f"{'was' if len(stale) == 1 else 'were'} not checked with the registry {when}, so "
            f"{word_for(len(stale), 'its')} changes may be missing; run `tracker sync "
            f"--watchlist {list_name!r}` first")
