"""A library synced before registry text was cleaned at mapping time is cleaned once when it
is opened (the last migration): trial fields, inbox records, site rows and change-log values;
the search index follows; the stored registry versions stay exactly as received."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.fakes.hostile_text import CLEAN_TITLE, HOSTILE_ID, HOSTILE_TITLE, hostile_study
from tracker.store import LATEST_VERSION, LIBRARY_FILE_NAME, Library, TrialQuery
from tracker.store.migrations import _V_CLEAN_REGISTRY_TEXT, MIGRATIONS

CLEAN_VERSION = MIGRATIONS.index(_V_CLEAN_REGISTRY_TEXT) + 1


@pytest.fixture
def old_library(tmp_path):
    """A library as the previous schema left it, holding the text a sync stored unfiltered."""
    path = tmp_path / LIBRARY_FILE_NAME
    library = Library(path)
    conn = library.database.conn
    conn.execute(
        "INSERT INTO trials (id, id_provenance, modality, added_at, acronym, brief_title, "
        "official_title, brief_summary, sponsor, why_stopped, conditions, interventions, "
        "registry_state) VALUES (?, 'registry', 'car-t', '2026-11-22', ?, ?, ?, ?, ?, ?, ?, ?, "
        "'found')",
        (HOSTILE_ID, "\u200f", HOSTILE_TITLE, "Ide\u200bcel  in\tRRMM", "One\x1b[1m\r\nTwo",
         "\u200b", "\u202eFunding", json.dumps(["\u200b", "Myeloma\u200f"]),
         json.dumps(["BCMA CAR-T", "Ide\u200bcel"])))
    # a curated trial's text is clean already and must come out untouched
    conn.execute("INSERT INTO trials (id, id_provenance, modality, added_at, acronym, "
                 "brief_title, conditions) VALUES ('NCT02993523', 'curator', 'bcl2', "
                 "'2025-01-01', 'VIALE-A', 'Venetoclax + azacitidine, ≥ 75 y, κ/λ', "
                 "'[\"Acute Myeloid Leukemia\"]')")
    record = {"nct_id": "NCT06900009", "acronym": "\u200f", "brief_title": "\u202eT\x1b[31mX",
              "sponsor": "\u200b", "conditions": ["\u200b", "AML"], "phases": []}
    sites = {"count": 1, "recruiting": 1, "countries": ["\u200bGermany"],
             "nearest_facility": "\u202eCharité", "nearest_city": "Berlin", "nearest_km": 2.0}
    conn.execute("INSERT INTO inbox (nct_id, record, proposed_modality, found_at, sites) "
                 "VALUES ('NCT06900009', ?, 'car-t', '2026-11-22', ?)",
                 (json.dumps(record), json.dumps(sites)))
    conn.execute("INSERT INTO trial_sites (trial_id, position, facility, city, country) "
                 "VALUES (?, 0, '\u202eCharité\x1b[5m', 'Berlin', 'Germany')", (HOSTILE_ID,))
    conn.execute("INSERT INTO field_changes (trial_id, field, old, new, significance, seen_at) "
                 "VALUES (?, 'lead_sponsor', 'Uni', '\u200b', 'minor', '2026-11-22')",
                 (HOSTILE_ID,))
    library.versions.add(HOSTILE_ID, hostile_study(), "2026-11-22",
                         dt.datetime(2026, 11, 22, tzinfo=dt.UTC), first=True)
    conn.execute(f"PRAGMA user_version = {CLEAN_VERSION - 1}")
    library.close()
    return path


def test_opening_cleans_the_stored_registry_text_once(old_library):
    library = Library(old_library)
    try:
        conn = library.database.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == LATEST_VERSION
        assert library.database.backup_path is not None  # written before the cleaning
        trial = library.trials.get(HOSTILE_ID)
        assert trial.acronym is None and trial.sponsor is None
        assert trial.display_title == CLEAN_TITLE and trial.sponsor_shown == "not stated"
        assert trial.official_title == "Idecel in RRMM"
        assert trial.brief_summary == "One\nTwo" and trial.why_stopped == "Funding"
        assert trial.conditions == ("Myeloma",) and trial.interventions[1] == "Idecel"
        curated = library.trials.get("NCT02993523")
        assert curated.brief_title == "Venetoclax + azacitidine, ≥ 75 y, κ/λ"
        # the search index was rebuilt from the cleaned row: the split word is found
        found = library.trials.list(TrialQuery(search="idecel"))
        assert [t.id for t in found] == [HOSTILE_ID]
        record, sites = conn.execute("SELECT record, sites FROM inbox").fetchone()
        record, sites = json.loads(record), json.loads(sites)
        assert (record["acronym"], record["brief_title"], record["sponsor"]) == (None, "TX", None)
        assert record["conditions"] == ["AML"]
        assert sites["nearest_facility"] == "Charité" and sites["countries"] == ["Germany"]
        assert conn.execute("SELECT facility FROM trial_sites").fetchone()[0] == "Charité"
        assert conn.execute("SELECT old, new FROM field_changes").fetchone() == ("Uni", None)
        # the evidence: the version is the record as the registry sent it
        ident = library.versions.latest(HOSTILE_ID)["protocolSection"]["identificationModule"]
        assert ident["briefTitle"] == HOSTILE_TITLE and ident["acronym"] == "\u200f"
    finally:
        library.close()


def test_the_inbox_record_cleaned_by_the_migration_is_accepted_clean(old_library):
    from tracker.services.discovery import DiscoveryService

    library = Library(old_library)
    try:
        [item] = DiscoveryService(library).inbox.items()
        assert item.title == "TX" and item.acronym is None and item.sponsor is None
    finally:
        library.close()
