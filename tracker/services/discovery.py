"""Discovery: check saved searches for studies posted or updated since, and triage the inbox.

A later check asks for studies whose last update was posted since the search's last completed
check, with a one-day overlap: the registry dates postings by day (US Eastern time), so a
study updated later on the day of the last check would otherwise fall between two checks. A
newly posted study was updated then too, so the one window finds it, and an older study that
now matches (it started recruiting, opened a site in the radius) as well; each is stored with
why it is there ("posted", "updated:<date>"). The overlap finds some studies twice; the inbox
keys them by NCT id, and studies already in the library or dismissed from this search are
skipped. A search without statuses follows open studies only (`SearchCriteria`), so the first
check takes the open studies of the field, bounded by `max_pages` (a message says when the
bound cut it short; it takes the newest postings first). Later checks go oldest update first,
so one cut short by the bound resumes next time from the newest update it took, instead of
losing the rest.

Nothing is written until a search's check completes: then its findings and its new date are
stored in one transaction. A failed or cancelled check leaves the search as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import threading
from collections.abc import Callable

from tracker.ctgov import ApiRequestError, CtgovClient, CtgovError
from tracker.ctgov.errors import PagingError
from tracker.ctgov.search import (
    SEARCH_FIELDS,
    SEARCH_PAGE_SIZE,
    FoundStudy,
    fetch_found_page,
    search_params,
)
from tracker.domain import Modality, RegistryStatus, parse_nct_id
from tracker.domain.inbox import FIRST_CHECK, POSTED, UPDATED, InboxItem, summarize_sites
from tracker.domain.modality import propose_modality
from tracker.domain.searches import SavedSearch
from tracker.services.discovery_report import (  # noqa: F401 (AcceptResult: re-exported)
    AcceptResult,
    CheckReport,
    SearchCheck,
)
from tracker.services.inbox_updates import inbox_updates
from tracker.store import Library
from tracker.store.discovery import FoundRow, SavedSearchError, SavedSearchRepository
from tracker.store.inbox import InboxRepository
from tracker.store.timestamps import to_text, utc_now

log = logging.getLogger(__name__)
MAX_PAGES = 10  # first-check bound: 10 pages of 100 studies
OVERLAP = dt.timedelta(days=1)
ProgressCallback = Callable[[int, int], None]


class DiscoveryService:
    def __init__(self, library: Library, client: CtgovClient | None = None, *,
                 max_pages: int = MAX_PAGES, page_size: int = SEARCH_PAGE_SIZE) -> None:
        self._library = library
        self._client = client
        self.searches = SavedSearchRepository(library.database)
        self.inbox = InboxRepository(library.database)
        self.max_pages = max_pages
        self.page_size = page_size

    # -- checking -----------------------------------------------------------------------------
    def check(self, names: list[str] | None = None, *, progress: ProgressCallback | None = None,
              cancel: threading.Event | None = None,
              today: dt.date | None = None) -> CheckReport:
        """Check the named searches (default: every search not paused)."""
        chosen = ([self.searches.get(n) for n in names] if names
                  else [s for s in self.searches.all() if not s.paused])
        cancel = cancel or threading.Event()
        report = CheckReport()
        progress = progress or (lambda done, total: None)
        started = to_text(utc_now())
        in_inbox = frozenset(self.inbox.ids())  # why a study is there is decided once a round
        for done, search in enumerate(chosen):
            progress(done, len(chosen))
            if cancel.is_set():
                report.cancelled = True
                break
            if not self._library.still_at_its_path():  # said below: asking more is in vain
                break
            checked = self._check_one(search, cancel, today or utc_now().date(), in_inbox)
            report.searches.append(checked)
            if checked.fatal:  # the next searches would fail the same way: stop asking
                report.stopped = len(chosen) - done - 1
                break
        report.cancelled |= cancel.is_set()
        left = self._library_left(report)  # said even when cancelled: its findings are lost
        if not (report.cancelled or report.stopped or left) and report.searches:
            self._refresh_the_rest(started, cancel, report)
            self._library_left(report)
        report.inbox_count = self.inbox.count()
        progress(len(report.searches), len(chosen))
        return report

    def _library_left(self, report: CheckReport) -> bool:
        """Was the library file moved, deleted or replaced during the check (SQLite went on
        writing to the file it opened, not to the one at the path)? Said in `report`."""
        if self._library.still_at_its_path():
            return False
        report.note_library_left(self._library.path, gone=not self._library.path.exists())
        return True

    def _check_one(self, search: SavedSearch, cancel: threading.Event, today: dt.date,
                   in_inbox: frozenset[str]) -> SearchCheck:
        since = search.last_checked_on - OVERLAP if search.last_checked_on else None
        result = SearchCheck(search.name, first=since is None,
                             open_scope=not search.criteria.statuses, since=since)
        try:
            studies = self._fetch_all(search, since, cancel, result)
        except ApiRequestError as error:  # this search's parameters: its text says why
            result.error = (f"the registry refused this search ({error.status}): "
                            f"{error.body.strip() or 'no explanation given'}")
            log.info("saved search %s refused: %s", search.name, error)
            return result
        except CtgovError as error:
            result.error = str(error)
            result.fatal = True  # the registry itself failed: the next searches would too
            log.info("saved search %s failed: %s", search.name, error)
            return result
        if studies is None:  # cancelled between pages: store nothing
            return result
        near = (search.criteria.near.lat, search.criteria.near.lon) if search.criteria.near \
            else None
        rows = [_found_row(study, _reason(study, since), near) for study in studies]
        # A malformed record would be lost if the date moved past it: keep the date, so the
        # next check asks for the same window again.
        checked_on = None if result.skipped_records else today
        if result.capped and not result.first and checked_on is not None:
            checked_on = _resume_date(studies, search.last_checked_on)
            result.capped += (f"; the next check continues from {checked_on.isoformat()}"
                              if checked_on else "; those studies were all updated on the "
                              "day the last check began, so the next check asks for that "
                              "day again")
        result.tally, replaced = self.searches.record_check(search.id, rows, checked_on,
                                                            result.total, in_inbox)
        result.updates = inbox_updates(replaced, rows)
        return result

    def _refresh_the_rest(self, started: str, cancel: threading.Event,
                          report: CheckReport) -> None:
        """Inbox studies this round's searches did not find again (a search without statuses
        follows open studies only, so one that closed drops out of it) are asked for by id,
        100 a request, so the inbox shows their status now; nothing else changes. After later
        checks only records updated since the earliest window are sent (the rest are known to
        be unchanged, so their records count as fetched now). What the newer records changed
        is said in `report.updates`."""
        stale = self.inbox.fetched_before(started)
        if not stale:
            return
        windows = [s.since for s in report.searches]
        since = None if None in windows else min(windows)
        places = {s.id: (s.criteria.near.lat, s.criteria.near.lon)
                  for s in self.searches.all() if s.criteria.near}
        ids = list(stale)
        rows: list[FoundRow] = []
        try:
            for start in range(0, len(ids), self.page_size):
                chunk = ids[start:start + self.page_size]
                params = {"filter.ids": "|".join(chunk), "fields": SEARCH_FIELDS,
                          "pageSize": str(len(chunk))}
                if since is not None:
                    params["filter.advanced"] = (f"AREA[LastUpdatePostDate]RANGE["
                                                 f"{since.isoformat()},MAX]")
                page = fetch_found_page(self._client, params, None, cancel)
                if page is None or cancel.is_set():
                    return
                for study in page.studies:
                    if study.record.nct_id in stale:
                        near = next((places[i] for i in stale[study.record.nct_id]
                                     if i in places), None)
                        rows.append(_found_row(study, "", near))
        except CtgovError as error:
            report.refresh_error = str(error)
            log.info("inbox records not refreshed: %s", error)
            return
        report.updates = inbox_updates(self.inbox.refresh(rows, confirmed=ids), rows)

    def _fetch_all(self, search: SavedSearch, since: dt.date | None, cancel: threading.Event,
                   result: SearchCheck) -> list[FoundStudy] | None:
        params = search_params(search.criteria, since, self.page_size)
        studies: list[FoundStudy] = []
        token: str | None = None
        tokens: set[str] = set()
        while True:
            page = fetch_found_page(self._client, params, token, cancel)
            if page is None or cancel.is_set():
                return None
            result.requests += 1
            if result.requests == 1:
                result.total = page.total_count
            studies += page.studies
            result.skipped_records += len(page.failures)
            result.skipped_ids += [f.nct_id for f in page.failures if f.nct_id]
            token = page.next_page_token
            if token is None:
                break
            if token in tokens:  # the registry's fault, not the search's: say so
                raise PagingError(f"the search {search.name!r}",
                                  f"a nextPageToken it had already sent ({token[:40]!r}) after "
                                  f"{result.requests} pages; nothing from this check was kept")
            tokens.add(token)
            if result.requests >= self.max_pages:
                result.capped = (
                    f"stopped after {result.requests} pages ({len(studies)} of "
                    f"{result.total if result.total is not None else 'more'} studies): narrow "
                    f"the search (condition, phase, status) to see the rest")
                break
        result.found = len(studies)
        return studies

    def set_statuses(self, name: str, statuses: tuple[RegistryStatus, ...]) -> SavedSearch:
        """Follow `statuses` (none: open studies only); the next check starts afresh."""
        from tracker.domain.searches import SearchCriteria

        search = self.searches.get(name)
        criteria = SearchCriteria.model_validate(
            search.criteria.model_dump() | {"statuses": statuses})
        return self.searches.update(search.name, search.model_copy(update={"criteria": criteria}))

    def narrowed_by_open_scope(self) -> list[str]:
        """Names of the searches saved before a search without statuses followed open studies
        only, which the upgrade narrowed, while that has not been said (`notice_shown`)."""
        if self._library.read_only:  # nothing could be widened, nor the notice remembered
            return []
        return [s.name for s in self.searches.narrowed_by_open_scope()]

    def open_scope_notice_shown(self) -> None:
        self.searches.mark_open_scope_notice_shown()

    # -- the inbox ------------------------------------------------------------------------------
    def items(self) -> list[InboxItem]:
        return self.inbox.items()

    def accept(self, texts: list[str], watchlist: str | None = None, *,
               progress: ProgressCallback | None = None,
               cancel: threading.Event | None = None) -> AcceptResult:
        """Add inbox studies to the library (and a watch list), each from its whole registry
        record as `add` fetches it (versions, sites, posted results). A study the registry
        did not give (offline, cancelled, refused) is added from its inbox record instead and
        stays "not synced yet", so the next sync fetches it: nothing is lost, and no sync time
        is claimed that did not happen. Everything is checked before anything is written."""
        ids = _ids(texts)
        self.inbox.require(ids)
        if watchlist:
            watchlist = self._library.watchlists.get(watchlist).name  # unknown: raise first
        stored = self.inbox.records(ids)
        already = [i for i in ids if self._library.trials.exists(i)]
        wanted = [i for i in ids if i not in already]
        unsynced = self._fetch_accepted(wanted, stored, progress, cancel)
        with self._library.transaction():
            self._store_unsynced(unsynced, stored)
            if watchlist:
                self._library.watchlists.add(watchlist, [self._library.trials.resolve(i)
                                                         for i in ids])
            self.inbox.remove(ids)
        return AcceptResult(wanted, already, watchlist, unsynced)

    def _fetch_accepted(self, ids: list[str], stored: dict[str, tuple[str, Modality]],
                        progress: ProgressCallback | None,
                        cancel: threading.Event | None) -> dict[str, str]:
        """Add `ids` from the registry as `add` does; returns {id: why it was not fetched}."""
        if not ids:
            return {}
        if self._client is None:
            return dict.fromkeys(ids, "no registry connection was used")
        from tracker.services.registry import RegistryService

        report = RegistryService(self._library, self._client).add(
            ids, progress=progress, cancel=cancel,
            modalities={i: stored[i][1] for i in ids})
        missed = {}
        for nct_id in ids:
            if self._library.trials.exists(nct_id):
                continue
            if nct_id in report.failed:
                missed[nct_id] = report.failed[nct_id]
            elif nct_id in report.not_found:
                missed[nct_id] = "the registry did not find it"
            elif nct_id in report.not_checked:
                missed[nct_id] = report.error or "cancelled before it was fetched"
            else:
                missed[nct_id] = report.error or "the registry did not answer for it"
        return missed

    def _store_unsynced(self, unsynced: dict[str, str],
                        stored: dict[str, tuple[str, Modality]]) -> None:
        """The studies the registry did not give, from their inbox records: never synced."""
        from tracker.ctgov import RegistryRecord
        from tracker.domain import RegistryState
        from tracker.services.curated_readd import CuratedEntries, new_or_restored
        from tracker.services.removal import forget_removals

        curated = CuratedEntries.bundled(self._library) if unsynced else CuratedEntries()
        trials = []
        for nct_id in unsynced:  # a study of the curated library: its curated entry restored
            record_json, modality = stored[nct_id]
            record = RegistryRecord.model_validate_json(record_json)
            trial = new_or_restored(record, curated.entry(record.all_ids), utc_now(), modality)
            trials.append(trial.model_copy(update={
                "last_synced_at": None, "registry_state": RegistryState.NEVER_SYNCED}))
        self._library.trials.insert(trials)
        forget_removals(self._library, [i for t in trials for i in (t.id, *t.aliases)])

    def dismiss(self, texts: list[str]) -> int:
        """Dismiss from the inbox: the searches that found them will not bring them back;
        their records are kept, so `restore` undoes it."""
        return self.inbox.dismiss(_ids(texts))

    def dismissed(self) -> tuple[list[InboxItem], list[str]]:
        """The dismissed studies (with their records), and ids dismissed before records of
        dismissed studies were kept."""
        return self.inbox.dismissed_items(), self.inbox.dismissed_without_record()

    def restore(self, texts: list[str]) -> int:
        """Bring dismissed studies back to the inbox (their dismissals are forgotten)."""
        return self.inbox.restore(_ids(texts))

    def inbox_ids(self, search_name: str | None = None) -> list[str]:
        """The studies in the inbox (not yet in the library), or those one search found."""
        search_id = self.searches.get(search_name).id if search_name is not None else None
        return self.inbox.ids(search_id)

    def search_findings(self, search_name: str) -> tuple[list[str], dict[str, list[str]]]:
        """The inbox studies one saved search found, split in two: those only it found
        (dismissing its findings dismisses these), and those other searches found too,
        each with their names (the inbox holds one entry per study, shared by the searches
        that found it, so these stay for the other searches)."""
        others = self.inbox.others_that_found(self.searches.get(search_name).id)
        only = [nct_id for nct_id, names in others.items() if not names]
        return only, {nct_id: names for nct_id, names in others.items() if names}

    def set_modality(self, text: str, modality: Modality | str) -> None:
        self.inbox.set_modality(parse_nct_id(text), Modality(modality))


def _reason(study: FoundStudy, since: dt.date | None) -> str:
    """Why a check found the study (InboxItem.reason): the first check's current set, a
    posting since the last check, or an older study updated since that now matches."""
    if since is None:
        return FIRST_CHECK
    posted = study.first_posted
    if posted is None or posted >= since.isoformat():  # a posting date is its first update
        return POSTED
    return f"{UPDATED}{study.record.last_update_posted or since.isoformat()}"


def _resume_date(studies: list[FoundStudy], last: dt.date | None) -> dt.date | None:
    """Where a capped later check stopped (it went oldest update first): the newest
    last-update date it took, so the next check asks from there. None (the date is kept)
    when that would not move on: jumping to today would skip the studies not yet fetched."""
    dates = [dt.date.fromisoformat(s.record.last_update_posted) for s in studies
             if s.record.last_update_posted and len(s.record.last_update_posted) == 10]
    newest = max(dates, default=None)
    return newest if newest is not None and (last is None or newest > last) else None


def _ids(texts: list[str]) -> list[str]:
    ids = list(dict.fromkeys(parse_nct_id(text) for text in texts))
    if not ids:
        raise SavedSearchError("give at least one NCT id from the inbox")
    return ids


def _found_row(study: FoundStudy, reason: str, near: tuple[float, float] | None) -> FoundRow:
    """What to store of a found study: its record, the proposal, and where its sites are
    (the nearest measured from the search's place, when it has one)."""
    record = study.record
    titles = " ; ".join(filter(None, (record.brief_title, record.official_title, record.acronym)))
    proposal = propose_modality(record.interventions, titles, record.conditions)
    recruits = record.status is not None and record.status.takes_patients
    sites = summarize_sites(((s.facility, s.city, s.country, s.status, s.lat, s.lon)
                             for s in study.sites), near, recruits)
    return FoundRow(record.nct_id, record.all_ids, record.model_dump_json(), study.first_posted,
                    proposal.modality.value, proposal.evidence, reason,
                    json.dumps(sites.as_dict(), ensure_ascii=False))
