"""A light read model for the card list: one flat row per trial, cheap to load by the 100,000."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import NamedTuple

from tracker.domain import RegistryStatus
from tracker.domain.calendar_day import users_today
from tracker.domain.enums import Modality, phase_label
from tracker.domain.metrics import NO_EFFICACY_TEXT, headline_text
from tracker.domain.status_words import status_context, stop_reason
from tracker.domain.views import passed_estimate, under_way
from tracker.store.database import Database
from tracker.store.query import SortKey, TrialQuery, fts_match_expression
from tracker.store.timestamps import from_text


class _OutcomeRow(NamedTuple):
    """What the headline rules read of an outcome, without building a model per row."""

    metric: str
    value: str
    arm: str | None
    source: tuple[str, str]
    kind: str
    caveat: str | None
    unit: str | None
    population: str | None
    timepoint: str | None


@dataclass(frozen=True, slots=True)
class TrialCard:
    num: int
    id: str
    title: str
    subtitle: str
    status: RegistryStatus | None
    registry_state: str
    phase_text: str
    modality: Modality
    diseases: str
    headline: str
    start: str | None
    primary_completion: str | None
    primary_completion_estimated: bool
    last_synced_at: dt.datetime | None
    last_update_posted: str | None
    has_notes: bool
    changed_in_last_sync: bool
    #: The most significant registry change the last sync saw ("primary completion +14
    #: months", "results posted"); "" when it saw none.
    change_marker: str = ""
    #: "last known: Enrolling by invitation; last verified 2019-12" (UNKNOWN), "last verified
    #: 2022-09" (a status verified over a year ago); "" otherwise.
    status_note: str = ""
    #: The registry flags results as posted (its own `hasResults`), shown when the reviews
    #: quote no figure.
    results_posted: bool = False
    #: The sponsor's reason for a suspended, terminated or withdrawn trial; "" otherwise.
    stop_reason: str = ""
    #: The study's completion date (the timeline's bar ends there, tracker.domain.timeline).
    completion: str | None = None
    completion_estimated: bool = False
    #: An estimated primary completion the trial, still under way, has passed.
    primary_completion_overdue: bool = False


_CARD_SQL = """
SELECT t.num, t.id, t.acronym, t.brief_title, t.status, t.registry_state, t.phases, t.modality,
       t.diseases, t.conditions, t.start_date, t.primary_completion_date, t.primary_completion_date_kind,
       t.last_synced_at, t.last_update_posted, t.last_known_status, t.status_verified,
       t.has_results, t.why_stopped, t.completion_date, t.completion_date_kind
FROM trials t
"""
#: The card list's title order; the migration `_V_TITLE_ORDER` indexes this very expression.
TITLE_ORDER_SQL = "lower(coalesce(t.acronym, t.brief_title, t.id)), t.id"
_NOTED_SQL = "SELECT DISTINCT trial_id FROM notes"
#: Trials that compare arms by design (`Trial.compares_arms`): a curated comparator.
_COMPARING_ARMS_SQL = "SELECT id FROM trials WHERE comparator IS NOT NULL"


class CardRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def all_cards(self) -> dict[str, TrialCard]:
        build = _CardBuilder(self._headlines(), self._ids(_NOTED_SQL), change_markers(self._db))
        return {card.id: card for card in map(build, self._db.execute(_CARD_SQL))}

    def cards(self, ids: list[str]) -> dict[str, TrialCard]:
        build = _CardBuilder(self._headlines(), self._ids(_NOTED_SQL), change_markers(self._db))
        found: dict[str, TrialCard] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            sql = f"{_CARD_SQL} WHERE t.id IN ({','.join('?' * len(chunk))})"
            for row in self._db.execute(sql, chunk):
                found[row[1]] = build(row)
        return found

    def first_cards(self, limit: int) -> list[TrialCard]:
        """The first `limit` cards in title order: what a window shows before the rest load."""
        sql = f"{_CARD_SQL} ORDER BY {TITLE_ORDER_SQL} LIMIT ?"  # served by an index
        rows = self._db.execute(sql, (limit,)).fetchall()
        build = _CardBuilder(self._headlines([row[1] for row in rows]), self._ids(_NOTED_SQL),
                             change_markers(self._db))
        return [build(row) for row in rows]

    def _ids(self, sql: str) -> frozenset[str]:
        return frozenset(row[0] for row in self._db.execute(sql))

    def _comparing_arms(self) -> frozenset[str]:
        """The few curated trials with a comparator, by a partial index; none in a library
        read as it is from before the column (tracker.store.migrations.READABLE_WITHOUT)."""
        columns = {row[1] for row in self._db.execute("PRAGMA table_info(trials)")}
        return self._ids(_COMPARING_ARMS_SQL) if "comparator" in columns else frozenset()

    def matching_ids(self, query: TrialQuery, index: CardIndex | None = None) -> list[str]:
        """Ids in display order for a filter + search (FTS5 for text)."""
        return self.match(query, index).ids

    def match(self, query: TrialQuery, index: CardIndex | None = None) -> Matches:
        """Ids in display order for a filter + search, and whether they all come from the
        index's loaded cards.

        Sorting by title with an index of the loaded cards skips SQL's join and sort: the
        matching rowids are picked out of the index's title order instead (~10x faster at
        100,000 trials). An index older than another connection's commit (another process
        changed the library) maps row numbers to what they were, so SQL answers then."""
        if index is None or not index.serves(query) or self._outdated(index):
            sql, params = query.to_sql("t.id")
            return Matches([row[0] for row in self._db.execute(sql, params)], False)
        return Matches(self._in_title_order(query, index), True)

    def _outdated(self, index: CardIndex) -> bool:
        return index.data_version is not None and self.data_version() != index.data_version

    def _in_title_order(self, query: TrialQuery, index: CardIndex) -> list[str]:
        if self._every_trial_matches(query, index):
            return list(index.title_order)  # a broad search: skip fetching 100,000 rowids
        nums = self._matching_nums(query)
        if nums is None:
            return list(index.title_order)
        if len(nums) >= len(index.title_nums) and nums.issuperset(index.title_nums):
            return list(index.title_order)  # a broad search that matches every card
        if len(nums) * 4 < len(index.title_nums):  # few matches: sort them by title rank
            known = [num for num in nums if num in index.rank]
            return [index.id_of[num] for num in sorted(known, key=index.rank.__getitem__)]
        return [index.id_of[num] for num in index.title_nums if num in nums]

    def _every_trial_matches(self, query: TrialQuery, index: CardIndex) -> bool:
        """A search alone that every trial matches (a word in every title), told by counts:
        the search index holds one row per trial, so as many matches as loaded cards, and as
        many trials, is all of them, provided nothing changed since the cards were loaded
        (another connection's commits are caught by `_outdated`; this connection's own
        changes are followed by a reload of the cards). Counting is ~4x faster than reading
        100,000 matching rowids into Python."""
        match = fts_match_expression(query.search or "")
        if not query.only_search or match is None or index.data_version is None:
            return False
        matched = self._db.execute(
            "SELECT count(*) FROM trial_search WHERE trial_search MATCH ?", (match,)).fetchone()[0]
        if matched != len(index.title_nums):
            return False
        trials = self._db.execute("SELECT count(*) FROM trials").fetchone()[0]
        return trials == matched

    def data_version(self) -> int:
        """`PRAGMA data_version` of this connection: changes when another one commits."""
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    def _matching_nums(self, query: TrialQuery) -> set[int] | None:
        match = fts_match_expression(query.search or "")
        if query.only_search:
            if match is None:
                return None
            rows = self._db.execute(
                "SELECT rowid FROM trial_search WHERE trial_search MATCH ?", (match,))
            return {row[0] for row in rows}
        sql, params = query.to_sql("t.num", ordered=False)
        return {row[0] for row in self._db.execute(sql, params)}

    def _headlines(self, trial_ids: list[str] | None = None) -> dict[str, str]:
        """"OS 14.7 months vs 9.6 months": the headline rules of tracker.domain.metrics, the
        same as the detail view and the exports; trials with no efficacy figure are absent.
        With `trial_ids`, only those trials' (up to a few hundred)."""
        where, params = "", ()
        if trial_ids is not None:
            where, params = f"WHERE trial_id IN ({','.join('?' * len(trial_ids))})", trial_ids
        comparing = self._comparing_arms()
        rows = self._db.execute(
            "SELECT trial_id, metric, value, arm, source_file, source_locator, kind, caveat, "
            "unit, population, timepoint "
            f"FROM outcomes {where} ORDER BY trial_id, position", params)
        grouped: dict[str, list[_OutcomeRow]] = {}
        for trial_id, metric, value, arm, file, locator, kind, caveat, *described in rows:
            grouped.setdefault(trial_id, []).append(
                _OutcomeRow(metric, value, arm, (file, locator), kind, caveat, *described))
        headlines = {trial_id: headline_text(outcomes, compares_arms=trial_id in comparing)
                     for trial_id, outcomes in grouped.items()}
        return {k: v for k, v in headlines.items() if v != NO_EFFICACY_TEXT}


class Matches(NamedTuple):
    ids: list[str]  # in display order
    from_loaded_cards: bool  # every id is a card the index was built from


@dataclass(frozen=True)
class CardIndex:
    """The loaded cards in title order, by rowid: lets a search skip SQL's sort."""

    title_nums: tuple[int, ...]
    title_order: tuple[str, ...]
    id_of: dict[int, str]
    rank: dict[int, int]  # num -> position in title order
    data_version: int | None = None  # this connection's data_version before the cards were read

    @staticmethod
    def serves(query: TrialQuery) -> bool:
        """Title order outside a watch list (whose order is the list's own): the index
        answers it, and every id it returns is one of the loaded cards."""
        return query.sort == SortKey.TITLE and query.watchlist_id is None

    @classmethod
    def of(cls, cards: dict[str, TrialCard], data_version: int | None = None) -> CardIndex:
        ordered = sorted(cards.values(), key=lambda c: (c.title.lower(), c.id))
        return cls(tuple(c.num for c in ordered), tuple(c.id for c in ordered),
                   {c.num: c.id for c in ordered},
                   {c.num: position for position, c in enumerate(ordered)}, data_version)


def change_markers(db: Database) -> dict[str, str]:
    """Per trial, the marker text of the most significant change the last sync saw."""
    rows = db.query("SELECT * FROM field_changes WHERE significance != 'initial' AND seen_at >= "
                    "(SELECT value FROM meta WHERE key = 'last_sync_at')")
    if not rows:
        return {}
    from tracker.domain.changes import most_significant  # pydantic: only when there are some
    from tracker.store.changes import change_from_row

    by_trial: dict[str, list] = {}
    for row in rows:
        by_trial.setdefault(row["trial_id"], []).append(change_from_row(row))
    return {trial_id: marker.marker() for trial_id, changes in by_trial.items()
            if (marker := most_significant(changes)) is not None}



class _CardBuilder:
    """Row -> TrialCard. Columns that repeat across a library (phases, diseases, statuses,
    sync times) are decoded once per distinct value, not once per trial."""

    def __init__(self, headlines: dict[str, str], noted: frozenset[str],
                 markers: dict[str, str]) -> None:
        self._headlines, self._noted, self._markers = headlines, noted, markers
        self._phases: dict[str, str] = {}
        self._diseases: dict[tuple[str, str], str] = {}
        self._times: dict[str, dt.datetime | None] = {}
        self._dates: dict[str, str] = {}  # one str per distinct date: months repeat a lot
        self._today = users_today()
        self._passed_dates: dict[str | None, bool] = {}

    def __call__(self, row: tuple) -> TrialCard:
        (num, trial_id, acronym, brief_title, status, state, phases, modality, diseases,
         conditions, start, pcd, pcd_kind, synced, updated, last_known, verified,
         has_results, why_stopped, completion, completion_kind) = row
        return TrialCard(
            num=num,
            id=trial_id,
            title=acronym or brief_title or trial_id,
            subtitle=brief_title if acronym else "",
            status=(_STATUSES.get(status) or RegistryStatus(status)) if status else None,
            registry_state=state,
            phase_text=self._phase_text(phases),
            modality=_MODALITIES[modality],
            diseases=self._disease_text(diseases, conditions),
            headline=self._headlines.get(trial_id, ""),
            start=self._date(start),
            primary_completion=self._date(pcd),
            primary_completion_estimated=pcd_kind == "ESTIMATED",
            primary_completion_overdue=pcd_kind == "ESTIMATED" and under_way(status, state)
            and self._passed(pcd),
            last_synced_at=self._time(synced),
            last_update_posted=updated,
            has_notes=trial_id in self._noted,
            changed_in_last_sync=trial_id in self._markers,
            change_marker=self._markers.get(trial_id, ""),
            status_note=status_context(status, last_known, verified, self._today)
            if verified and state == "found" else "",
            results_posted=bool(has_results),
            stop_reason=stop_reason(status, why_stopped) if state == "found" else "",
            completion=self._date(completion),
            completion_estimated=completion_kind == "ESTIMATED",
        )

    def _passed(self, date: str | None) -> bool:
        """`passed_estimate` for an estimated date of a running trial, once per distinct date."""
        passed = self._passed_dates.get(date)
        if passed is None:
            passed = self._passed_dates[date] = passed_estimate(date, True, self._today)
        return passed

    def _phase_text(self, phases: str) -> str:
        text = self._phases.get(phases)
        if text is None:
            text = self._phases[phases] = phase_label(json.loads(phases))
        return text

    def _disease_text(self, diseases: str, conditions: str) -> str:
        key = (diseases, conditions)
        text = self._diseases.get(key)
        if text is None:
            text = ", ".join(json.loads(diseases) or json.loads(conditions)[:3])
            if len(self._diseases) < 50_000:  # conditions vary more: keep the cache bounded
                self._diseases[key] = text
        return text

    def _date(self, text: str | None) -> str | None:
        return None if text is None else self._dates.setdefault(text, text)

    def _time(self, text: str | None) -> dt.datetime | None:
        if text not in self._times:
            self._times[text] = from_text(text)
        return self._times[text]


_STATUSES = {status.value: status for status in RegistryStatus}
_MODALITIES = {modality.value: modality for modality in Modality}
