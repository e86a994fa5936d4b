"""Find trials in the registry and add them to the library."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from dataclasses import dataclass, field

from tracker.ctgov import CtgovClient, CtgovError, RegistryRecord, SearchPage
from tracker.domain import Modality, RegistryState, Trial, parse_nct_id
from tracker.domain.ids import is_local_id
from tracker.services.curated_readd import CuratedEntries, new_or_restored, restore_local
from tracker.services.registry_answers import disagree, went_back
from tracker.services.removal import forget_removals
from tracker.services.sync_report import (
    ProgressCallback,
    SyncReport,
    answered_instead,
    check_library_kept,
)
from tracker.services.versions import record_registry_version
from tracker.store import Library
from tracker.store.timestamps import utc_now

log = logging.getLogger(__name__)


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


@dataclass
class _AddRun:
    """The state of one add, shared by its passes."""

    wanted: set[str]
    report: SyncReport
    cancel: threading.Event
    progress: ProgressCallback
    when: dt.datetime
    answered: set[str] = field(default_factory=set)  # asked ids a stored or known study answers
    modalities: dict[str, Modality] = field(default_factory=dict)  # chosen, not guessed
    curated: CuratedEntries = field(default_factory=CuratedEntries)  # what a re-add restores

    def tick(self) -> None:
        settled = self.report.settled_ids()
        self.progress(sum(i in settled for i in self.wanted), len(self.wanted))


class RegistryService:
    def __init__(self, library: Library, client: CtgovClient) -> None:
        self._library = library
        self._client = client

    def preview(self, text: str) -> RegistryRecord:
        """Validate the id first (no request for a malformed one), then fetch its record."""
        return self._client.get_study(parse_nct_id(text))

    def look_up(self, ids: list[str]) -> IdLookup:
        """Ask the registry about every id (batched; filter.ids finds aliases too; the ids
        an answer lacks are asked once more, together), storing nothing."""
        lookup = IdLookup()
        wanted = list(dict.fromkeys(ids))
        lacking: list[str] = []
        for second_look in (False, True):
            asked, lacking = (lacking if second_look else wanted), []
            for batch in self._client.fetch_records(asked, full=True):
                for record in batch.records:
                    for trial_id in asked:
                        if trial_id in record.all_ids:
                            lookup.found[trial_id] = record
                lookup.failed.update({f.nct_id: str(f) for f in batch.failures if f.nct_id})
                for trial_id in batch.missing_ids:
                    if not second_look:
                        lacking.append(trial_id)
                    elif batch.strangers:
                        lookup.failed[trial_id] = answered_instead(trial_id, batch.strangers)
                    else:
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
            cancel: threading.Event | None = None,
            modalities: dict[str, Modality] | None = None) -> SyncReport:
        """Fetch and store new trials. Every id asked for ends in one bucket: added,
        unchanged (already in the library), not_found, failed or not_checked (cancelled);
        an id the registry answered under another id is also listed in `rekeyed`.
        `modalities`: the modality chosen for an id (the inbox's), instead of a guess.
        A local id brings back a curated local study, with no request (LocalStudyError,
        before anything is stored, for one the curated library lacks)."""
        ids = list(dict.fromkeys(_add_id(text) for text in texts))  # all valid or none
        report = SyncReport(requested=len(ids), kind="add")
        new = [i for i in ids if not self._library.trials.exists(i)]
        report.unchanged += [i for i in ids if i not in new]
        curated = CuratedEntries.bundled(self._library) if new else CuratedEntries()
        new = self._add_local(new, report, curated)
        cancel = cancel or threading.Event()
        report_progress = progress or (lambda done, total: None)
        try:
            self._add_new(new, report, cancel, report_progress, modalities or {}, curated)
            self._add_posted_results(report, cancel)
        except CtgovError as error:
            report.error = str(error)
            for trial_id in new:
                if trial_id not in report.added and trial_id not in report.not_found:
                    report.failed.setdefault(trial_id, str(error))
        report.cancelled = cancel.is_set()
        check_library_kept(self._library, report)
        return report

    def _add_local(self, ids: list[str], report: SyncReport,
                   curated: CuratedEntries) -> list[str]:
        """Restore the local ids of `ids` from the curated library; return the others."""
        local = [i for i in ids if is_local_id(i)]
        if local:
            restore_local(self._library, local, curated)
            report.added += local
            report.restored += local
        return [i for i in ids if i not in local]

    def _add_new(self, ids: list[str], report: SyncReport, cancel: threading.Event,
                 progress: ProgressCallback, modalities: dict[str, Modality],
                 curated: CuratedEntries) -> None:
        """Fetch `ids` in batches and store what the registry answered for them: a study is
        stored only when it answers an asked id (by its id or an alias); studies nobody asked
        for and malformed ones go into the report; the ids the answers lack are asked once
        more, together (filter.ids searches aliases too, so no single-study request can tell
        more: see services/sync.py), and then are not found; an asked id the answers did not
        account for is failed with the reason, so every id ends in exactly one bucket."""
        run = _AddRun(set(ids), report, cancel, progress, utc_now().replace(microsecond=0),
                      modalities=modalities, curated=curated)
        run.tick()  # 0 of n: a terminal shows the bar before the first answer
        lacking = self._add_pass(run, ids, second_look=False)
        if lacking and not cancel.is_set():
            self._add_pass(run, lacking, second_look=True)
        rest = [i for i in ids if i not in run.answered]
        if cancel.is_set():
            settled = report.settled_ids()
            report.not_checked += [i for i in rest if i not in settled]
        else:
            self._fail_unaccounted(rest, report)

    def _add_pass(self, run: _AddRun, ids: list[str], second_look: bool) -> list[str]:
        """One batch pass over `ids`; returns the ids its answers lacked (on a first look)."""
        lacking: list[str] = []
        report = run.report
        for batch in self._client.fetch_records(ids, full=True, cancel=run.cancel):
            self._store_new(self._answering(batch.records, run.wanted, run.answered, report),
                            run)
            for failure in batch.failures:
                if failure.nct_id in run.wanted:
                    report.failed.setdefault(failure.nct_id, str(failure))
                elif failure.nct_id is None:
                    report.anonymous.append(str(failure))
                else:
                    report.unasked.append(failure.nct_id)
            missing = [i for i in batch.missing_ids if i in run.wanted and i not in run.answered]
            if not second_look:
                lacking += missing
            elif batch.strangers:
                report.failed.update((i, answered_instead(i, batch.strangers)) for i in missing)
            else:
                report.not_found += missing
            run.tick()
        return lacking

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

    def _add_posted_results(self, report: SyncReport, cancel: threading.Event) -> None:
        """The posted results of the trials just added whose records flag them (the batch
        answer carries none: results are large, so they are asked in small chunks, as a sync
        does). Best effort: when this fails the trials stay added, and the next sync asks
        again (it asks for results any trial's latest version lacks)."""
        wanted = self._library.versions.trial_ids_lacking_results() & set(report.added)
        if not wanted or cancel.is_set():
            return
        when = utc_now().replace(microsecond=0)
        try:
            for batch in self._client.fetch_records(sorted(wanted), full=True, results=True,
                                                    cancel=cancel):
                with self._library.transaction():
                    for record in _usable_results(batch.records, wanted):
                        trial = self._library.trials.get(record.nct_id)
                        if went_back(trial.last_update_posted, record.last_update_posted):
                            log.warning("the results answer for %s is older than its record; "
                                        "the next sync asks again", record.nct_id)
                            continue
                        record_registry_version(self._library, trial, record, when)
        except CtgovError as error:
            log.warning("posted results of %s not fetched (%s); the next sync asks again",
                        ", ".join(sorted(wanted)), error)

    def _store_new(self, records: list[RegistryRecord], run: _AddRun) -> None:
        report, when = run.report, run.when
        fresh = [r for r in records if not self._library.trials.exists(r.nct_id)]
        report.unchanged += [r.nct_id for r in records if r not in fresh]
        entries = [run.curated.entry(r.all_ids) for r in fresh]
        trials = [self._new_trial(r, entry, run) for r, entry in zip(fresh, entries, strict=True)]
        with self._library.transaction():
            self._library.trials.insert(trials)
            forget_removals(self._library, [i for r in fresh for i in r.all_ids])
            for trial, record in zip(trials, fresh, strict=True):  # its first status seen, as
                # a sync logs it for a trial it finds for the first time
                unseen = trial.model_copy(update={"registry_state": RegistryState.NEVER_SYNCED})
                record_registry_version(self._library, unseen, record, when)
        report.added += [r.nct_id for r in fresh]
        report.restored += [t.id for t, entry in zip(trials, entries, strict=True) if entry]

    @staticmethod
    def _new_trial(record: RegistryRecord, entry: Trial | None, run: _AddRun) -> Trial:
        chosen = next((run.modalities[i] for i in record.all_ids if i in run.modalities), None)
        return new_or_restored(record, entry, run.when, chosen)


def _add_id(text: str) -> str:
    """An NCT id (or study URL), or a local id: a curated local study an add brings back."""
    local = text.strip().upper()
    return local if is_local_id(local) else parse_nct_id(text)


def _usable_results(records: list[RegistryRecord], wanted: set[str]) -> list[RegistryRecord]:
    """One record per wanted study; none for a study the answer gives differing copies of."""
    copies: dict[str, list[RegistryRecord]] = {}
    for record in records:
        if record.nct_id in wanted:
            copies.setdefault(record.nct_id, []).append(record)
    usable = []
    for nct_id, found in copies.items():
        if disagree(found):
            log.warning("the results answer gave differing copies of %s: not stored; the "
                        "next sync asks again", nct_id)
        else:
            usable.append(found[0])
    return usable
