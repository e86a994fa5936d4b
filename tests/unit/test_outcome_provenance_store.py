"""Outcome quote, caveat and kind survive the store, and older libraries gain the columns."""

from __future__ import annotations

import sqlite3

from tracker.domain import OutcomeKind, Trial
from tracker.services.library import refresh_curated
from tracker.store import LATEST_VERSION, Library
from tracker.store.migrations import _V_OUTCOME_PROVENANCE, MIGRATIONS, migrate


def test_quote_caveat_and_kind_round_trip_through_the_store(empty_library):
    trial = Trial.model_validate({
        "id": "NCT02242942", "id_provenance": "curator", "brief_title": "CLL14",
        "outcomes": [{"metric": "PFS", "value": "76.2%", "quote": "6-year PFS rate: 76.2%",
                      "caveat": "The cited paper reports median PFS of 76.2 months.",
                      "kind": "result", "source": {"file": "a.txt", "locator": "4.2"}},
                     {"metric": "relapse", "value": "about 60%", "kind": "context",
                      "source": {"file": "a.txt", "locator": "3"}}]})
    empty_library.trials.insert([trial])
    stored = empty_library.trials.get("NCT02242942").outcomes
    assert stored[0].quote == "6-year PFS rate: 76.2%" and stored[0].caveat.startswith("The cited")
    assert [o.kind for o in stored] == [OutcomeKind.RESULT, OutcomeKind.CONTEXT]
    assert stored[1].quote is None and stored[1].is_context


def test_a_library_with_outcomes_from_before_the_columns_migrates_and_refreshes(tmp_path):
    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=MIGRATIONS.index(_V_OUTCOME_PROVENANCE))
    conn.execute("INSERT INTO trials (id, id_provenance, modality, added_at, brief_title) "
                 "VALUES ('NCT02993523', 'curator', 'bcl2', '2025-01-01', 'VIALE-A')")
    conn.execute("INSERT INTO outcomes (trial_id, position, metric, value, source_file, "
                 "source_locator) VALUES ('NCT02993523', 0, 'OS', '14.7 months', 'f.txt', 'p')")
    conn.close()

    library = Library(path)
    assert library.database.conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
    old = library.trials.get("NCT02993523").outcomes
    assert [(o.value, o.quote, o.kind) for o in old] == [("14.7 months", None, OutcomeKind.RESULT)]
    refresh_curated(library)  # the shipped release brings the quotes
    refreshed = library.trials.get("NCT02993523").outcomes
    assert refreshed and all(o.quote for o in refreshed)
    assert any("14.7 months" in o.quote for o in refreshed)
    library.close()
