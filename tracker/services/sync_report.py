"""What a sync or an add tells the user: changes, re-keys, misses and failures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tracker.domain import RegistryStatus
from tracker.domain.change_words import ARROW
from tracker.domain.words import listed, plural, word_for

if TYPE_CHECKING:  # the window imports this module before its first paint: no pydantic
    from pathlib import Path

    from tracker.domain.changes import FieldChange
    from tracker.store import Library

ProgressCallback = Callable[[int, int], None]


@dataclass(frozen=True)
class StatusChangeLine:
    trial_id: str
    title: str
    old_status: RegistryStatus | None
    new_status: RegistryStatus

    def describe(self) -> str:
        old = self.old_status.label if self.old_status else "(none)"
        return f"{self.trial_id} {self.title}: {old} {ARROW} {self.new_status.label}"


@dataclass(frozen=True)
class ChangeLine:
    """A field change a sync saw, with the title of its trial for the summary."""

    title: str
    change: FieldChange

    def describe(self) -> str:
        return f"{self.change.trial_id} {self.title}: {self.change.describe()}"


_MINOR_LINES = 20  # beyond this, minor changes are counted, not listed


@dataclass
class SyncReport:
    """Outcome of one sync run; `failed` maps a trial id to the reason, in words.

    Every id asked for ends in exactly one bucket: first_seen, changed (by its line), updated,
    unchanged, rekeyed (by its old id), not_found, failed or not_checked (the run stopped or
    was cancelled first), so the counts add up to `requested`. `unasked` (studies the registry
    sent that nobody asked for), `anonymous` (malformed studies without a usable id) and `cut`
    (texts cut to their limits) are about the registry's answers, not extra trials.
    """

    requested: int = 0
    changed: list[StatusChangeLine] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    first_seen: list[str] = field(default_factory=list)
    rekeyed: list[tuple[str, str]] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    #: added ids that came back with their curated entry (services/curated_readd.py); also
    #: in `added`
    restored: list[str] = field(default_factory=list)
    not_checked: list[str] = field(default_factory=list)
    unasked: list[str] = field(default_factory=list)
    anonymous: list[str] = field(default_factory=list)
    cut: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: trial id -> (stored last update, the registry's older one): a record that went back
    older: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: trial id -> (this sync's record date, its results answer's older date): the newer
    #: record was stored without the results, which a later sync fetches
    stale_results: dict[str, tuple[str, str]] = field(default_factory=dict)
    cancelled: bool = False
    kind: str = "sync"  # or "add"
    error: str | None = None  # a failure that stopped the run (e.g. no network)
    #: the library file was moved, deleted or replaced during the run: `error` says so, and
    #: what the run wrote is not in the file at the library's path
    library_left: bool = False
    field_changes: list[ChangeLine] = field(default_factory=list)

    def add_changes(self, title: str, changes: list[FieldChange]) -> None:
        self.field_changes += [ChangeLine(title, c) for c in changes
                               if c.significance != "initial"]

    def changes_by_significance(self) -> list[ChangeLine]:
        """Major changes first, then minor; each group in headline order."""
        return sorted(self.field_changes, key=lambda line: line.change.rank)

    @property
    def ok(self) -> bool:
        return not self.failed and self.error is None

    def settled_ids(self) -> set[str]:
        """Ids already in a bucket (a re-keyed trial by its old id)."""
        return ({*self.first_seen, *self.updated, *self.unchanged, *self.not_found,
                 *self.failed, *self.not_checked, *self.added}
                | {line.trial_id for line in self.changed} | {old for old, _ in self.rekeyed})

    def settled_count(self) -> int:
        return (len(self.first_seen) + len(self.changed) + len(self.updated)
                + len(self.unchanged) + len(self.rekeyed) + len(self.not_found)
                + len(self.failed) + len(self.not_checked) + len(self.added))

    def failed_by_the_stop(self) -> list[str]:
        """Ids failed with the very error that stopped the run (an add's ids that no answer
        settled before it): the stop sentence says why, once."""
        return [i for i, reason in self.failed.items() if self.error and reason == self.error]

    @property
    def checked_nothing(self) -> bool:
        untouched = len(self.not_checked) + len(self.failed_by_the_stop())
        return self.requested > 0 and untouched == self.requested

    def headline(self) -> str:
        cancelled = " (cancelled)" if self.cancelled else ""
        if self.kind == "add":
            return self._add_headline() + cancelled
        first = f"{len(self.first_seen)} synced for the first time, " if self.first_seen else ""
        real = self.field_changes
        major = sum(line.change.significance == "major" for line in real)
        fields = f"{plural(len(real), 'registry change')} ({major} major), " if real else ""
        unchecked = f", {len(self.not_checked)} not checked" if self.not_checked else ""
        checked = plural(self.requested, "trial") + ("" if self.not_checked else " checked")
        return (f"{checked}: {first}{plural(len(self.changed), 'status change')}, "
                f"{fields}{plural(len(self.updated), 'other update')}, "
                f"{len(self.unchanged)} unchanged, "
                f"{len(self.rekeyed)} re-keyed, {len(self.not_found)} not found, "
                f"{len(self.failed)} failed{unchecked}{cancelled}")

    def add_buckets(self) -> list[tuple[str, list[str]]]:
        """An add's outcome per id, in words: (what happened, ids), each id once."""
        renamed = dict((new, old) for old, new in self.rekeyed)
        added = [f"{i} (asked for as {renamed[i]})" if i in renamed else i for i in self.added]
        return [("added", added), ("already in the library", list(self.unchanged)),
                ("not found in the registry", list(self.not_found)),
                ("failed", list(self.failed)), ("not checked", list(self.not_checked))]

    def _add_headline(self) -> str:
        """"3 ids entered: 1 added (NCT…), 1 already in the library (NCT…), 1 not found in the
        registry (NCT…)": every bucket that holds an id, with up to three ids named."""
        parts = [f"{len(ids)} {what} ({listed(ids)})"
                 for what, ids in self.add_buckets() if ids]
        if not self.added:
            parts.insert(0, "none added")
        entered = plural(self.requested, "id")
        return f"{entered} entered: {', '.join(parts)}"

    @property
    def saved_anything(self) -> bool:
        return bool(self.changed or self.updated or self.first_seen or self.rekeyed
                    or self.not_found or self.added)

    def major_lines(self) -> list[str]:
        """Status changes, then the other major registry changes, one line each; a change
        that came with a record older than the stored one says so on its own line (a
        'reopened' trial is what someone announces at a meeting)."""
        return [self._with_older_hint(line.trial_id, line.describe()) for line in self.changed] \
            + [self._with_older_hint(line.change.trial_id, line.describe())
               for line in self._major_field_changes()]

    def _with_older_hint(self, trial_id: str, line: str) -> str:
        if trial_id not in self.older:
            return line
        stored, answered = self.older[trial_id]
        return (f"{line} (from an older registry record, last updated {answered}, before the "
                f"{stored} stored: check it on ClinicalTrials.gov)")

    def _major_field_changes(self) -> list[ChangeLine]:
        """The major changes other than statuses (the status lines name those)."""
        return [line for line in self.changes_by_significance()
                if line.change.significance == "major" and line.change.field != "overall_status"]

    def _field_change_lines(self) -> list[str]:
        """Major changes (statuses are listed above) then minor ones, the latter capped."""
        lines = self.changes_by_significance()
        major = [f"  major: {line.describe()}" for line in self._major_field_changes()]
        minor = [f"  minor: {line.describe()}" for line in lines
                 if line.change.significance == "minor"]
        if len(minor) > _MINOR_LINES:
            minor = [*minor[:_MINOR_LINES],
                     f"  ... and {len(minor) - _MINOR_LINES} more minor changes "
                     "(tracker changes lists them all)"]
        return major + minor

    def unaccounted_reason(self) -> str:
        """Why an id no answer accounted for is failed (a malformed study may have hidden it)."""
        return ("the registry's answer did not account for it"
                + (" (it held a malformed study without a usable NCT id, which may be this one)"
                   if self.anonymous else ""))

    def note_library_left(self, path: Path, gone: bool) -> None:
        """The file at `path` is no longer the one this run wrote to (`gone`: nothing is
        there now, else another file): one plain line for `error`, naming what to do."""
        if self.kind == "add":
            doing, lost, again = "adding trials", "the trials added", "add them again"
        else:
            doing, lost, again = "syncing", "this sync's changes", "sync again"
        self.error = library_left_text(path, gone, doing, lost, again)
        self.library_left = True

    def stopped_text(self) -> str:
        """One plain sentence for a run that an error stopped."""
        if self.library_left and self.error:
            return self.error[:1].upper() + self.error[1:] + "."
        run = "Adding trials" if self.kind == "add" else "The sync"
        if self.checked_nothing or not (self.settled_count() - len(self.not_checked)):
            return (f"{run} stopped before checking any trial: {self.error}. "
                    "Nothing in your library was changed.")
        done = "added" if self.kind == "add" else "updated"
        kept = (f"Trials {done} before it stopped are saved" if self.saved_anything
                else "Nothing in your library was changed")
        count = len(self.not_checked)
        unchecked = (f" {plural(count, 'trial')} {word_for(count, 'was')} not checked;"
                     if count else "")
        return f"{run} stopped: {self.error}.{unchecked} {kept}."

    def _failure_reason(self, trial_id: str, reason: str) -> str:
        if reason == self.error:  # the stop sentence gives it, once
            return "not checked before the run stopped"
        return reason.removeprefix(f"{trial_id}: ")  # the id is said once

    def summary_lines(self) -> list[str]:
        """The headline and one line per noteworthy trial (not the stop sentence: callers
        show `stopped_text()` once, where errors go)."""
        if self.error and self.checked_nothing:
            return []  # the stop sentence says it all
        lines = [self.headline()]
        lines += [f"  changed: {self._with_older_hint(line.trial_id, line.describe())}"
                  for line in self.changed]
        lines += self._field_change_lines()
        if self.kind == "add":
            lines += [f"  {what}: {trial_id}" for what, ids in self.add_buckets()
                      if what not in ("not found in the registry", "failed")
                      for trial_id in ids]
            lines += [f"  curated entry restored: {trial_id} (its review figures, summary and "
                      "curated facts, as the app ships them)" for trial_id in self.restored]
        else:
            lines += [f"  re-keyed: {old} {ARROW} {new} (the registry now uses {new})"
                      for old, new in self.rekeyed]
        lines += [f"  not found in the registry: {trial_id}" for trial_id in self.not_found]
        lines += [f"  failed: {trial_id}: {self._failure_reason(trial_id, reason)}"
                  for trial_id, reason in self.failed.items()]
        lines += [f"  cut to size: {trial_id}: {'; '.join(parts)}"
                  for trial_id, parts in self.cut.items()]
        lines += [f"  older record: {trial_id}: the registry's last update is {new}, before the "
                  f"{old} already stored; stored as its current record (check it on "
                  "ClinicalTrials.gov)" for trial_id, (old, new) in self.older.items()]
        lines += [f"  results not stored: {trial_id}: the registry's answer with its results "
                  f"is dated {new}, before the record of {old} it sent in this sync; the "
                  "newer record was kept: sync again later for the results"
                  for trial_id, (old, new) in self.stale_results.items()]
        if self.unasked:
            shown = ", ".join(sorted(set(self.unasked))[:5])
            lines.append(f"  ignored: the registry also sent "
                         f"{plural(len(set(self.unasked)), 'study')} nobody asked for ({shown})")
        lines += [f"  ignored: {problem}" for problem in self.anonymous]
        return lines


def answered_instead(asked: str, strangers: tuple[str, ...] | list[str]) -> str:
    """Why an id a second batch answer also lacked is failed, not called unknown: that
    answer held studies nobody asked for, which may have been sent in its place."""
    if len(strangers) == 1:
        study = f"a different study, {strangers[0]}, which does not list"
    else:
        study = f"other studies ({listed(list(strangers))}), none of which lists"
    return (f"the registry answered with {study} {asked} among its earlier ids; "
            "the trial was left as it was")


def contradicting_records(trial_id: str, records: list) -> str:
    """Why a trial the registry answered for with different records at once is failed."""
    dates = sorted({r.last_update_posted or "no date" for r in records})
    statuses = sorted({r.status.label if r.status else "no status" for r in records})
    told = (f"last updated {listed(dates)}" if len(dates) > 1
            else f"statuses {listed(statuses)}" if len(statuses) > 1 else "different contents")
    return (f"the registry sent {len(records)} different records for {trial_id} in one answer "
            f"({told}); the trial was left as it was: sync again later, or check it on "
            "ClinicalTrials.gov")


def library_left_text(path: Path, gone: bool, doing: str, lost: str, again: str) -> str:
    """"the library file … was moved or deleted while {doing}, so {lost} were not saved
    there; open the library where it is now, or {again}" (`gone`: nothing is at `path` now;
    else another file is)."""
    what = "was moved or deleted" if gone else "was replaced by another file"
    return (f"the library file {path} {what} while {doing}, so {lost} were not saved there; "
            f"open the library where it is now, or {again}")


def check_library_kept(library: Library, report: SyncReport) -> None:
    """At the end of a sync or add: when the library file was moved, deleted or replaced
    meanwhile (SQLite went on writing to the old file), say so in `report` (one os.stat)."""
    if not library.still_at_its_path():
        report.note_library_left(library.path, gone=not library.path.exists())
