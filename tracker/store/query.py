"""What a list of trials is filtered and sorted by, and the SQL it becomes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, NamedTuple

from tracker.domain.enums import Modality

_WORD_PATTERN = r"[\w\u00C0-\uFFFF]+(?:[-.][\w\u00C0-\uFFFF]+)*"


class SortKey(StrEnum):
    TITLE = "title"
    LAST_STATUS_CHANGE = "last_status_change"
    PRIMARY_COMPLETION = "primary_completion"
    LAST_UPDATE = "last_update"


_ORDER_BY = {
    SortKey.TITLE: "lower(coalesce(t.acronym, t.brief_title, t.id))",
    SortKey.LAST_STATUS_CHANGE: "(SELECT max(seen_at) FROM field_changes s "
    "WHERE s.trial_id = t.id AND s.field = 'overall_status') DESC NULLS LAST, "
    "lower(coalesce(t.acronym, t.brief_title))",
    SortKey.PRIMARY_COMPLETION: "t.primary_completion_date IS NULL, t.primary_completion_date",
    SortKey.LAST_UPDATE: "t.last_update_posted DESC NULLS LAST",
}


@dataclass(frozen=True)
class TrialQuery:
    """Filters combine with AND; None means "any"."""

    modality: str | None = None
    disease: str | None = None
    disease_exact: bool = False  # only trials filed at `disease` itself, none of its members
    status: str | None = None
    phase: str | None = None
    search: str | None = None
    watchlist_id: int | None = None
    tag: str | None = None
    changed_in_last_sync: bool = False  # the same as changed_since="last-sync"
    #: Trials with a registry change seen since: "last-sync", "meeting" (the meeting date of
    #: `watchlist_id`'s list) or an ISO date / timestamp.
    changed_since: str | None = None
    #: (latitude, longitude, km): trials with a recruiting site that close
    near: tuple[float, float, float] | None = None
    sort: SortKey = SortKey.TITLE
    ids: tuple[str, ...] | None = None

    @property
    def only_search(self) -> bool:
        """True when nothing but the search text narrows the result."""
        return not (self.modality or self.disease or self.status or self.phase or self.ids
                    or self.tag or id_pattern(self.search) or Modality.named(self.search)
                    or self.watchlist_id is not None or self.changed_in_last_sync
                    or self.changed_since or self.near)

    def to_sql(self, columns: str = "t.*", ordered: bool = True) -> tuple[str, list[Any]]:
        """SELECT `columns` of the matching trials, in display order unless `ordered` is off."""
        clauses, params = self._clauses()
        where = " AND ".join(clauses) if clauses else "1"
        sql = f"SELECT {columns} FROM trials t WHERE {where}"
        if not ordered:
            return sql, params
        order = _ORDER_BY[self.sort]
        if self.watchlist_id is not None and self.sort == SortKey.TITLE:
            # a watch list is shown in its own order (the order its owner arranged)
            order = "(SELECT position FROM watchlist_items WHERE watchlist_id = ? AND trial_id = t.id)"
            params = [*params, self.watchlist_id]
        return f"{sql} ORDER BY {order}", params

    def _clauses(self) -> tuple[list[str], list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []

        def add(clause: str, *values: Any) -> None:
            clauses.append(clause)
            params.extend(values)

        if self.modality:
            add("t.modality = ?", self.modality)
        if self.status == "NONE":  # trials whose registry status is not known yet
            add("t.status IS NULL")
        elif self.status == "state:not_found":  # its status is only what it was last seen as
            add("t.registry_state = 'not_found'")
        elif self.status and self.status.startswith("state:"):  # no status, and why
            add("t.status IS NULL AND t.registry_state = ?", self.status.removeprefix("state:"))
        elif self.status:  # the current status: not the last-seen one of a trial not found
            add("t.status = ? AND t.registry_state != 'not_found'", self.status.upper())
        if self.disease:
            codes = disease_codes(self.disease)
            add("EXISTS (SELECT 1 FROM json_each(t.diseases) WHERE value COLLATE NOCASE IN "
                f"({','.join('?' * len(codes))}))", *codes)
            members = disease_members(self.disease) if self.disease_exact else ()
            if members:
                add("NOT EXISTS (SELECT 1 FROM json_each(t.diseases) WHERE value COLLATE NOCASE "
                    f"IN ({','.join('?' * len(members))}))", *members)
        if self.phase == PHASE_NOT_STATED:
            add("json_array_length(t.phases) = 0")
        elif self.phase:
            add("EXISTS (SELECT 1 FROM json_each(t.phases) WHERE value = ?)", self.phase.upper())
        if self.watchlist_id is not None:
            add("t.id IN (SELECT trial_id FROM watchlist_items WHERE watchlist_id = ?)",
                self.watchlist_id)
        if self.tag:
            add("t.id IN (SELECT trial_id FROM tags WHERE name = ?)", self.tag)
        since = "last-sync" if self.changed_in_last_sync else self.changed_since
        if since:
            start, start_params = _change_window_start(since, self.watchlist_id)
            add("t.id IN (SELECT trial_id FROM field_changes WHERE significance != 'initial' "
                f"AND seen_at >= {start})", *start_params)
        if self.near is not None:
            from tracker.store.sites import near_clause

            sql, near_params = near_clause(*self.near)
            add(f"t.id IN ({sql})", *near_params)
        if self.ids is not None:
            add(f"t.id IN ({','.join('?' * len(self.ids))})", *self.ids)
        match = fts_match_expression(self.search or "")
        by_id = id_pattern(self.search)
        by_modality = Modality.named(self.search)
        if match and by_id:  # an id (or its digits) finds the trial; the index holds no ids
            add("(t.num IN (SELECT rowid FROM trial_search WHERE trial_search MATCH ?) "
                "OR t.id LIKE ?)", match, by_id)
        elif match and by_modality:  # "CAR-T" finds every CAR-T trial, named so or not
            add("(t.num IN (SELECT rowid FROM trial_search WHERE trial_search MATCH ?) "
                "OR t.modality = ?)", match, by_modality.value)
        elif match:
            add("t.num IN (SELECT rowid FROM trial_search WHERE trial_search MATCH ?)", match)
        return clauses, params


#: `TrialQuery.phase` for trials whose phase neither the reviews nor the registry give.
PHASE_NOT_STATED = "NOT_STATED"


def id_pattern(text: str | None) -> str | None:
    """A LIKE pattern for search text that is a trial id or part of one: NCT02993523 or its
    start (NCT0299), or the 8 digits alone (02993523); None for other text."""
    text = (text or "").strip()
    if re.fullmatch(r"[Nn][Cc][Tt]\d{1,8}", text):
        return text.upper() + "%"
    if re.fullmatch(r"\d{8}", text):
        return f"NCT{text}"
    return None


#: An archived meeting date counts as a meeting the list held only when it was replaced on
#: or after its day (`WatchLists._was_held`, which today's builds apply before archiving;
#: earlier builds archived every replaced date, a postponed meeting or a typo included).
HELD_MEETING = "meeting_date <= date(archived_at, 'localtime')"

_LOCAL_MIDNIGHT_IN_UTC = "strftime('%Y-%m-%dT%H:%M:%S', {day}, 'utc')"  # start_of_day in SQL


def _change_window_start(since: str, watchlist_id: int | None) -> tuple[str, list[Any]]:
    """SQL for the start of a "changed since" window, as UTC text comparable with `seen_at`;
    NULL (nothing matches) when unknown. A date (a meeting's, a chosen one) starts at its
    local midnight."""
    if since == "last-sync":
        return "(SELECT value FROM meta WHERE key = 'last_sync_at')", []
    if since == "meeting":  # WatchList.meeting_behind: the latest meeting that is past
        day = ("(SELECT max(day) FROM (SELECT meeting_date AS day FROM watchlists WHERE id = ? "
               "UNION ALL SELECT meeting_date FROM watchlist_meetings WHERE watchlist_id = ? "
               f"AND {HELD_MEETING}) "
               "WHERE day < date('now', 'localtime'))")
        return _LOCAL_MIDNIGHT_IN_UTC.format(day=day), [watchlist_id, watchlist_id]
    return _LOCAL_MIDNIGHT_IN_UTC.format(day="?"), [since]


def disease_members(text: str) -> tuple[str, ...]:
    """Every code beneath the disease `text` names (not the code itself)."""
    from tracker.domain import diseases

    code = diseases.resolve(text)
    return diseases.subtree(code)[1:] if code else ()


def disease_codes(text: str) -> tuple[str, ...]:
    """A disease filter finds the code and every code beneath it in the vocabulary (and the
    text as typed, for rows written before the vocabulary)."""
    from tracker.domain import diseases  # its table is built on import: not at start-up

    code = diseases.resolve(text)
    return tuple(dict.fromkeys((text, *diseases.subtree(code)))) if code else (text,)


def fts_match_expression(text: str) -> str | None:
    """User text -> an FTS5 query: every word must match, as a prefix, in any column.

    Words are quoted, so FTS syntax characters typed by users (quotes, *, :, -) are inert.
    """
    words = re.findall(_WORD_PATTERN, text)  # re caches the compiled pattern
    if not words:
        return None
    return " AND ".join('"' + word.replace('"', "") + '"*' for word in words)


class ListRow(NamedTuple):
    """One line of `tracker list`: raw column values (phases as its JSON text)."""

    id: str
    modality: str
    phases: str
    status: str | None
    registry_state: str
    acronym: str | None
    brief_title: str
