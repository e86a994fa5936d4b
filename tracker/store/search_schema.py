"""The search index's schema (migration 2): FTS5 over the fields users search, kept current by
triggers so no code path can forget to reindex (notes and tags live in other tables)."""

from __future__ import annotations

# Its rowid is the trial's `num`, so one trial's row is found by key, not by a scan.
_SEARCH_SOURCE = """
    SELECT t.num AS rowid,
           t.brief_title || ' ' || coalesce(t.official_title, '') || ' ' || t.summary AS title,
           coalesce(t.acronym, '') AS acronym,
           t.drugs || ' ' || t.interventions AS drugs,
           {diseases} AS diseases,
           t.conditions AS conditions,
           coalesce((SELECT group_concat(n.body, ' ') FROM notes n WHERE n.trial_id = t.id), '')
               || ' ' || coalesce((SELECT group_concat(g.name, ' ') FROM tags g
                                   WHERE g.trial_id = t.id), '') AS notes
    FROM trials t
"""
_SEARCHED_TRIAL_COLUMNS = (
    "id, brief_title, official_title, summary, acronym, drugs, interventions, diseases, conditions"
)
_COLUMNS = "rowid, title, acronym, drugs, diseases, conditions, notes"


def _num_of(trial_id: str) -> str:
    return f"(SELECT num FROM trials WHERE id = {trial_id})"


def _reindex_trigger(name: str, event: str, table: str, old_key: str | None,
                     new_key: str | None) -> str:
    """A trigger that rebuilds the index row of the trial whose `num` the keys give."""
    body = []
    if old_key:
        body.append(f"DELETE FROM trial_search WHERE rowid = {old_key};")
    if new_key:
        body.append(f"DELETE FROM trial_search WHERE rowid = {new_key};")
        body.append(f"INSERT INTO trial_search ({_COLUMNS}) "
                    f"SELECT * FROM trial_search_source WHERE rowid = {new_key};")
    return f"CREATE TRIGGER {name} AFTER {event} ON {table} BEGIN {' '.join(body)} END"


V2_SEARCH = [
    """CREATE VIRTUAL TABLE trial_search USING fts5(
        title, acronym, drugs, diseases, conditions, notes,
        tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3'
    )""",
    f"CREATE VIEW trial_search_source AS {_SEARCH_SOURCE.format(diseases='t.diseases')}",
    _reindex_trigger("trials_ai", "INSERT", "trials", None, "NEW.num"),
    # only the searched columns: a sync that stamps last_synced_at must not rebuild the index
    _reindex_trigger("trials_au", f"UPDATE OF {_SEARCHED_TRIAL_COLUMNS}", "trials", "OLD.num",
                     "NEW.num"),
    _reindex_trigger("trials_ad", "DELETE", "trials", "OLD.num", None),
    _reindex_trigger("notes_ai", "INSERT", "notes", None, _num_of("NEW.trial_id")),
    _reindex_trigger("notes_au", "UPDATE", "notes", _num_of("OLD.trial_id"),
                     _num_of("NEW.trial_id")),
    _reindex_trigger("notes_ad", "DELETE", "notes", None, _num_of("OLD.trial_id")),
    _reindex_trigger("tags_ai", "INSERT", "tags", None, _num_of("NEW.trial_id")),
    _reindex_trigger("tags_ad", "DELETE", "tags", None, _num_of("OLD.trial_id")),
    f"INSERT INTO trial_search ({_COLUMNS}) SELECT * FROM trial_search_source",
]

# Migration 19: a trial's index row holds its diseases' codes and the names the tree shows for
# them and their groups (`domain.diseases.search_words`), so "myeloma" finds a trial the
# reviews file as "MM". The words live in a table the app fills from the vocabulary
# (`store_disease_words`) because a trigger must not call Python: the file stays usable in
# any SQLite. Until it is filled (the first start after the upgrade) the index is as before.
_WORDS_OF_DISEASES = """t.diseases || ' ' || coalesce((
    SELECT group_concat(w.words, ' ') FROM json_each(t.diseases) j
    JOIN disease_words w ON w.code = j.value), '')"""
V19_DISEASE_WORDS = [
    "CREATE TABLE IF NOT EXISTS disease_words (code TEXT PRIMARY KEY, words TEXT NOT NULL)",
    "DROP VIEW IF EXISTS trial_search_source",
    f"CREATE VIEW trial_search_source AS {_SEARCH_SOURCE.format(diseases=_WORDS_OF_DISEASES)}",
]


def store_disease_words(conn, words: dict[str, str]) -> int:
    """Replace the search words of the disease codes ({code: words}) and rebuild the index
    rows of the trials filed under any disease; returns how many rows were rebuilt."""
    conn.execute("DELETE FROM disease_words")
    conn.executemany("INSERT INTO disease_words (code, words) VALUES (?, ?)", words.items())
    filed = "SELECT num FROM trials WHERE diseases != '[]'"
    conn.execute(f"DELETE FROM trial_search WHERE rowid IN ({filed})")
    return conn.execute(f"INSERT INTO trial_search ({_COLUMNS}) SELECT * FROM "
                        f"trial_search_source WHERE rowid IN ({filed})").rowcount
