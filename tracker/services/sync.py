"""Refresh registry data for tracked trials, and account for every one of them.

Trials never synced (or last not found) get full records straight away, in one pass. Trials
already synced are asked for the compact field set first; only those whose last-update date
or status moved, or that the registry now files under another id, get a full record. Every
full record is applied in one place, `_apply_full_record`, which also stores it as a registry
version and logs its field changes (`services/versions.py`); posted results are asked for
only for studies whose record says `hasResults`. Each batch is written in one
transaction, so a crash leaves it wholly before or after. Notes, tags, lists and curated
outcomes are never written here.

Every tracked id ends in exactly one bucket of the `SyncReport`; an id the registry's answers
did not account for is failed with a reason, never left silently unsynced.

Ids a batch answer lacks. API v2 searches `filter.ids` in both NCTId and NCTIdAlias, so an id
absent from a `filter.ids` answer is neither a study's id nor one of its earlier ids: asking
for it alone (`GET /studies/{id}`, which follows an alias) cannot tell more, and at one
request per id it took over half an hour for 10,000 unknown ids. So the ids a pass's answers
lack are asked once more, all together, in one more batch pass (chunked like any other), which
guards against a flaky or partial page; an id lacking from the compact pass gets that second
look as a full record. An id the second answer lacks too is not found, unless that answer held
studies nobody asked for (`BatchResult.strangers`): a registry that sends another study may
have sent it in place of this one, so the trial is failed with that reason instead (as a
wrong single-study answer was). `GET /studies/{id}` stays for the one-id preview only.

SQLite goes on writing to a library file that is moved, deleted or replaced while it is open,
so such a sync's writes are not in the file at the library's path: the run ends by checking
that (`Library.still_at_its_path`, one os.stat) and says so in the report's `error`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator
from dataclasses import dataclass

from tracker.ctgov import (
    BatchResult,
    CtgovClient,
    CtgovError,
    RegistryRecord,
    build_record_validators,
)
from tracker.domain import RegistryState, Trial, TrialNotFoundError
from tracker.services.prefetch import prefetched
from tracker.services.registry_answers import (
    SyncState,
    match_answers,
    needs_full_record,
    went_back,
)
from tracker.services.registry_listing import left_the_registry, listed_again
from tracker.services.registry_merge import apply_full_record, registry_fields_differ
from tracker.services.sync_report import (
    ProgressCallback,
    StatusChangeLine,
    SyncReport,
    answered_instead,
    check_library_kept,
)
from tracker.services.versions import HistoryWrites, record_registry_version
from tracker.store import Library, TrialQuery
from tracker.store.timestamps import to_text, utc_now

log = logging.getLogger(__name__)

SyncStates = dict[str, SyncState]
#: The longest a full pass's read-ahead waits for its first request to be written (reading
#: while the request is prepared would take turns with it for the GIL and delay it). It
#: goes ahead earlier when the fetch hands over a batch or ends; the bound covers a request
#: that waits for its turn (the pace) or does not signal (sent through a proxy).
_SEND_HEAD_START = 0.02


@dataclass
class _Run:
    """The state of one sync run, shared by its passes."""

    ids: list[str]
    seen_at: dt.datetime
    report: SyncReport
    cancel: threading.Event
    progress: ProgressCallback
    stamped: bool = False  # meta last_sync_at names this run
    read_ahead: _ReadAhead | None = None  # the first batch's trials, read during its request

    def tick(self) -> None:
        self.progress(min(self.report.settled_count(), len(self.ids)), len(self.ids))


@dataclass(frozen=True)
class _ReadAhead:
    data_version: int  # `PRAGMA data_version` before the read
    trials: dict[str, Trial]


class SyncService:
    def __init__(self, library: Library, client: CtgovClient) -> None:
        self._library = library
        self._client = client

    def sync(self, ids: list[str] | None = None, *, progress: ProgressCallback | None = None,
             cancel: threading.Event | None = None) -> SyncReport:
        """Sync `ids` (default: every registry trial in the library) and report what changed."""
        tracked = self._tracked_ids(ids)
        run = _Run(ids=tracked, seen_at=utc_now(), report=SyncReport(requested=len(tracked)),
                   cancel=cancel or threading.Event(),
                   progress=progress or (lambda done, total: None))
        run.progress(0, len(tracked))
        states = self._library.trials.sync_states()
        known = [i for i in tracked if states[i][0] == RegistryState.FOUND]
        never = [i for i in tracked if states[i][0] != RegistryState.FOUND]
        try:
            self._full_pass(run, {trial_id: trial_id for trial_id in never})
            stale, lacking = self._compact_pass(run, known, states)
            self._full_pass(run, stale, lacking)
        except CtgovError as error:
            run.report.error = str(error)
        run.report.cancelled = run.cancel.is_set()
        self._settle_the_rest(run)
        check_library_kept(self._library, run.report)
        run.tick()
        return run.report

    def _tracked_ids(self, ids: list[str] | None) -> list[str]:
        if ids is None:
            return self._library.trials.registry_ids()
        resolved = [self._library.trials.resolve(trial_id) for trial_id in ids]
        return [trial_id for trial_id in dict.fromkeys(resolved) if trial_id.startswith("NCT")]

    # -- compact pass: what changed? ----------------------------------------------------------
    def _compact_pass(self, run: _Run, ids: list[str], states: SyncStates
                      ) -> tuple[dict[str, str], frozenset[str]]:
        """Ask for the compact fields; return {registry id: library id} needing a full record,
        and the ids the answers lacked (among them: asked again, in full, by the full pass)."""
        wanted = {trial_id: trial_id for trial_id in ids}
        stale: dict[str, str] = {}
        missing: list[str] = []
        seen: set[str] = set()
        if not ids or run.cancel.is_set():
            return stale, frozenset()
        versioned = self._library.versions.trial_ids()  # without a version: a whole record
        lacking_results = self._library.versions.trial_ids_lacking_results()  # and its results
        for batch in prefetched(self._client.fetch_records(ids, full=False, cancel=run.cancel)):
            if run.cancel.is_set():
                break  # a batch fetched ahead is not applied after a cancel
            fresh = []
            for trial_id, record in match_answers(run.report, batch, wanted, seen):
                if (needs_full_record(states[trial_id], trial_id, record)
                        or trial_id not in versioned or trial_id in lacking_results):
                    stale[record.nct_id] = trial_id
                else:
                    fresh.append(trial_id)
            self._stamp_checked(run, fresh)
            run.report.unchanged += fresh
            missing += [wanted[i] for i in batch.missing_ids
                        if i in wanted and wanted[i] not in seen]
            run.tick()
        stale.update((trial_id, trial_id) for trial_id in missing)
        return stale, frozenset(missing)

    def _stamp_checked(self, run: _Run, trial_ids: list[str]) -> None:
        """Freshness only: one UPDATE of last_synced_at; no trial data or history changes."""
        if not trial_ids:
            return
        with self._library.transaction() as conn:
            self._name_this_run(run)
            conn.executemany("UPDATE trials SET last_synced_at = ? WHERE id = ?",
                             [(to_text(run.seen_at), trial_id) for trial_id in trial_ids])

    def _name_this_run(self, run: _Run) -> None:
        """Make this run "the last sync", in the same transaction as its first write, so its
        status changes are "changed in the last sync" from the moment they are visible."""
        if not run.stamped:
            self._library.meta.set("last_sync_at", to_text(run.seen_at))
            run.stamped = True

    # -- full records -------------------------------------------------------------------------
    def _full_pass(self, run: _Run, wanted: dict[str, str],
                   lacking: frozenset[str] = frozenset()) -> None:
        """Fetch full records for `wanted` ({id to ask for: library id}) and apply them. The
        ids the answers lack are asked once more, in one more batch pass; `lacking`: ids an
        earlier answer lacked already, settled here when this one lacks them too."""
        if not wanted or run.cancel.is_set():
            return
        again: dict[str, str] = {}
        seen: set[str] = set()
        with_results: dict[str, RegistryRecord] = {}  # library id -> record without results
        sent = threading.Event()
        batches = _announcing(sent, self._client.fetch_records(
            list(wanted), full=True, cancel=run.cancel, on_sent=sent.set))
        with prefetched(batches) as fetched:  # the first request is on its way
            first = list(wanted.values())[:self._client.ids_per_chunk(full=True)]
            sent.wait(_SEND_HEAD_START)  # read once it is written: not while it is prepared
            run.read_ahead = self._read_ahead(first)
            for batch in fetched:
                if run.cancel.is_set():
                    break
                pairs = match_answers(run.report, batch, wanted, seen)
                with_results.update((t, r) for t, r in pairs if r.has_results)
                self._apply_batch(run, [(t, r) for t, r in pairs if not r.has_results])
                again |= self._settle_missing(run, batch, wanted, seen, lacking)
                run.tick()
        run.read_ahead = None
        self._results_pass(run, with_results)
        self._full_pass(run, again, frozenset(again))

    def _read_ahead(self, trial_ids: list[str]) -> _ReadAhead:
        """The trials the first batch will update, read while its request is in flight (the
        batch's transaction uses them only if no other connection has committed since)."""
        library = self._library
        version = library.database.data_version()
        query = TrialQuery(ids=tuple(trial_ids))
        trials = {t.id: t for t in library.trials.list(query, with_outcomes=False)}
        # the repositories the batch writes: made (their modules imported) now, not on the answer
        _ = library.versions, library.sites, library.changes, library.meta
        build_record_validators()  # and the validators the answer's records go through
        return _ReadAhead(version, trials)

    def _trials_for(self, run: _Run, trial_ids: tuple[str, ...]) -> dict[str, Trial]:
        """The library's trials `trial_ids` (inside the batch's transaction): read ahead when
        still current, else read now."""
        ahead, run.read_ahead = run.read_ahead, None
        if (ahead is not None and all(i in ahead.trials for i in trial_ids)
                and self._library.database.data_version() == ahead.data_version):
            return {i: ahead.trials[i] for i in trial_ids}
        query = TrialQuery(ids=trial_ids)
        return {t.id: t for t in self._library.trials.list(query, with_outcomes=False)}

    def _results_pass(self, run: _Run, plain: dict[str, RegistryRecord]) -> None:
        """Whole records with posted results (large, so in small chunks) for the studies
        whose record says `hasResults`; a study the second answer lacks keeps the first, and
        so does one whose second answer is older than the first (the newer record is
        applied without results, which the next sync fetches)."""
        wanted = {record.nct_id: trial_id for trial_id, record in plain.items()}
        seen: set[str] = set()
        if wanted and not run.cancel.is_set():
            batches = self._client.fetch_records(list(wanted), full=True, results=True,
                                                 cancel=run.cancel)
            for batch in prefetched(batches):
                if run.cancel.is_set():
                    return
                pairs = match_answers(run.report, batch, wanted, seen)
                self._apply_batch(run, [self._newer(run, plain[t], t, r) for t, r in pairs])
        if not run.cancel.is_set():
            self._apply_batch(run, [(t, r) for t, r in plain.items() if t not in seen])

    @staticmethod
    def _newer(run: _Run, first: RegistryRecord, trial_id: str, with_results: RegistryRecord
               ) -> tuple[str, RegistryRecord]:
        """The results answer, unless it went back behind the first answer of this sync."""
        if went_back(first.last_update_posted, with_results.last_update_posted):
            run.report.stale_results[trial_id] = (first.last_update_posted,
                                                  with_results.last_update_posted)
            return trial_id, first
        return trial_id, with_results

    def _settle_missing(self, run: _Run, batch: BatchResult, wanted: dict[str, str],
                        seen: set[str], lacking: frozenset[str]) -> dict[str, str]:
        """The asked ids `batch` lacks (filter.ids searches ids and aliases alike, so the
        registry knows neither). Lacked a second time (in `lacking`): not found, or failed
        when the answer held studies nobody asked for, which may stand in for it. Lacked for
        the first time: returned, to be asked once more ({id to ask for: library id})."""
        missing = [i for i in batch.missing_ids if i in wanted and wanted[i] not in seen]
        unknown = []
        for asked in (i for i in missing if i in lacking):
            if batch.strangers:
                run.report.failed[wanted[asked]] = answered_instead(asked, batch.strangers)
            else:
                unknown.append(wanted[asked])
        self._mark_not_found(run, unknown)
        return {i: wanted[i] for i in missing if i not in lacking}

    def _mark_not_found(self, run: _Run, trial_ids: list[str]) -> None:
        """Not found: marked so, and, for a trial the registry listed until now, a major
        change in its history (the day it left the registry counts as a change since)."""
        if not trial_ids:
            return
        with self._library.transaction():
            self._name_this_run(run)
            gone = [(t.display_title, change) for t in self._library.trials.list(
                TrialQuery(ids=tuple(trial_ids)), with_outcomes=False)
                if (change := left_the_registry(t, run.seen_at)) is not None]
            self._library.trials.mark_not_found(trial_ids, run.seen_at)
            self._library.changes.add([change for _, change in gone])
        for title, change in gone:  # the report's major changes name them too
            run.report.add_changes(title, [change])
        run.report.not_found += trial_ids

    def _apply_batch(self, run: _Run, pairs: list[tuple[str, RegistryRecord]]) -> None:
        """One transaction per batch: re-keys, registry fields and status history together;
        the history and then the registry fields last, one statement per table (the search
        index's trigger is cheaper so)."""
        if not pairs:
            return
        with self._library.transaction():  # read inside: another sync may have written
            self._name_this_run(run)
            trials = self._trials_for(run, tuple(trial_id for trial_id, _ in pairs))
            history = HistoryWrites()
            merged = [self._apply_full_record(run, trials[trial_id], record, history)
                      for trial_id, record in pairs if trial_id in trials]
            history.write(self._library)
            self._library.trials.update_registry_many([t for t in merged if t is not None])

    def _apply_full_record(self, run: _Run, trial: Trial, record: RegistryRecord,
                           history: HistoryWrites) -> Trial | None:
        """THE place where a full registry record for a library trial is applied (inside the
        batch's transaction): re-key, its bucket, and for the batch to write, its history (in
        `history`) and the trial with the record's registry fields (None: left as it was)."""
        report = run.report
        if record.cut:
            report.cut[record.nct_id] = record.cut
        stored, answered = trial.last_update_posted, record.last_update_posted
        if stored and answered and answered < stored:  # a registry's record never goes back
            report.older[record.nct_id] = (stored, answered)
        rekeyed = record.nct_id != trial.id
        if rekeyed:
            trial = self._rekey(run, trial, record)
            if trial is None:
                return None
        changes = record_registry_version(self._library, trial, record, run.seen_at, history)
        if (back := listed_again(trial, record, run.seen_at)) is not None:
            history.changes.append(back)
            changes = [back, *changes]
        report.add_changes(trial.display_title, changes)
        status_line = self._record_status(run, trial, record)
        if rekeyed:
            pass  # a re-keyed trial is counted once, as re-keyed
        elif isinstance(status_line, StatusChangeLine):
            report.changed.append(status_line)
        elif status_line == "first":
            report.first_seen.append(record.nct_id)
        elif status_line == "found" or changes or registry_fields_differ(trial, record):
            report.updated.append(record.nct_id)
        else:
            report.unchanged.append(record.nct_id)
        return apply_full_record(trial, record, run.seen_at)

    def _rekey(self, run: _Run, trial: Trial, record: RegistryRecord) -> Trial | None:
        """Move `trial` to the record's canonical id, only when the record names the trial's
        id as one of its aliases; otherwise fail the trial and leave it as it was."""
        report = run.report
        if trial.id not in record.aliases:
            report.failed[trial.id] = (f"the registry answered with {record.nct_id}, which does "
                                       f"not list {trial.id} among its earlier ids; "
                                       "the trial was left as it was")
            return None
        if self._library.trials.exists(record.nct_id):
            report.failed[trial.id] = (f"the registry now files {trial.id} as {record.nct_id}, "
                                       "which is also in the library; keep one of them")
            return None
        self._library.trials.rekey(trial.id, record.nct_id)
        report.rekeyed.append((trial.id, record.nct_id))
        return trial.model_copy(update={
            "id": record.nct_id, "aliases": tuple(sorted({*trial.aliases, trial.id}))})

    def _record_status(self, run: _Run, trial: Trial,
                       record: RegistryRecord) -> StatusChangeLine | str | None:
        """What the status did (the change log, written by `record_registry_version`, holds
        it). Returns its line, "first" for a first status, "found" for a trial found again
        with the same status, else None."""
        if record.status is None or record.status == trial.status:
            return "found" if trial.registry_state != RegistryState.FOUND else None
        if trial.status is None:
            return "first"
        return StatusChangeLine(record.nct_id, trial.display_title, trial.status, record.status)

    # -- accounting -----------------------------------------------------------------------------
    def _settle_the_rest(self, run: _Run) -> None:
        """Every tracked id the run did not settle: not checked (stopped or cancelled), or
        failed with the reason the registry's answers gave none."""
        report = run.report
        settled = report.settled_ids()
        rest = [trial_id for trial_id in run.ids if trial_id not in settled]
        if report.error or report.cancelled:
            report.not_checked += rest
            return
        reason = report.unaccounted_reason()
        for trial_id in rest:
            report.failed[trial_id] = reason


def _announcing(event: threading.Event, batches: Iterator[BatchResult]
                ) -> Iterator[BatchResult]:
    """`batches`, setting `event` before each one is handed on and when they end or fail."""
    try:
        for batch in batches:
            event.set()
            yield batch
    finally:
        event.set()


__all__ = ["SyncReport", "SyncService", "TrialNotFoundError"]
