"""The user's own data on a trial: notes and tags. No sync code path writes here."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from tracker.store.database import Database
from tracker.store.timestamps import to_text, utc_now
from tracker.store.views import NOTES_OF_TRIAL_SQL

if TYPE_CHECKING:
    from tracker.domain import Note


def note_from_row(row: dict[str, Any]) -> Note:
    """The model (imported on first use: reading tags, or notes for display, needs none)."""
    from tracker.store.rows import note_from_row as from_row

    return from_row(row)


def _tag_name(name: str) -> str:
    """`name` as a valid tag (pydantic's Tag model checks and normalises it)."""
    from tracker.domain import Tag

    return Tag(name=name).name


class NoteRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def for_trial(self, trial_id: str) -> list[Note]:
        return [note_from_row(row) for row in self._db.query(NOTES_OF_TRIAL_SQL, (trial_id,))]

    def for_trials(self, trial_ids: list[str]) -> dict[str, list[Note]]:
        found: dict[str, list[Note]] = {trial_id: [] for trial_id in trial_ids}
        for row in self._db.query("SELECT * FROM notes ORDER BY created_at, id"):
            if row["trial_id"] in found:
                found[row["trial_id"]].append(note_from_row(row))
        return found

    def add(self, trial_id: str, body: str, author: str | None = None,
            when: dt.datetime | None = None, updated: dt.datetime | None = None) -> Note:
        stamp = to_text(when or utc_now())
        updated_stamp = to_text(updated) if updated else stamp
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "INSERT INTO notes (trial_id, body, author, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (trial_id, body, author, stamp, updated_stamp),
            )
        return self.get(cursor.lastrowid)

    def get(self, note_id: int) -> Note:
        rows = self._db.query("SELECT * FROM notes WHERE id = ?", (note_id,))
        if not rows:
            raise LookupError(f"no note {note_id}")
        return note_from_row(rows[0])

    def update(self, note_id: int, body: str) -> Note:
        with self._db.transaction() as conn:
            cursor = conn.execute(
                "UPDATE notes SET body = ?, updated_at = ? WHERE id = ?",
                (body, to_text(utc_now()), note_id),
            )
        if cursor.rowcount != 1:
            raise LookupError(f"no note {note_id}")
        return self.get(note_id)

    def delete(self, note_id: int) -> None:
        with self._db.transaction() as conn:
            conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))

    def trial_ids_with_notes(self) -> set[str]:
        return {row[0] for row in self._db.execute("SELECT DISTINCT trial_id FROM notes")}


class TagRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def for_trial(self, trial_id: str) -> list[str]:
        rows = self._db.execute(
            "SELECT name FROM tags WHERE trial_id = ? ORDER BY name", (trial_id,)
        )
        return [row[0] for row in rows]

    def for_all(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for trial_id, name in self._db.execute("SELECT trial_id, name FROM tags ORDER BY name"):
            found.setdefault(trial_id, []).append(name)
        return found

    def add(self, trial_id: str, names: list[str]) -> list[str]:
        tags = [_tag_name(name) for name in names]
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT OR IGNORE INTO tags (trial_id, name) VALUES (?, ?)",
                [(trial_id, tag) for tag in tags],
            )
        return self.for_trial(trial_id)

    def remove(self, trial_id: str, names: list[str]) -> list[str]:
        with self._db.transaction() as conn:
            conn.executemany(
                "DELETE FROM tags WHERE trial_id = ? AND name = ?",
                [(trial_id, name) for name in names],
            )
        return self.for_trial(trial_id)

    def counts(self) -> dict[str, int]:
        """Tag name -> number of trials carrying it, by name."""
        rows = self._db.execute(
            "SELECT min(name), count(*) FROM tags GROUP BY name COLLATE NOCASE "
            "ORDER BY name COLLATE NOCASE")
        return {row[0]: row[1] for row in rows}

    def rename(self, old: str, new: str) -> int:
        """Rename a tag on every trial (merging into `new` where a trial has both); returns
        how many trials carry the renamed tag."""
        name = _tag_name(new)
        with self._db.transaction() as conn:
            ids = [r[0] for r in conn.execute("SELECT trial_id FROM tags WHERE name = ?", (old,))]
            conn.execute("DELETE FROM tags WHERE name = ?", (old,))
            conn.executemany("INSERT OR IGNORE INTO tags (trial_id, name) VALUES (?, ?)",
                             [(trial_id, name) for trial_id in ids])
        return len(ids)

    def delete(self, name: str) -> int:
        """Remove a tag from every trial; returns how many trials lost it."""
        with self._db.transaction() as conn:
            return conn.execute("DELETE FROM tags WHERE name = ?", (name,)).rowcount
