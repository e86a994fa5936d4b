"""The discovery tables' migrations (saved searches, the inbox) and what they need: the
shipped searches inserted once, statements run only when upgrading from certain versions."""

from __future__ import annotations


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _default_search_inserts() -> list[str]:
    """The shipped saved searches, inserted once by this migration (so a deleted default
    never comes back: migrations run once per library)."""
    import json

    from tracker.domain.default_searches import DEFAULT_SEARCHES

    return [
        "INSERT INTO saved_searches (name, criteria, default_key, position, created_at) "
        f"VALUES ({_sql_text(s['name'])}, {_sql_text(json.dumps(s['criteria']))}, "
        f"{_sql_text(s['key'])}, {position}, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now'))"
        for position, s in enumerate(DEFAULT_SEARCHES)
    ]


# Discovery: saved registry searches, the inbox of new matches they found (one row per study,
# the registry record kept so accepting needs no request), which search found which study,
# and dismissals remembered per search.
_V_SAVED_SEARCHES = [
    """CREATE TABLE saved_searches (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        criteria TEXT NOT NULL,
        paused INTEGER NOT NULL DEFAULT 0,
        default_key TEXT UNIQUE,
        position INTEGER NOT NULL DEFAULT 0,
        last_checked_on TEXT,
        last_check_total INTEGER,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE inbox (
        nct_id TEXT PRIMARY KEY,
        record TEXT NOT NULL,
        first_posted TEXT,
        proposed_modality TEXT NOT NULL,
        evidence TEXT NOT NULL DEFAULT '',
        chosen_modality TEXT,
        found_at TEXT NOT NULL
    )""",
    """CREATE TABLE inbox_hits (
        nct_id TEXT NOT NULL REFERENCES inbox(nct_id) ON DELETE CASCADE,
        search_id INTEGER NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
        found_at TEXT NOT NULL,
        PRIMARY KEY (nct_id, search_id)
    )""",
    "CREATE INDEX inbox_hits_search ON inbox_hits(search_id)",
    """CREATE TABLE inbox_dismissals (
        search_id INTEGER NOT NULL REFERENCES saved_searches(id) ON DELETE CASCADE,
        nct_id TEXT NOT NULL,
        dismissed_at TEXT NOT NULL,
        PRIMARY KEY (search_id, nct_id)
    )""",
    *_default_search_inserts(),
]

# Why a study is in the inbox: '' (found before this was recorded), 'first-check', 'posted'
# (first posted since the search's last check) or 'updated:YYYY-MM-DD' (an older study that
# now matches, updated on that day); later also 'still-matches:YYYY-MM-DD' (an update found
# to a study already in the inbox: tracker.domain.inbox.reason_found_again).
_V_INBOX_REASON = ["ALTER TABLE inbox ADD COLUMN reason TEXT NOT NULL DEFAULT ''"]

# When an inbox record was last fetched (every check that finds the study again rewrites the
# record): the inbox says "as of <date>". Entries stored before were fetched when found.
_V_INBOX_FETCHED = ["ALTER TABLE inbox ADD COLUMN fetched_at TEXT",
                    "UPDATE inbox SET fetched_at = found_at"]

# Where an inbox study has sites (count, recruiting, countries, the nearest to the place of the
# search that found it), as JSON from the check's answer; NULL: found before this was kept.
_V_INBOX_SITES = ["ALTER TABLE inbox ADD COLUMN sites TEXT"]

# A dismissed study keeps its inbox row (and record), marked with when it was dismissed, so
# it can be listed and restored (tracker inbox dismissed / restore, Undo in the window).
# Studies dismissed before this have no row: only their ids are listed.
_V_INBOX_DISMISSED_AT = ["ALTER TABLE inbox ADD COLUMN dismissed_at TEXT"]


class WhenUpgradingFrom(str):
    """A statement run only when the library being upgraded was at one of `versions` before
    this upgrade began (skipped for a new file, and for libraries at other versions)."""

    versions: range

    def __new__(cls, versions: range, sql: str) -> WhenUpgradingFrom:
        statement = super().__new__(cls, sql)
        statement.versions = versions
        return statement


#: Schema versions written by builds whose saved searches without statuses followed every
#: status: saved searches came with 7, and schema 10 came with the rule that such a search
#: follows open studies only (tracker.domain.searches).
BEFORE_OPEN_SCOPE = range(7, 10)
OPEN_SCOPE_SEARCHES_KEY = "searches_before_open_scope"

# The searches a library from before that rule holds without statuses were narrowed by the
# upgrade: their ids are kept in meta (a JSON list) so the CLI and the window can say so once
# (tracker.store.discovery). Searches created after the upgrade are never listed.
_V_OPEN_SCOPE_NOTICE = [
    WhenUpgradingFrom(BEFORE_OPEN_SCOPE, f"""INSERT OR REPLACE INTO meta (key, value)
        SELECT '{OPEN_SCOPE_SEARCHES_KEY}', json_group_array(id) FROM (SELECT id
        FROM saved_searches WHERE coalesce(json_array_length(criteria, '$.statuses'), 0) = 0
        ORDER BY position, id)"""),
]
