"""Watch lists: named, ordered selections of trials (a trial may be in several lists)."""

from __future__ import annotations

import datetime as dt
import sqlite3

from tracker.domain import TrackerError, WatchList, users_today
from tracker.domain.calendar_day import start_of_day
from tracker.domain.limits import comparable_name, meeting_date_problem, past_meeting_problem
from tracker.domain.watchlist_names import name_taken_message
from tracker.store.database import Database
from tracker.store.query import HELD_MEETING
from tracker.store.timestamps import from_text, to_text, utc_now


class WatchListError(TrackerError):
    """A watch list name that is taken or unknown."""


class WatchListRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def all(self) -> list[WatchList]:
        rows = self._db.query("SELECT * FROM watchlists ORDER BY position, id")
        return [self._build(row) for row in rows]

    def get(self, name: str) -> WatchList:
        row = self._find(name)
        if row is None:
            raise WatchListError(f"no watch list named {name!r}")
        return self._build(row)

    def _find(self, name: str) -> dict | None:
        """The list named `name`: as stored (SQLite's NOCASE folds ASCII case only), else the
        one whose name is the same by `comparable_name` ("Ätna" for "ätna", "Heme JC" for
        "Heme  JC"): one rule for every lookup, create and rename."""
        rows = self._db.query("SELECT * FROM watchlists WHERE name = ?", (name,))
        if rows:
            return rows[0]
        wanted = comparable_name(name)
        return next((row for row in self._db.query("SELECT * FROM watchlists")
                     if comparable_name(row["name"]) == wanted), None)

    def _build(self, row: dict) -> WatchList:
        ids = [r[0] for r in self._db.execute(
            "SELECT trial_id FROM watchlist_items WHERE watchlist_id = ? ORDER BY position",
            (row["id"],),
        )]
        meeting = dt.date.fromisoformat(row["meeting_date"]) if row["meeting_date"] else None
        held = self._held_meetings(row["id"])
        today = users_today()
        # stored rows are not validated again: a name saved before the name rules tightened
        # stays readable (and can be renamed)
        return WatchList.model_construct(
            id=row["id"], name=row["name"], description=row["description"],
            meeting_date=meeting, trial_ids=tuple(ids), position=row["position"],
            previous_meeting=next((day for day in held if day < today), None),
            past_meetings=held,
        )

    def _held_meetings(self, watchlist_id: int) -> tuple[dt.date, ...]:
        """The meetings the list held (archived after their day: `HELD_MEETING`), newest
        first."""
        rows = self._db.execute(
            "SELECT DISTINCT meeting_date FROM watchlist_meetings WHERE watchlist_id = ? "
            f"AND {HELD_MEETING} ORDER BY meeting_date DESC", (watchlist_id,))
        return tuple(dt.date.fromisoformat(row[0]) for row in rows)

    def create(self, name: str, description: str = "",
               meeting_date: dt.date | None = None) -> WatchList:
        name = WatchList(name=name).name  # validated and stripped
        problem = meeting_date_problem(meeting_date)
        if problem:
            raise WatchListError(problem)
        if self.taken_name(name) is not None:
            raise self._name_taken(name)
        try:
            with self._db.transaction() as conn:
                position = conn.execute(
                    "SELECT coalesce(max(position), -1) + 1 FROM watchlists").fetchone()[0]
                conn.execute(
                    "INSERT INTO watchlists (name, description, meeting_date, position, "
                    "created_at) VALUES (?, ?, ?, ?, ?)",
                    (name, description, meeting_date.isoformat() if meeting_date else None,
                     position, to_text(utc_now())),
                )
        except sqlite3.IntegrityError:
            raise self._name_taken(name) from None
        return self.get(name)

    def taken_name(self, name: str, renaming: int | None = None) -> str | None:
        """The list `name` would clash with, as that list spells it ("Heme JC" for "heme
        jc", "AML" for a full-width "ＡＭＬ", "Ätna" for "ätna": `_find`'s rule); None when it is
        free, or is the name of the list `renaming`."""
        row = self._find(WatchList(name=name).name)  # folded as create and update store it
        return row["name"] if row is not None and row["id"] != renaming else None

    def _name_taken(self, name: str) -> WatchListError:
        return WatchListError(name_taken_message(self.taken_name(name) or name))

    def update(self, name: str, *, new_name: str | None = None, description: str | None = None,
               meeting_date: dt.date | None | str = "keep") -> WatchList:
        current = self.get(name)
        values = {
            "name": new_name or current.name,
            "description": current.description if description is None else description,
            "meeting_date": (current.meeting_date if meeting_date == "keep" else meeting_date),
        }
        if new_name:
            values["name"] = WatchList(name=new_name).name
            if self.taken_name(values["name"], renaming=current.id) is not None:
                raise self._name_taken(values["name"])
        date = values["meeting_date"]
        problem = meeting_date_problem(date)
        if problem:
            raise WatchListError(problem)
        try:
            with self._db.transaction() as conn:
                if self._was_held(current.meeting_date, date):
                    self._archive_meeting(conn, current.id, current.meeting_date)
                conn.execute(
                    "UPDATE watchlists SET name = ?, description = ?, meeting_date = ? "
                    "WHERE id = ?",
                    (values["name"], values["description"], date.isoformat() if date else None,
                     current.id),
                )
        except sqlite3.IntegrityError:
            raise self._name_taken(values["name"]) from None
        return self.get(values["name"])

    @staticmethod
    def _was_held(replaced: dt.date | None, new: dt.date | None) -> bool:
        """Whether a meeting date being replaced is one the list met on: its day has come
        (the user's day). A date moved before it came (a postponed meeting, a corrected typo)
        was never held: archived, it would become "the previous meeting" and cut weeks of
        changes out of the next handout. A date replaced on its own day is held: organisers
        set the next date the evening of the meeting, and the next handout must count from
        it, not repeat the cycle just discussed; a meeting postponed on its day can be
        forgotten, and the CLI and the window say how when they replace it
        (`WatchList.replaces_todays_meeting`)."""
        return replaced is not None and replaced != new and replaced <= users_today()

    @staticmethod
    def _archive_meeting(conn: sqlite3.Connection, watchlist_id: int,
                         meeting: dt.date) -> None:
        conn.execute("INSERT INTO watchlist_meetings (watchlist_id, meeting_date, archived_at) "
                     "VALUES (?, ?, ?)", (watchlist_id, meeting.isoformat(), to_text(utc_now())))

    def past_meetings(self, name: str) -> list[dt.date]:
        """The meetings the list held (archived after their day: `HELD_MEETING`), newest first."""
        return list(self.get(name).past_meetings)

    def add_past_meetings(self, name: str, days: list[dt.date]) -> list[dt.date]:
        """Record `days` as meetings the list held (a colleague's file names them); return
        the ones it did not have, newest first. Each is archived as replaced after its day
        (`HELD_MEETING`): now, or the start of the day after it for one dated today or
        tomorrow (a file from a time zone ahead), which counts from that day on."""
        current = self.get(name)
        today = users_today()
        new = sorted(set(days) - set(current.past_meetings), reverse=True)
        for day in new:
            problem = past_meeting_problem(day, today)
            if problem:
                raise WatchListError(problem)
        now = utc_now()
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT INTO watchlist_meetings (watchlist_id, meeting_date, archived_at) "
                "VALUES (?, ?, ?)",
                [(current.id, day.isoformat(),
                  to_text(max(now, start_of_day(day + dt.timedelta(days=1))))) for day in new])
        return new

    def forget_meeting(self, name: str, day: dt.date) -> WatchList:
        """Drop `day` from the list's held meetings (one that did not take place, or a
        typo); a day the list has no held meeting on is refused, naming the ones it has."""
        current = self.get(name)
        held = self.past_meetings(name)
        if day not in held:
            dates = ", ".join(d.isoformat() for d in held) or "none"
            raise WatchListError(f"{current.name!r} has no past meeting on {day.isoformat()} "
                                 f"(its past meetings: {dates})")
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM watchlist_meetings WHERE watchlist_id = ? "
                         "AND meeting_date = ?", (current.id, day.isoformat()))
        return self.get(name)

    def record_export(self, name: str, when: dt.datetime) -> None:
        current = self.get(name)
        with self._db.transaction() as conn:  # the log is the one record of exports
            conn.execute("INSERT INTO watchlist_exports (watchlist_id, exported_at) VALUES (?, ?)",
                         (current.id, to_text(when)))

    def last_exported_before(self, name: str, day: dt.date) -> dt.datetime | None:
        """The list's latest export made before `day` (the user's day: before its local
        midnight), if any."""
        current = self.get(name)
        start = start_of_day(day)
        row = self._db.execute(  # UTC ISO text sorts as time does: the index answers
            "SELECT max(exported_at) FROM watchlist_exports WHERE watchlist_id = ? "
            "AND exported_at < ?", (current.id, to_text(start))).fetchone()
        return from_text(row[0]) if row else None

    def last_exported_at(self, name: str) -> dt.datetime | None:
        """The list's latest export, if any (from the export log; the old `last_exported_at`
        column was copied into the log by migration 8 and is no longer written)."""
        current = self.get(name)
        row = self._db.execute("SELECT max(exported_at) FROM watchlist_exports "
                               "WHERE watchlist_id = ?", (current.id,)).fetchone()
        return from_text(row[0]) if row and row[0] else None

    def delete(self, name: str) -> None:
        current = self.get(name)
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM watchlists WHERE id = ?", (current.id,))

    def add(self, name: str, trial_ids: list[str]) -> WatchList:
        current = self.get(name)
        with self._db.transaction() as conn:
            for trial_id in dict.fromkeys(trial_ids):
                if trial_id in current.trial_ids:
                    continue
                conn.execute(
                    "INSERT INTO watchlist_items (watchlist_id, trial_id, position) VALUES "
                    "(?, ?, (SELECT coalesce(max(position), -1) + 1 FROM watchlist_items "
                    "WHERE watchlist_id = ?))",
                    (current.id, trial_id, current.id),
                )
        return self.get(name)

    def remove(self, name: str, trial_ids: list[str]) -> WatchList:
        current = self.get(name)
        with self._db.transaction() as conn:
            conn.executemany(
                "DELETE FROM watchlist_items WHERE watchlist_id = ? AND trial_id = ?",
                [(current.id, trial_id) for trial_id in trial_ids],
            )
        return self.get(name)

    def reorder(self, name: str, trial_ids: list[str]) -> WatchList:
        """Put the list's trials in the given order (ids not in the list are ignored)."""
        current = self.get(name)
        ordered = [i for i in trial_ids if i in current.trial_ids]
        ordered += [i for i in current.trial_ids if i not in ordered]
        with self._db.transaction() as conn:
            conn.executemany(
                "UPDATE watchlist_items SET position = ? WHERE watchlist_id = ? AND trial_id = ?",
                [(position, current.id, trial_id) for position, trial_id in enumerate(ordered)],
            )
        return self.get(name)

    def lists_of(self, trial_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT w.name FROM watchlists w JOIN watchlist_items i ON i.watchlist_id = w.id "
            "WHERE i.trial_id = ? ORDER BY w.position", (trial_id,))
        return [row[0] for row in rows]
