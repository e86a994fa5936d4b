"""A trial row whose stored fields cannot be read: said in words, and found by `doctor`.

SQLite's integrity check sees damaged pages, not a field written wrong by another program or
a hand edit (a list column that is not JSON, a phase the app does not know, bytes that are
not UTF-8). Reading such a row raises `LibraryDamagedError` naming the trial, not a
traceback, and `damaged_trial_rows` lists every such row for `tracker doctor`.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from typing import Any

from tracker.domain.errors import LibraryDamagedError

_ADVICE = ("run `tracker doctor` to list damaged records, then restore a backup copy "
           "(library.schema*.bak.sqlite3 next to the library) or remove the trial and add it "
           "again")


#: What reading a badly written field raises (JSON, enum and pydantic errors are ValueErrors).
READ_ERRORS = (ValueError, TypeError, KeyError)


@contextlib.contextmanager
def reading_row(trial_id: object) -> Iterator[None]:
    """Turn a failure to read one trial's stored fields into one plain sentence."""
    try:
        yield
    except READ_ERRORS as error:
        raise damaged_record(trial_id, error) from None


def damaged_record(trial_id: object, error: Exception) -> LibraryDamagedError:
    """The sentence for a trial whose stored fields cannot be read (for hot loops that
    catch READ_ERRORS themselves rather than enter `reading_row` per row)."""
    why = _what(error)
    damaged = LibraryDamagedError(f"the library's record of {trial_id} is damaged ({why}): "
                                  f"{_ADVICE}")
    damaged.why = why  # what doctor lists
    return damaged


def _what(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return "a field holds bytes that are not UTF-8 text"
    if type(error).__name__ == "JSONDecodeError":
        return "a list field is not valid JSON"
    return "a stored value is not one this version of Trial Tracker can read"


def damaged_trial_rows(conn: sqlite3.Connection, read: Callable[[dict[str, Any]], object],
                       limit: int = 20) -> list[str]:
    """'NCT…: why' for each trial row `read` cannot turn into a trial (at most `limit`);
    rows are fetched as bytes so one bad text field cannot stop the scan."""
    found: list[str] = []
    cursor = conn.cursor()
    cursor.row_factory = None
    previous = conn.text_factory
    conn.text_factory = bytes
    try:
        rows = cursor.execute("SELECT * FROM trials")
        names = [column[0] for column in rows.description]
        for raw in rows:
            problem = _row_problem(dict(zip(names, raw, strict=True)), read)
            if problem:
                found.append(problem)
                if len(found) >= limit:
                    break
    finally:
        conn.text_factory = previous
    return found


def _row_problem(raw: dict[str, Any], read: Callable[[dict[str, Any]], object]) -> str | None:
    trial_id = raw["id"].decode("utf-8", "replace") if isinstance(raw["id"], bytes) else raw["id"]
    row: dict[str, Any] = {}
    for name, value in raw.items():
        if isinstance(value, bytes):
            try:
                value = value.decode("utf-8")
            except UnicodeDecodeError:
                return f"{trial_id}: {name} holds bytes that are not UTF-8 text"
        row[name] = value
    try:
        with reading_row(trial_id):
            read(row)
    except LibraryDamagedError as error:
        return f"{trial_id}: {error.why}"
    return None
