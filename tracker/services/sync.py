"""Refresh registry data for tracked trials: a compact pass for all, full records for changes.

Phase 1 asks for a compact field set for every tracked id (a few large requests). Phase 2
fetches full records only for trials that are new to the registry view, whose last update
posted date moved, or whose status differs. Every batch is written in one transaction, so a
crash leaves each batch wholly before or wholly after. Notes, tags, lists and curated
outcomes are never written here.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field

from tracker.ctgov import CtgovClient, CtgovError, RegistryRecord, StudyNotFoundError
from tracker.domain import RegistryState, Trial, TrialNotFoundError
from tracker.services.registry_merge import apply_full_record, registry_fields_differ
from tracker.services.sync_report import ProgressCallback, StatusChangeLine, SyncReport
from tracker.services.versions import record_registry_version
from tracker.store import Library, TrialQuery
from tracker.store.timestamps import to_text, utc_now

log = logging.getLogger(__name__)


@dataclass
class _Run:
    """The state of one sync run, shared by its phases."""

    ids: list[str]
    seen_at: dt.datetime
    report: SyncReport
    cancel: threading.Event
    progress: ProgressCallback
    answered: dict[str, RegistryRecord] = field(default_factory=dict)  # library id -> compact
    done: int = 0
    total: int = 0

    def tick(self, count: int) -> None:
        self.done += count
        self.progress(min(self.done, self.total), self.total)


class SyncService:
    def __init__(self, library: Library, client: CtgovClient) -> None:
        self._library = library
        self._client = client

    def sync(self, ids: list[str] | None = None, *, progress: ProgressCallback | None = None,
             cancel: threading.Event | None = None) -> SyncReport:
        """Sync `ids` (default: every registry trial in the library) and report what changed."""
        tracked = self._tracked_ids(ids)
        run = _Run(ids=tracked, seen_at=utc_now(),
                   report=SyncReport(requested=len(tracked)), cancel=cancel or threading.Event(),
                   progress=progress or (lambda done, total: None), total=2 * len(tracked))
        run.progress(0, run.total)
        try:
            stale = self._compact_pass(run)
            run.total = len(tracked) + len(stale)
            if not run.cancel.is_set():
                self._full_pass(run, stale)
        except CtgovError as error:
            run.report.error = str(error)
            self._fail_unfinished(run, str(error))
        run.report.cancelled = run.cancel.is_set()
        if run.done:
            self._library.meta.set("last_sync_at", to_text(run.seen_at))
        return run.report

    def _tracked_ids(self, ids: list[str] | None) -> list[str]:
        if ids is None:
            return self._library.trials.registry_ids()
        resolved = [self._library.trials.resolve(trial_id) for trial_id in ids]
        return [trial_id for trial_id in dict.fromkeys(resolved) if trial_id.startswith("NCT")]

    # -- phase 1 ---------------------------------------------------------------------------
    def _compact_pass(self, run: _Run) -> list[str]:
        """Ask for the compact field set; return the library ids that need a full record."""
        wanted = set(run.ids)
        missing: list[str] = []
        for batch in self._client.fetch_records(run.ids, full=False, cancel=run.cancel):
            for record in batch.records:
                for trial_id in record.all_ids:
                    if trial_id in wanted:
                        run.answered[trial_id] = record
            for failure in batch.failures:
                if failure.nct_id in wanted:
                    run.report.failed[failure.nct_id] = str(failure)
            missing += list(batch.missing_ids)
            run.tick(len(batch.records) + len(batch.failures) + len(batch.missing_ids))
        self._confirm_missing(run, missing)
        return self._stale_ids(run)

    def _confirm_missing(self, run: _Run, missing: list[str]) -> None:
        """Ask for each missing id alone: an alias answers with its record, else 404."""
        for trial_id in missing:
            if run.cancel.is_set():
                return
            try:
                run.answered[trial_id] = self._client.get_study(trial_id)
            except StudyNotFoundError:
                self._mark_not_found(run, trial_id)
            except CtgovError as error:
                if not _is_network(error):
                    run.report.failed[trial_id] = str(error)
                else:
                    raise

    def _mark_not_found(self, run: _Run, trial_id: str) -> None:
        trial = self._library.trials.get(trial_id)
        if trial.registry_state != RegistryState.NOT_FOUND:
            self._library.trials.mark_registry_state(trial_id, RegistryState.NOT_FOUND, run.seen_at)
        run.report.not_found.append(trial_id)

    def _stale_ids(self, run: _Run) -> list[str]:
        states = self._library.trials.sync_states()
        versioned = self._library.versions.trial_ids()  # without one: fetch the whole record
        stale, fresh = [], []
        for trial_id, record in run.answered.items():
            state, last_update, status = states[trial_id]
            if (state != RegistryState.FOUND or record.nct_id != trial_id
                    or trial_id not in versioned
                    or last_update != record.last_update_posted
                    or status != (record.status.value if record.status else None)):
                stale.append(trial_id)
            else:
                fresh.append(trial_id)
        run.report.unchanged += fresh
        if fresh:
            self._stamp_checked(fresh, run.seen_at)
        return stale

    def _stamp_checked(self, trial_ids: list[str], when: dt.datetime) -> None:
        """Freshness only: one UPDATE of last_synced_at; no trial data or history changes."""
        with self._library.transaction() as conn:
            conn.executemany("UPDATE trials SET last_synced_at = ? WHERE id = ?",
                             [(to_text(when), trial_id) for trial_id in trial_ids])

    # -- phase 2 ---------------------------------------------------------------------------
    def _full_pass(self, run: _Run, stale: list[str]) -> None:
        by_canonical = {run.answered[trial_id].nct_id: trial_id for trial_id in stale}
        for batch in _full_batches(self._client, run, by_canonical):
            pairs = [(by_canonical[r.nct_id], r) for r in batch.records if r.nct_id in by_canonical]
            self._write_batch(run, pairs)
            for failure in batch.failures:
                trial_id = by_canonical.get(failure.nct_id or "")
                if trial_id:
                    run.report.failed[trial_id] = str(failure)
            run.tick(len(batch.records) + len(batch.failures))

    def _write_batch(self, run: _Run, pairs: list[tuple[str, RegistryRecord]]) -> None:
        """One transaction per batch: re-keys, registry fields and status history together."""
        query = TrialQuery(ids=tuple(trial_id for trial_id, _ in pairs))
        with self._library.transaction():  # read inside: another sync may have written
            trials = {t.id: t for t in self._library.trials.list(query, with_outcomes=False)}
            for trial_id, record in pairs:
                if trial_id in trials:
                    self._write_one(run, trials[trial_id], record)

    def _write_one(self, run: _Run, trial: Trial, record: RegistryRecord) -> None:
        report = run.report
        if record.nct_id != trial.id:
            if self._library.trials.exists(record.nct_id):
                report.failed[trial.id] = (f"the registry now files {trial.id} as {record.nct_id}, "
                                           "which is also in the library; keep one of them")
                return
            self._library.trials.rekey(trial.id, record.nct_id)
            report.rekeyed.append((trial.id, record.nct_id))
            trial = trial.model_copy(update={
                "id": record.nct_id, "aliases": tuple(sorted({*trial.aliases, trial.id}))})
        changes = record_registry_version(self._library, trial, record, run.seen_at)
        report.add_changes(trial.display_title, changes)
        if (not registry_fields_differ(trial, record) and not changes
                and trial.registry_state == RegistryState.FOUND):
            report.unchanged.append(record.nct_id)
        elif trial.status != record.status or trial.registry_state != RegistryState.FOUND:
            self._record_status(run, trial, record)
        else:
            report.updated.append(record.nct_id)
        self._library.trials.update_registry(apply_full_record(trial, record, run.seen_at))

    def _record_status(self, run: _Run, trial: Trial, record: RegistryRecord) -> None:
        if record.status is None or record.status == trial.status:
            run.report.updated.append(record.nct_id)
            return
        if trial.status is None:
            run.report.first_seen.append(record.nct_id)
        else:
            run.report.changed.append(StatusChangeLine(
                record.nct_id, trial.display_title, trial.status, record.status))

    def _fail_unfinished(self, run: _Run, reason: str) -> None:
        settled = ({*run.report.unchanged, *run.report.updated, *run.report.not_found,
                    *run.report.failed, *run.report.first_seen}
                   | {line.trial_id for line in run.report.changed}
                   | {old for old, _ in run.report.rekeyed})
        for trial_id in run.ids:
            if trial_id not in settled:
                run.report.failed[trial_id] = reason


def _full_batches(client: CtgovClient, run: _Run, by_canonical: dict[str, str]):
    """Phase 2 lookups: whole records, with posted results only for studies that have them."""
    plain = [i for i, t in by_canonical.items() if not run.answered[t].has_results]
    with_results = [i for i, t in by_canonical.items() if run.answered[t].has_results]
    for ids, results in ((plain, False), (with_results, True)):
        if ids and not run.cancel.is_set():
            yield from client.fetch_records(ids, full=True, results=results, cancel=run.cancel)


def _is_network(error: CtgovError) -> bool:
    from tracker.ctgov import RegistryUnreachableError

    return isinstance(error, RegistryUnreachableError)


__all__ = ["SyncReport", "SyncService", "TrialNotFoundError"]
