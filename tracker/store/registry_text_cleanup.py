"""A one-time migration step: registry text stored before it was cleaned at mapping time.

Libraries synced before `tracker.domain.registry_text` may hold titles with a right-to-left
override, terminal escape sequences or a sponsor that is only a zero-width space. A sync
rewrites these fields only when the registry sends the whole record again (after the sponsor
updates the study), so they are cleaned here once, with the same rules the mapping uses.
Cleaning the stored columns rather than every reader keeps the search index (rebuilt by the
trials' update trigger) and the title sort order right too; both are computed in SQL.

The registry records kept as versions are left as received: they are the evidence.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import Any

from tracker.domain.registry_text import clean_block, clean_items, clean_line, visible_text

_LINE_COLUMNS = ("acronym", "official_title", "why_stopped", "sponsor", "enrollment_kind")
_LIST_COLUMNS = ("conditions", "interventions")
_RECORD_CLEANERS: dict[str, Callable[[str], str | None]] = {
    "acronym": clean_line, "brief_title": clean_line, "official_title": clean_line,
    "brief_summary": clean_block, "why_stopped": clean_line, "sponsor": clean_line,
    "enrollment_kind": clean_line,
}
_SITE_KEYS = ("nearest_facility", "nearest_city", "nearest_country")


def _suspect(column: str) -> str:
    """SQL true when `column` may need cleaning: a character outside printable ASCII (control
    and invisible characters, and all non-ASCII text), a JSON escape (a control character in
    a stored list), or spaces a single-line field folds. Clean rows, nearly all of a large
    library, are then never read into Python."""
    return (f"({column} GLOB '*[^ -~]*' OR instr({column}, char(92)) > 0 "
            f"OR {column} LIKE '%  %' OR {column} LIKE ' %' OR {column} LIKE '% ')")


def clean_stored_registry_text(conn: sqlite3.Connection) -> None:
    """Clean the registry text of trials, inbox records, site rows and change-log values in
    place (inside the migration's transaction); rows that are already clean are not written."""
    _clean_trials(conn)
    _clean_inbox(conn)
    _clean_sites(conn)
    _clean_changes(conn)


def _clean_trials(conn: sqlite3.Connection) -> None:
    columns = ("brief_title", "brief_summary", *_LINE_COLUMNS, *_LIST_COLUMNS)
    suspect = " OR ".join(_suspect(name) for name in columns)
    rows = conn.execute(f"SELECT num, {', '.join(columns)} FROM trials WHERE {suspect}"
                        ).fetchall()
    for num, *values in rows:
        stored = dict(zip(columns, values, strict=True))
        cleaned = {"brief_title": _text_or_same(clean_line, stored["brief_title"]) or "",
                   "brief_summary": _text_or_same(clean_block, stored["brief_summary"])}
        cleaned |= {name: _text_or_same(clean_line, stored[name]) for name in _LINE_COLUMNS}
        cleaned |= {name: _cleaned_list(stored[name]) for name in _LIST_COLUMNS}
        changed = {name: value for name, value in cleaned.items() if value != stored[name]}
        if changed:
            assignments = ", ".join(f"{name} = ?" for name in changed)
            conn.execute(f"UPDATE trials SET {assignments} WHERE num = ?", (*changed.values(), num))


def _text_or_same(clean: Callable[[str], str | None], value: Any) -> Any:
    """`value` cleaned when it is text; anything else (NULL, a damaged row's number) as is."""
    return clean(value) if isinstance(value, str) else value


def _cleaned_list(stored: str | None) -> str | None:
    """A JSON list of texts, each cleaned; left as stored when it is not such a list."""
    items = _loaded(stored, list)
    if items is None or not all(isinstance(item, str) for item in items):
        return stored
    cleaned = list(clean_items(items))
    return stored if cleaned == items else json.dumps(cleaned, ensure_ascii=False)


def _clean_inbox(conn: sqlite3.Connection) -> None:
    for nct_id, record_json, sites_json in conn.execute(
            "SELECT nct_id, record, sites FROM inbox").fetchall():
        record = _loaded(record_json, dict)
        record_changed = record is not None and _clean_record(record)
        sites = _loaded(sites_json, dict)
        sites_changed = sites is not None and _clean_sites_summary(sites)
        if record_changed or sites_changed:
            conn.execute("UPDATE inbox SET record = ?, sites = ? WHERE nct_id = ?",
                         (json.dumps(record, ensure_ascii=False) if record_changed
                          else record_json,
                          json.dumps(sites, ensure_ascii=False) if sites_changed else sites_json,
                          nct_id))


def _clean_record(record: dict[str, Any]) -> bool:
    """Clean a stored `RegistryRecord`'s texts in place; True when anything changed."""
    before = dict(record)
    for name, clean in _RECORD_CLEANERS.items():
        if isinstance(record.get(name), str):
            record[name] = clean(record[name])
    for name in _LIST_COLUMNS:
        items = record.get(name)
        if isinstance(items, list) and all(isinstance(item, str) for item in items):
            record[name] = list(clean_items(items))
    return record != before


def _clean_sites_summary(sites: dict[str, Any]) -> bool:
    before = dict(sites)
    for key in _SITE_KEYS:
        if isinstance(sites.get(key), str):
            sites[key] = clean_line(sites[key]) or ""
    countries = sites.get("countries")
    if isinstance(countries, list) and all(isinstance(c, str) for c in countries):
        sites["countries"] = list(clean_items(countries))
    return sites != before


def _clean_sites(conn: sqlite3.Connection) -> None:
    columns = ("facility", "city", "state", "country")
    suspect = " OR ".join(_suspect(name) for name in columns)
    for trial_id, position, *values in conn.execute(
            f"SELECT trial_id, position, {', '.join(columns)} FROM trial_sites "
            f"WHERE {suspect}").fetchall():
        cleaned = [_visible(v) or "" if isinstance(v, str) else v for v in values]
        if cleaned != values:
            conn.execute(f"UPDATE trial_sites SET {' = ?, '.join(columns)} = ? "
                         "WHERE trial_id = ? AND position = ?", (*cleaned, trial_id, position))


def _clean_changes(conn: sqlite3.Connection) -> None:
    suspect = " OR ".join(_suspect(name) for name in ("old", "new", "detail"))
    for change_id, *values in conn.execute(
            f"SELECT id, old, new, detail FROM field_changes WHERE {suspect}").fetchall():
        cleaned = [_visible(v) for v in values]
        if cleaned != values:
            conn.execute("UPDATE field_changes SET old = ?, new = ?, detail = ? WHERE id = ?",
                         (*cleaned, change_id))


def _visible(value: Any) -> Any:
    """A stored text without invisible characters (None when nothing is left); anything else,
    and blank text, as stored."""
    if not isinstance(value, str) or not value.strip():
        return value
    return visible_text(value)


def _loaded(text: str | None, kind: type) -> Any:
    """`text` parsed as JSON when it is a `kind` (list or dict); None otherwise (a damaged row
    is left for the damaged-row handling to report)."""
    if not isinstance(text, str):
        return None
    try:
        value = json.loads(text)
    except ValueError:
        return None
    return value if isinstance(value, kind) else None
