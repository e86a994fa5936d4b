"""An inbox entry: a study a saved search found that is not in the library yet."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from tracker.domain.calendar_day import local_day
from tracker.domain.dates import PartialDate
from tracker.domain.enums import Modality, Phase, RegistryState, RegistryStatus
from tracker.domain.geo import km_between
from tracker.domain.views import passed_estimate, under_way

MOST_COUNTRIES = 5
# Why a study is in the inbox (`InboxItem.reason`, stored as is): the reason codes
FIRST_CHECK = "first-check"  # in the current result set a search's first check took
POSTED = "posted"  # first posted since the search's last check
UPDATED = "updated:"  # + day: an older study updated on that day that now matches
STILL_MATCHES = "still-matches:"  # + day: updated on that day, in the inbox before too


@dataclass(frozen=True)
class SitesSummary:
    """Where an inbox study has sites, from the check's search answer; the nearest site is
    measured from the place of the search that found it (None: that search has no place).
    A site counts as recruiting only while the study recruits too (a terminated study's
    record often still marks its sites recruiting); the nearest is the nearest recruiting
    site when there is one, else the nearest site, named with its own status."""

    count: int
    recruiting: int
    countries: tuple[str, ...]  # sorted, at most MOST_COUNTRIES
    more_countries: int = 0
    nearest_facility: str = ""
    nearest_city: str = ""
    nearest_country: str = ""
    nearest_km: float | None = None
    nearest_status: str = ""  # the nearest site's registry status ("" before it was kept)

    def describe(self, study_recruits: bool = True) -> str:
        """"3 sites (2 recruiting), nearest recruiting 12 km: Hôpital Saint-Louis, Paris";
        "2 sites, nearest site under 1 km (withdrawn): Charité, Berlin". `study_recruits`:
        False for a study that does not recruit (no site is then called recruiting)."""
        if not self.count:
            return "no sites listed"
        text = f"{self.count} site{'s' if self.count != 1 else ''}"
        if self.recruiting and study_recruits:
            text += f" ({self.recruiting} recruiting)"
        if self.nearest_km is not None:
            where = ", ".join(p for p in (self.nearest_facility, self.nearest_city) if p)
            km = f"{self.nearest_km:,.0f} km" if self.nearest_km >= 1 else "under 1 km"
            recruits = study_recruits and self.nearest_status == "RECRUITING"
            label = ("nearest" if not self.nearest_status  # kept before site statuses were
                     else "nearest recruiting" if recruits else "nearest site")
            text += f", {label} {km}"
            if self.nearest_status == "RECRUITING" and not recruits:  # the study does not
                text += " (listed as recruiting; the study is not)"
            elif self.nearest_status and not recruits:
                text += f" ({_site_status(self.nearest_status)})"
            text += f": {where}" if where else ""
        return text

    def same_sites(self, other: SitesSummary | None, recruiting: bool = True) -> bool:
        """Whether `other` tells a reader the same about the sites: how many, in which
        countries, and (`recruiting`) how many recruit; False when the study's own status
        changed, which that count follows (the status says it). The nearest depends on the
        place of a search, so it is not compared."""
        def told(summary: SitesSummary) -> tuple:
            return (summary.count, summary.countries, summary.more_countries,
                    summary.recruiting if recruiting else None)
        return other is not None and told(self) == told(other)

    def countries_text(self) -> str:
        more = f" and {self.more_countries} more" if self.more_countries else ""
        return ", ".join(self.countries) + more

    def as_dict(self) -> dict:
        return asdict(self)


def _site_status(code: str) -> str:
    """A site's registry status in words ("withdrawn", "not yet recruiting")."""
    try:
        return RegistryStatus(code).label.lower()
    except ValueError:
        return code.replace("_", " ").lower()


def summarize_sites(sites: Iterable[tuple[str, str, str, str, float | None, float | None]],
                    near: tuple[float, float] | None, study_recruits: bool = True
                    ) -> SitesSummary:
    """(facility, city, country, status, lat, lon) of each site -> the summary; the nearest is
    the closest recruiting site with coordinates to `near` (the closest site of any status
    when none recruits, or the study itself does not: `study_recruits`)."""
    sites = list(sites)
    countries = sorted({country for _, _, country, _, _, _ in sites if country})
    recruiting = [s for s in sites if s[3] == "RECRUITING"] if study_recruits else []
    placed = [s for s in sites if s[4] is not None and s[5] is not None]
    candidates = [s for s in placed if s in recruiting] or placed
    nearest, nearest_km = None, None
    if near is not None:
        for site in candidates:
            km = km_between(near[0], near[1], site[4], site[5])
            if nearest_km is None or km < nearest_km:
                nearest, nearest_km = site, km
    return SitesSummary(
        count=len(sites), recruiting=len(recruiting),
        countries=tuple(countries[:MOST_COUNTRIES]),
        more_countries=max(len(countries) - MOST_COUNTRIES, 0),
        nearest_facility=nearest[0] if nearest else "", nearest_city=nearest[1] if nearest else "",
        nearest_country=nearest[2] if nearest else "",
        nearest_km=round(nearest_km, 1) if nearest_km is not None else None,
        nearest_status=(nearest[3] or "") if nearest else "")


def sites_from_dict(data: dict | None) -> SitesSummary | None:
    if not data:
        return None
    return SitesSummary(**{**data, "countries": tuple(data.get("countries") or ())})


@dataclass(frozen=True)
class InboxItem:
    nct_id: str
    title: str
    acronym: str | None
    phases: tuple[Phase, ...]
    status: RegistryStatus | None
    sponsor: str | None
    first_posted: str | None  # YYYY-MM-DD as the registry gives it
    conditions: tuple[str, ...]
    interventions: tuple[str, ...]
    searches: tuple[str, ...]  # names of the saved searches that found it
    proposed_modality: Modality
    evidence: str  # "venetoclax in interventions", "" when nothing matched
    modality: Modality  # the proposal, or what the user changed it to
    found_at: str  # UTC timestamp of the check that first found it
    #: "first-check", "posted", "updated:YYYY-MM-DD" (now matches), "still-matches:YYYY-MM-DD"
    #: (`reason_found_again`); "" before it was kept
    reason: str = ""
    fetched_at: str = ""  # UTC timestamp of the check that last fetched its record
    dismissed_at: str = ""  # UTC timestamp of its dismissal ("" while in the inbox)
    enrollment: int | None = None
    enrollment_kind: str | None = None  # "ACTUAL", "ESTIMATED"
    start: PartialDate | None = None
    primary_completion: PartialDate | None = None
    brief_summary: str | None = None
    sites: SitesSummary | None = None  # None: found before sites were kept
    last_known_status: RegistryStatus | None = None
    status_verified: str | None = None
    why_stopped: str | None = None  # the sponsor's reason, for a stopped study
    last_update_posted: str | None = None  # the registry's "Last Update Posted" day
    #: the statuses the searches that found it follow, together (`SearchCriteria.
    #: followed_statuses`: a search without statuses follows open ones); () when not known
    followed_statuses: tuple[RegistryStatus, ...] = ()

    @property
    def no_longer_matches(self) -> bool:
        """Whether its status now is one no search that found it follows: a withdrawn or
        terminated study drops out of a search for open studies (a check then asks for it
        by id), a study no longer recruiting out of one for recruiting studies."""
        return (self.status is not None and bool(self.followed_statuses)
                and self.status not in self.followed_statuses)

    @property
    def recruits(self) -> bool:
        """Whether the study takes patients now (`RegistryStatus.takes_patients`)."""
        return self.status is not None and self.status.takes_patients

    def enrollment_text(self) -> str:
        """"230 (estimated)", "" when the record gives no count."""
        if self.enrollment is None:
            return ""
        kind = f" ({self.enrollment_kind.lower()})" if self.enrollment_kind else ""
        return f"{self.enrollment:,}{kind}"

    def running_on(self, today: dt.date) -> dt.date | None:
        """`today` (the user's day) if the study is under way, else None: the rule of the
        cards and the detail pane (`views.under_way`), for a record the registry has just
        given (so it lists the study)."""
        return today if under_way(self.status, RegistryState.FOUND) else None

    def overdue(self, date: PartialDate | None, today: dt.date) -> bool:
        """Whether `date` (its start or primary completion) is an estimate the study, under
        way, has passed by `today`: what the facts line marks "(est., overdue)"."""
        return date is not None and passed_estimate(date.value, date.is_estimated,
                                                    self.running_on(today))

    def facts_line(self, today: dt.date, sites_first: bool = False) -> str:
        """One compact line: "enrollment 230 (estimated) · start 2025-02-01 (est.) · primary
        completion 2028-06 (est., overdue) · 3 sites (2 recruiting), nearest 12 km: …"; an
        estimated date a study under way has passed by `today` is overdue; `sites_first` (a
        card, whose tail may be cut): the sites lead."""
        running = self.running_on(today)
        parts = []
        if self.enrollment is not None:
            parts.append(f"enrollment {self.enrollment_text()}")
        if self.start:
            parts.append(f"start {self.start.display(running)}")
        if self.primary_completion:
            parts.append(f"primary completion {self.primary_completion.display(running)}")
        if self.sites is not None:
            parts.insert(0 if sites_first else len(parts), self.sites.describe(self.recruits))
        if self.why_stopped:
            parts.insert(0, f"why stopped: {self.why_stopped}")
        return " · ".join(parts)

    def last_update_text(self) -> str:
        """"last update posted 2026-11-28": the registry's own date of the record's latest
        version, the one a reader cites ("" when the record gives none)."""
        return f"last update posted {self.last_update_posted}" if self.last_update_posted \
            else ""

    def fetched_on(self) -> dt.date | None:
        """The user's day on which a check last fetched the record: how current the inbox's
        copy is (None if unknown)."""
        return local_day(dt.datetime.fromisoformat(self.fetched_at)) if self.fetched_at \
            else None

    def found_because(self) -> str:
        """Why the study is here, in words: "newly posted 2026-12-01", "now matches: updated
        2026-12-02", "still matches: updated 2026-12-03", "found by the first check"; ""
        when the check did not record it. A study whose status its searches no longer follow
        says so first, whatever found it: "no longer matches: Withdrawn (updated
        2026-12-05)" (the registry's last update of the record)."""
        if self.no_longer_matches:
            updated = f" (updated {self.last_update_posted})" if self.last_update_posted \
                else ""
            return f"no longer matches: {self.status.label}{updated}"
        if self.reason == POSTED:
            return f"newly posted {self.first_posted}" if self.first_posted else "newly posted"
        if self.reason.startswith(UPDATED):
            return f"now matches: updated {self.reason.removeprefix(UPDATED)}"
        if self.reason.startswith(STILL_MATCHES):
            return f"still matches: updated {self.reason.removeprefix(STILL_MATCHES)}"
        if self.reason == FIRST_CHECK:
            return "found by the first check"
        return ""

    def found_because_on_card(self) -> str:
        """`found_because` for a card, whose last line dates the record ("last update
        posted …"): "no longer matches: Withdrawn" without the date, so it is not cut; ""
        for a study the first check found (a first inbox would say so on every card; the
        card shows its posting)."""
        if self.no_longer_matches:
            return f"no longer matches: {self.status.label}"
        if self.reason == FIRST_CHECK:
            return ""
        return self._undated(self.found_because())

    def found_because_and_updated(self) -> str:
        """`found_because`, then "last update posted D" unless the reason already says that
        day ("still matches: updated 2026-12-02 · last update posted 2026-12-02" read twice)."""
        reason = self.found_because()
        if self._says_update_day():
            return reason
        return " · ".join(p for p in (reason, self.last_update_text()) if p)

    def _says_update_day(self) -> bool:
        return bool(self.last_update_posted) and \
            f"updated {self.last_update_posted}" in self.found_because()

    def _undated(self, reason: str) -> str:
        """`reason` without its date when that is the record's last update, which the card's
        last line gives: "still matches: updated"."""
        day = f" {self.last_update_posted}" if self.last_update_posted else None
        return reason.removesuffix(day) if day and reason.endswith(f"updated{day}") else reason


def reason_found_again(kept: str, found: str, *, in_inbox_before: bool,
                       kept_update: str | None) -> str:
    """Why an inbox study is there once a search has found it again. `kept`: its reason so
    far; `found`: why this check found it (a first check, a posting, or "updated:<day>": an
    update inside the window); `in_inbox_before`: the study was in the inbox (not dismissed)
    when this check began; `kept_update`: the last-update day of the inbox's copy of the
    record.

    An update found in a study the inbox held before the check says it still matches ("still
    matches: updated <day>"): it had matched all along, so "now matches" would mislead. An
    update to a study the check brought in (new, or back from a dismissal) says it now
    matches. A record no newer than the inbox's copy (the window overlaps the last check by a
    day; a second search of the check finds the record the first stored), a posting or a
    first check keeps the reason; an entry from before reasons were kept takes the new one.
    Asked once per check, not per search, the answer does not depend on the searches'
    order."""
    if not kept:
        return found
    if not found.startswith(UPDATED):
        return kept
    day = found.removeprefix(UPDATED)
    if kept_update is not None and day <= kept_update:
        return kept
    return f"{STILL_MATCHES}{day}" if in_inbox_before else found
