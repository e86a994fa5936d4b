"""Find trials in the registry and add them to the library."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from tracker.ctgov import CtgovClient, CtgovError, RegistryRecord, SearchPage, StudyNotFoundError
from tracker.domain import parse_nct_id
from tracker.services.registry_merge import new_trial_from_record
from tracker.services.sync_report import ProgressCallback, SyncReport
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
        answered_as: dict[str, str] = {}
        try:
            self._add_new(new, report, cancel, report_progress, answered_as)
        except CtgovError as error:
            report.error = str(error)
            for trial_id in new:
                if trial_id not in report.added and trial_id not in report.not_found:
                    report.failed.setdefault(trial_id, str(error))
        report.cancelled = cancel.is_set()
        _account_for_every_id(new, report, answered_as)
        return report

    def _add_new(self, ids: list[str], report: SyncReport, cancel: threading.Event,
                 progress: ProgressCallback, answered_as: dict[str, str]) -> None:
        when = utc_now().replace(microsecond=0)
        missing: list[str] = []
        for batch in self._client.fetch_records(ids, full=True, cancel=cancel):
            _note_aliases(ids, batch.records, answered_as)
            self._store_new(batch.records, report, when)
            report.failed.update({f.nct_id: str(f) for f in batch.failures if f.nct_id})
            missing += batch.missing_ids
            progress(len(report.added) + len(report.failed), len(ids))
        for trial_id in missing:
            if cancel.is_set():
                return
            try:
                record = self._client.get_study(trial_id)
                _note_aliases(ids, [record], answered_as)
                self._store_new([record], report, when)
            except StudyNotFoundError:
                report.not_found.append(trial_id)

    def _store_new(self, records: list[RegistryRecord], report: SyncReport, when) -> None:
        fresh = [r for r in records if not self._library.trials.exists(r.nct_id)]
        trials = [new_trial_from_record(r, when) for r in fresh]
        with self._library.transaction():
            self._library.trials.insert(trials)
            for trial, record in zip(trials, fresh, strict=True):
                record_registry_version(self._library, trial, record, when)
        report.added += [r.nct_id for r in fresh]


def _note_aliases(asked: list[str], records: list[RegistryRecord],
                  answered_as: dict[str, str]) -> None:
    """Remember which asked ids the registry answered under another id (an alias)."""
    for record in records:
        for trial_id in record.aliases:
            if trial_id in asked and trial_id != record.nct_id:
                answered_as[trial_id] = record.nct_id


def _account_for_every_id(new: list[str], report: SyncReport,
                          answered_as: dict[str, str]) -> None:
    """Put each asked id that no bucket holds yet into one, so the counts add up: an alias
    whose record was added is re-keyed (the record is counted as added), an alias of a trial
    already in the library is unchanged, the rest were cut short (not checked)."""
    settled = {*report.added, *report.not_found, *report.failed, *report.unchanged}
    for trial_id in new:
        if trial_id in settled:
            continue
        target = answered_as.get(trial_id)
        if target is not None and target in report.added and target not in new:
            report.rekeyed.append((trial_id, target))
        elif target is not None:
            report.unchanged.append(trial_id)
        elif report.cancelled or report.error:
            report.not_checked.append(trial_id)
        else:
            report.failed[trial_id] = "the registry did not answer for it"
