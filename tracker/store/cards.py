"""A light read model for the card list: one flat row per trial, cheap to load by the 100,000."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import NamedTuple

from tracker.domain import RegistryStatus
from tracker.domain.enums import Modality, phase_label
from tracker.domain.metrics import NO_EFFICACY_TEXT, headline_text
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


_CARD_SQL = """
SELECT t.num, t.id, t.acronym, t.brief_title, t.status, t.registry_state, t.phases, t.modality,
       t.diseases, t.conditions, t.start_date, t.primary_completion_date, t.primary_completion_date_kind,
       t.last_synced_at, t.last_update_posted,
       EXISTS (SELECT 1 FROM notes n WHERE n.trial_id = t.id) AS has_notes,
       EXISTS (SELECT 1 FROM field_changes s WHERE s.trial_id = t.id
               AND s.significance != 'initial'
               AND s.seen_at >= (SELECT value FROM meta WHERE key = 'last_sync_at')) AS changed
FROM trials t
"""


class CardRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def all_cards(self) -> dict[str, TrialCard]:
        headlines, markers = self._headlines(), change_markers(self._db)
        rows = self._db.execute(_CARD_SQL).fetchall()
        return {row[1]: _card(row, headlines.get(row[1], ""), markers.get(row[1], ""))
                for row in rows}

    def cards(self, ids: list[str]) -> dict[str, TrialCard]:
        headlines, markers = self._headlines(), change_markers(self._db)
        found: dict[str, TrialCard] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            sql = f"{_CARD_SQL} WHERE t.id IN ({','.join('?' * len(chunk))})"
            for row in self._db.execute(sql, chunk):
                found[row[1]] = _card(row, headlines.get(row[1], ""), markers.get(row[1], ""))
        return found

    def matching_ids(self, query: TrialQuery, index: CardIndex | None = None) -> list[str]:
        """Ids in display order for a filter + search (FTS5 for text).

        Sorting by title with an index of the loaded cards skips SQL's join and sort: the
        matching rowids are picked out of the index's title order instead (~10x faster at
        100,000 trials)."""
        if index is None or query.sort != SortKey.TITLE or query.watchlist_id is not None:
            sql, params = query.to_sql("t.id")
            return [row[0] for row in self._db.execute(sql, params)]
        nums = self._matching_nums(query)
        if nums is None:
            return list(index.title_order)
        if len(nums) * 4 < len(index.title_nums):  # few matches: sort them by title rank
            known = [num for num in nums if num in index.rank]
            return [index.id_of[num] for num in sorted(known, key=index.rank.__getitem__)]
        return [index.id_of[num] for num in index.title_nums if num in nums]

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

    def _headlines(self) -> dict[str, str]:
        """"OS 14.7 months vs 9.6 months": the headline rules of tracker.domain.metrics, the
        same as the detail view and the exports; trials with no efficacy figure are absent."""
        rows = self._db.execute(
            "SELECT trial_id, metric, value, arm, source_file, source_locator, kind, caveat "
            "FROM outcomes ORDER BY trial_id, position")
        grouped: dict[str, list[_OutcomeRow]] = {}
        for trial_id, metric, value, arm, file, locator, kind, caveat in rows:
            grouped.setdefault(trial_id, []).append(
                _OutcomeRow(metric, value, arm, (file, locator), kind, caveat))
        headlines = {trial_id: headline_text(outcomes) for trial_id, outcomes in grouped.items()}
        return {k: v for k, v in headlines.items() if v != NO_EFFICACY_TEXT}


@dataclass(frozen=True)
class CardIndex:
    """The loaded cards in title order, by rowid: lets a search skip SQL's sort."""

    title_nums: tuple[int, ...]
    title_order: tuple[str, ...]
    id_of: dict[int, str]
    rank: dict[int, int]  # num -> position in title order

    @classmethod
    def of(cls, cards: dict[str, TrialCard]) -> CardIndex:
        ordered = sorted(cards.values(), key=lambda c: (c.title.lower(), c.id))
        return cls(tuple(c.num for c in ordered), tuple(c.id for c in ordered),
                   {c.num: c.id for c in ordered},
                   {c.num: position for position, c in enumerate(ordered)})


def change_markers(db: Database) -> dict[str, str]:
    """Per trial, the marker text of the most significant change the last sync saw."""
    from tracker.domain.changes import most_significant  # pydantic: not before first paint
    from tracker.store.changes import change_from_row

    rows = db.query("SELECT * FROM field_changes WHERE significance != 'initial' AND seen_at >= "
                    "(SELECT value FROM meta WHERE key = 'last_sync_at')")
    by_trial: dict[str, list] = {}
    for row in rows:
        by_trial.setdefault(row["trial_id"], []).append(change_from_row(row))
    return {trial_id: marker.marker() for trial_id, changes in by_trial.items()
            if (marker := most_significant(changes)) is not None}


def _card(row: tuple, headline: str, marker: str = "") -> TrialCard:
    (num, trial_id, acronym, brief_title, status, state, phases, modality, diseases, conditions,
     start, pcd, pcd_kind, synced, updated, has_notes, changed) = row
    disease_list = json.loads(diseases) or json.loads(conditions)[:3]
    return TrialCard(
        num=num,
        id=trial_id,
        title=acronym or brief_title or trial_id,
        subtitle=brief_title if acronym else "",
        status=RegistryStatus(status) if status else None,
        registry_state=state,
        phase_text=phase_label(json.loads(phases)),
        modality=Modality(modality),
        diseases=", ".join(disease_list),
        headline=headline,
        start=start,
        primary_completion=pcd,
        primary_completion_estimated=pcd_kind == "ESTIMATED",
        last_synced_at=from_text(synced),
        last_update_posted=updated,
        has_notes=bool(has_notes),
        changed_in_last_sync=bool(changed),
        change_marker=marker,
    )
