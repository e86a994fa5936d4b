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
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from tracker.ctgov import ApiRequestError, CtgovClient, CtgovError
from tracker.ctgov.errors import PagingError
from tracker.ctgov.search import (
    SEARCH_PAGE_SIZE,
    FoundStudy,
    fetch_found_page,
    search_params,
)
from tracker.domain import Modality, parse_nct_id
from tracker.domain.inbox import InboxItem
from tracker.domain.modality import propose_modality
from tracker.domain.searches import OPEN_SCOPE_TEXT, SavedSearch
from tracker.services.registry_merge import new_trial_from_record
from tracker.store import Library
from tracker.store.discovery import (
    CheckTally,
    FoundRow,
    InboxRepository,
    SavedSearchError,
    SavedSearchRepository,
)
from tracker.store.timestamps import utc_now

log = logging.getLogger(__name__)
MAX_PAGES = 10  # first-check bound: 10 pages of 100 studies
OVERLAP = dt.timedelta(days=1)
ProgressCallback = Callable[[int, int], None]


@dataclass
class SearchCheck:
    """How one search's check went."""

    name: str
    first: bool
    requests: int = 0
    found: int = 0
    total: int | None = None
    tally: CheckTally | None = None  # None: nothing was stored
    capped: str = ""  # why not every matching study was taken
    error: str = ""
    skipped_records: int = 0  # malformed studies the registry sent
    fatal: bool = False  # the registry itself failed (not this search's parameters)
    open_scope: bool = False  # the search names no statuses: open studies only


@dataclass
class CheckReport:
    searches: list[SearchCheck] = field(default_factory=list)
    cancelled: bool = False
    inbox_count: int = 0
    stopped: int = 0  # searches left unchecked because the registry could not be used

    @property
    def new(self) -> int:
        return sum(s.tally.new for s in self.searches if s.tally)

    @property
    def ok(self) -> bool:
        return not self.cancelled and not any(s.error for s in self.searches)

    def headline(self, with_reason: bool = True) -> str:
        """One line for the status bar (with the first failure's reason, shortened)."""
        done = sum(1 for s in self.searches if s.tally)
        text = (f"Checked {done} saved search{'es' if done != 1 else ''}: {self.new} new "
                f"in the inbox; Inbox ({self.inbox_count})")
        failed = [s for s in self.searches if s.error]
        if failed:
            them = "it" if len(failed) == 1 else "them"
            text += f"; {len(failed)} failed, nothing changed for {them}"
            if with_reason:
                reason = f"{failed[0].name}: {failed[0].error}"
                text += f" ({reason if len(reason) <= 200 else reason[:199] + '…'})"
        if self.stopped:
            text += f"; {self.stopped} not checked (registry unavailable)"
        if self.cancelled:
            text += "; cancelled (unchecked searches keep their last-check date)"
        return text

    def lines(self) -> list[str]:
        out = []
        for s in self.searches:
            if s.error:
                out.append(f"{s.name}: failed, nothing changed: {s.error}")
            elif s.tally is None:
                out.append(f"{s.name}: not checked (cancelled)")
            else:
                t = s.tally
                kind = "first check" if s.first else "posted or updated since the last check"
                out.append(f"{s.name}: {s.found} found ({kind}, {s.requests} request"
                           f"{'s' if s.requests != 1 else ''}): {t.new} new, {t.again} already "
                           f"in the inbox, {t.in_library} in the library, {t.dismissed} dismissed")

            if s.capped:
                out.append(f"  {s.capped}")
            if s.skipped_records:
                out.append(f"  {s.skipped_records} malformed registry record(s) skipped; the "
                           "last-check date was kept so the next check asks for them again")
        if any(s.first and s.open_scope and s.tally for s in self.searches):  # said once
            out.append(f"A first check takes {OPEN_SCOPE_TEXT} unless the search names "
                       "statuses.")
        return out + [self.headline(with_reason=False)]


@dataclass(frozen=True)
class AcceptResult:
    added: list[str]
    already: list[str]
    watchlist: str | None = None


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
        for done, search in enumerate(chosen):
            progress(done, len(chosen))
            if cancel.is_set():
                report.cancelled = True
                break
            checked = self._check_one(search, cancel, today or utc_now().date())
            report.searches.append(checked)
            if checked.fatal:  # the next searches would fail the same way: stop asking
                report.stopped = len(chosen) - done - 1
                break
        report.cancelled |= cancel.is_set()
        progress(len(report.searches), len(chosen))
        report.inbox_count = self.inbox.count()
        return report

    def _check_one(self, search: SavedSearch, cancel: threading.Event,
                   today: dt.date) -> SearchCheck:
        since = search.last_checked_on - OVERLAP if search.last_checked_on else None
        result = SearchCheck(search.name, first=since is None,
                             open_scope=not search.criteria.statuses)
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
        rows = [_found_row(study, _reason(study, since)) for study in studies]
        # A malformed record would be lost if the date moved past it: keep the date, so the
        # next check asks for the same window again.
        checked_on = None if result.skipped_records else today
        if result.capped and not result.first and checked_on is not None:
            checked_on = _resume_date(studies, search.last_checked_on)
            result.capped += (f"; the next check continues from {checked_on.isoformat()}"
                              if checked_on else "; those studies were all updated on the "
                              "day the last check began, so the next check asks for that "
                              "day again")
        result.tally = self.searches.record_check(search.id, rows, checked_on, result.total)
        return result

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

    # -- the inbox ------------------------------------------------------------------------------
    def items(self) -> list[InboxItem]:
        return self.inbox.items()

    def accept(self, texts: list[str], watchlist: str | None = None) -> AcceptResult:
        """Add inbox studies to the library (and a watch list); one transaction."""
        ids = _ids(texts)
        self.inbox.require(ids)
        if watchlist:
            watchlist = self._library.watchlists.get(watchlist).name  # unknown: raise first
        from tracker.ctgov import RegistryRecord

        stored = self.inbox.records(ids)
        when = utc_now().replace(microsecond=0)
        added, already = [], []
        with self._library.transaction():
            for nct_id in ids:
                record_json, modality = stored[nct_id]
                if self._library.trials.exists(nct_id):
                    already.append(nct_id)
                    continue
                record = RegistryRecord.model_validate_json(record_json)
                trial = new_trial_from_record(record, when).model_copy(
                    update={"modality": modality})
                self._library.trials.insert([trial], when)
                added.append(nct_id)
            if watchlist:
                self._library.watchlists.add(watchlist, [self._library.trials.resolve(i)
                                                         for i in ids])
            self.inbox.remove(ids)
        return AcceptResult(added, already, watchlist)

    def dismiss(self, texts: list[str]) -> int:
        return self.inbox.dismiss(_ids(texts))

    def inbox_ids(self, search_name: str | None = None) -> list[str]:
        """The studies in the inbox (not yet in the library), or those one search found."""
        search_id = self.searches.get(search_name).id if search_name is not None else None
        return self.inbox.ids(search_id)

    def set_modality(self, text: str, modality: Modality | str) -> None:
        self.inbox.set_modality(parse_nct_id(text), Modality(modality))


def _reason(study: FoundStudy, since: dt.date | None) -> str:
    """Why a check found the study (InboxItem.reason): the first check's current set, a
    posting since the last check, or an older study updated since that now matches."""
    if since is None:
        return "first-check"
    posted = study.first_posted
    if posted is None or posted >= since.isoformat():  # a posting date is its first update
        return "posted"
    return f"updated:{study.record.last_update_posted or since.isoformat()}"


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


def _found_row(study: FoundStudy, reason: str) -> FoundRow:
    record = study.record
    titles = " ; ".join(filter(None, (record.brief_title, record.official_title, record.acronym)))
    proposal = propose_modality(record.interventions, titles, record.conditions)
    return FoundRow(record.nct_id, record.all_ids, record.model_dump_json(), study.first_posted,
                    proposal.modality.value, proposal.evidence, reason)
