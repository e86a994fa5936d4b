"""The discovery migration on existing data, the shipped searches, and the modality table."""

from __future__ import annotations

import sqlite3

import pytest

from tracker.domain import Modality
from tracker.domain.default_searches import DEFAULT_SEARCHES
from tracker.domain.modality import guess_modality, propose_modality
from tracker.services.library import open_library
from tracker.store import LATEST_VERSION, Library
from tracker.store.discovery import SavedSearchRepository
from tracker.store.migrations import _V_SAVED_SEARCHES, MIGRATIONS, migrate


def test_discovery_migration_on_an_existing_library_keeps_data_and_adds_defaults(tmp_path):
    path = tmp_path / "lib.sqlite3"
    before = MIGRATIONS.index(_V_SAVED_SEARCHES)  # the version just before this migration
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=before)
    conn.execute("INSERT INTO trials (id, id_provenance, modality, added_at, brief_title) "
                 "VALUES ('NCT02993523', 'curator', 'bcl2', '2025-01-01', 'Venetoclax in AML')")
    conn.close()
    library = Library(path)
    try:
        assert library.database.conn.execute("PRAGMA user_version").fetchone()[0] == \
            LATEST_VERSION
        assert library.trials.get("NCT02993523").brief_title == "Venetoclax in AML"
        searches = SavedSearchRepository(library.database).all()
        assert [s.default_key for s in searches] == [d["key"] for d in DEFAULT_SEARCHES]
        assert all(s.last_checked_on is None and not s.paused for s in searches)
    finally:
        library.close()


def test_shipped_searches_cover_the_reviews_fields_and_a_deleted_one_stays_deleted(tmp_path):
    library = open_library(tmp_path)
    repo = SavedSearchRepository(library.database)
    names = [s.name for s in repo.all()]
    for expected in ("BCL-2 inhibitors: CLL/SLL", "BCL-2 inhibitors: AML",
                     "BCL-2 inhibitors: myeloma", "BCL-2 inhibitors: lymphoma", "CAR-T: CD19",
                     "CAR-T: BCMA", "CAR-T: GPRC5D", "CAR-T: CD22", "CAR-T: CD7",
                     "Bispecifics: CD20×CD3", "Bispecifics: BCMA×CD3",
                     "Bispecifics: GPRC5D×CD3", "Bispecifics: CD19×CD3"):
        assert expected in names
    assert "sonrotoclax" in repo.get("BCL-2 inhibitors: lymphoma").criteria.intervention
    repo.remove("CAR-T: CD7")
    library.close()
    library = open_library(tmp_path)
    assert "CAR-T: CD7" not in [s.name for s in SavedSearchRepository(library.database).all()]
    library.close()


@pytest.mark.parametrize(("interventions", "title", "modality", "evidence"), [
    (("Venetoclax", "Azacitidine"), "", Modality.BCL2, "Venetoclax in interventions"),
    (("BGB-11417",), "", Modality.BCL2, "BGB-11417 in interventions"),
    (("Drug: APG-2575",), "", Modality.BCL2, "APG-2575 in interventions"),
    (("cilta-cel",), "", Modality.CAR_T, "cilta-cel in interventions"),
    (("Obecabtagene autoleucel",), "", Modality.CAR_T,
     "Obecabtagene autoleucel in interventions"),
    (("Anti-CD7 cells",), "CAR-T Cells in T-ALL", Modality.CAR_T, "CAR-T in title"),
    (("Biological: CD19 CAR",), "", Modality.CAR_T, "CAR in interventions"),
    (("Cells",), "Chimeric Antigen Receptor T cells for ALL", Modality.CAR_T,
     "chimeric antigen receptor in title"),
    (("Talquetamab", "Teclistamab"), "", Modality.BISPECIFIC,
     "Talquetamab in interventions"),
    (("Etentamig",), "", Modality.BISPECIFIC, "Etentamig in interventions"),
    (("ABC-123",), "A BCMAxCD3 antibody in myeloma", Modality.BISPECIFIC, "×CD3 in title"),
    (("ABC-123",), "A Bispecific Antibody in DLBCL", Modality.BISPECIFIC, "bispecific in title"),
    (("Ibrutinib",), "Ibrutinib in careful MCL care", Modality.OTHER, ""),
])
def test_modality_proposal_names_its_evidence(interventions, title, modality, evidence):
    proposal = propose_modality(interventions, title)
    assert (proposal.modality, proposal.evidence) == (modality, evidence)
    assert guess_modality(interventions, title) is modality


def test_modality_proposal_prefers_bcl2_in_a_combination():
    proposal = propose_modality(("Axicabtagene ciloleucel", "Venetoclax"), "")
    assert proposal == propose_modality(("Venetoclax",), "")
