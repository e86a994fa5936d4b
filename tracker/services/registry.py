"""Find trials in the registry and add them to the library."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from tracker.ctgov import (
    CtgovClient,
    CtgovError,
    RegistryRecord,
    RegistryUnreachableError,
    SearchPage,
    StudyNotFoundError,
)
from tracker.domain import parse_nct_id
from tracker.services.registry_merge import new_trial_from_record
from tracker.services.sync_report import ProgressCallback, SyncReport, check_library_kept
from tracker.services.versions import record_registry_version
from tracker.store import Library
from tracker.store.timestamps import utc_now


@dataclass(frozen=True)
class Candidate:
    record: RegistryRecord
    in_library: bool


@dataclass
class IdLookup:
    """What the registry says about ids typed into Add, before anything is stored:
    each id is found (its record), not found, or failed (the reason)."""

    found: dict[str, RegistryRecord] = field(default_factory=dict)
    not_found: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


class RegistryService:
    def __init__(self, library: Library, client: CtgovClient) -> None:
        self._library = library
        self._client = client

    def preview(self, text: str) -> RegistryRecord:
        """Validate the id first (no request for a malformed one), then fetch its record."""
        return self._client.get_study(parse_nct_id(text))

    def look_up(self, ids: list[str]) -> IdLookup:
        """Ask the registry about every id (batched; an alias is followed), storing nothing."""
        lookup = IdLookup()
        missing: list[str] = []
        wanted = list(dict.fromkeys(ids))
        for batch in self._client.fetch_records(wanted, full=True):
            for record in batch.records:
                for asked in wanted:
                    if asked in record.all_ids:
                        lookup.found[asked] = record
            lookup.failed.update({f.nct_id: str(f) for f in batch.failures if f.nct_id})
            missing += batch.missing_ids
        for trial_id in missing:
            try:
                lookup.found[trial_id] = self._client.get_study(trial_id)
            except StudyNotFoundError:
                lookup.not_found.append(trial_id)
        for trial_id in wanted:  # an id the registry did not account for: said, not dropped
            if trial_id not in lookup.found and trial_id not in lookup.not_found:
                lookup.failed.setdefault(trial_id, "the registry did not answer for it")
        return lookup

    def search_registry(self, text: str | None = None, *, condition: str | None = None,
               intervention: str | None = None, page_token: str | None = None,
               page_size: int = 50) -> tuple[list[Candidate], SearchPage]:
        page = self._client.search(text, condition=condition, intervention=intervention,
                                   page_size=page_size, page_token=page_token)
        known = set(self._library.trials.ids())
        candidates = [Candidate(r, bool(known & set(r.all_ids))) for r in page.records]
        return candidates, page

    def add(self, texts: list[str], *, progress: ProgressCallback | None = None,
            cancel: threading.Event | None = None) -> SyncReport:
        """Fetch and store new trials. Every id asked for ends in one bucket: added,
        unchanged (already in the library), not_found, failed or not_checked (cancelled);
        an id the registry answered under another id is also listed in `rekeyed`."""
        ids = list(dict.fromkeys(parse_nct_id(text) for text in texts))  # all valid or none
        report = SyncReport(requested=len(ids), kind="add")
        new = [i for i in ids if not self._library.trials.exists(i)]
        report.unchanged += [i for i in ids if i not in new]
        cancel = cancel or threading.Event()
        report_progress = progress or (lambda done, total: None)
        try:
            self._add_new(new, report, cancel, report_progress)
        except CtgovError as error:
            report.error = str(error)
            for trial_id in new:
                if trial_id not in report.added and trial_id not in report.not_found:
                    report.failed.setdefault(trial_id, str(error))
        report.cancelled = cancel.is_set()
        check_library_kept(self._library, report)
        return report

    def _add_new(self, ids: list[str], report: SyncReport, cancel: threading.Event,
                 progress: ProgressCallback) -> None:
        """Fetch `ids` in batches and store what the registry answered for them: a study is
        stored only when it answers an asked id (by its id or an alias); studies nobody asked
        for and malformed ones go into the report; an asked id the answers did not account
        for is failed with the reason, so every id ends in exactly one bucket."""
        when = utc_now().replace(microsecond=0)
        missing: list[str] = []
        wanted = set(ids)
        answered: set[str] = set()  # asked ids a stored (or already known) study answers
        for batch in self._client.fetch_records(ids, full=True, cancel=cancel):
            self._store_new(self._answering(batch.records, wanted, answered, report), report,
                            when)
            for failure in batch.failures:
                if failure.nct_id in wanted:
                    report.failed.setdefault(failure.nct_id, str(failure))
                elif failure.nct_id is None:
                    report.anonymous.append(str(failure))
                else:
                    report.unasked.append(failure.nct_id)
            missing += [i for i in batch.missing_ids if i in wanted]
            progress(len(report.added) + len(report.failed), len(ids))
        for trial_id in missing:
            if cancel.is_set():
                break
            try:
                record = self._client.get_study(trial_id)  # an alias is followed
                self._store_new([record], report, when)
                answered.add(trial_id)
                if record.nct_id != trial_id and record.nct_id not in wanted:
                    report.rekeyed.append((trial_id, record.nct_id))
            except StudyNotFoundError:
                report.not_found.append(trial_id)
            except RegistryUnreachableError:
                raise
            except CtgovError as error:  # a wrong or malformed study: this trial only
                report.failed[trial_id] = str(error)
        rest = [i for i in ids if i not in answered]
        if cancel.is_set():
            settled = report.settled_ids()
            report.not_checked += [i for i in rest if i not in settled]
        else:
            self._fail_unaccounted(rest, report)

    @staticmethod
    def _answering(records: list[RegistryRecord], wanted: set[str], answered: set[str],
                   report: SyncReport) -> list[RegistryRecord]:
        """The records that answer an asked id (by id or alias) not answered yet; studies
        nobody asked for go into the report and are never stored."""
        answering = []
        for record in records:
            asked = wanted & set(record.all_ids)
            if not asked:
                report.unasked.append(record.nct_id)
            elif not asked <= answered:
                # asked under an earlier id: named in the report ("… (asked for as …)")
                report.rekeyed += [(old, record.nct_id) for old in sorted(asked - answered)
                                   if old != record.nct_id and record.nct_id not in wanted]
                answered.update(asked)
                answering.append(record)
        return answering

    @staticmethod
    def _fail_unaccounted(ids: list[str], report: SyncReport) -> None:
        """Fail every id in `ids` that no bucket holds yet, with the reason in words."""
        settled = report.settled_ids()
        reason = report.unaccounted_reason() + "; try again later"
        for trial_id in ids:
            if trial_id not in settled:
                report.failed[trial_id] = reason

    def _store_new(self, records: list[RegistryRecord], report: SyncReport, when) -> None:
        fresh = [r for r in records if not self._library.trials.exists(r.nct_id)]
        report.unchanged += [r.nct_id for r in records if r not in fresh]
        trials = [new_trial_from_record(r, when) for r in fresh]
        with self._library.transaction():
            self._library.trials.insert(trials)
            for trial, record in zip(trials, fresh, strict=True):
                record_registry_version(self._library, trial, record, when)
        report.added += [r.nct_id for r in fresh]
