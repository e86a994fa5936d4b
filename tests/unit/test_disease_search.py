"""Free-text search knows the disease vocabulary's names: the reviews file trials under codes
("MM", "AML"), and a clinician types "myeloma", "acute myeloid" or "leukaemia"."""

from __future__ import annotations

import sqlite3

import pytest

from tracker.domain import Trial
from tracker.domain.diseases import search_words
from tracker.services.library import DISEASE_VOCABULARY_KEY, open_library
from tracker.store import LIBRARY_FILE_NAME, TrialQuery


def _found(library, **query) -> set[str]:
    return {row.id for row in library.trials.list_rows(TrialQuery(**query))}


@pytest.mark.parametrize("text,disease", [
    ("acute myeloid", "AML"), ("acute myeloid leukaemia", "AML"), ("myeloma", "MM"),
    ("acute lymphoblastic", "ALL"), ("leukaemia", "Leukemia"), ("leukemia", "Leukemia"),
    ("chronic lymphocytic", "CLL/SLL"), ("large B-cell", "LBCL"), ("lymphoma", "Lymphoma"),
])
def test_a_disease_name_finds_every_trial_filed_under_it(seeded_library, text, disease):
    filed = _found(seeded_library, disease=disease)
    assert len(filed) >= 9  # the curated library files many trials under each
    assert filed <= _found(seeded_library, search=text)


def test_car_t_myeloma_finds_the_bcma_car_t_trials_filed_mm(seeded_library):
    bcma = {"NCT03943472", "NCT04155749", "NCT04272151", "NCT05577000"}  # "RRMM" in no title
    found = _found(seeded_library, search="CAR-T myeloma")
    assert bcma <= found
    assert _found(seeded_library, modality="car-t", disease="MM") <= found


def _local(trial_id: str, title: str, *diseases: str) -> Trial:
    return Trial(id=trial_id, brief_title=title, modality="other", diseases=diseases,
                 id_provenance="curator")


def test_names_find_neither_a_neighbour_nor_what_a_group_is_not(seeded_library):
    """A B-ALL trial is not found by "lymphoma" (ALL's name joins lymphoblastic lymphoma),
    nor a DLBCL trial by "Hodgkin" (its group is non-Hodgkin lymphoma); trials added after
    the library opened get the words too (the index trigger reads them)."""
    seeded_library.trials.insert([
        _local("LOCAL-TEST-BALL", "Blinatumomab consolidation", "B-ALL"),
        _local("LOCAL-TEST-DLBCL", "Glofitamab salvage", "DLBCL"),
    ])
    assert "LOCAL-TEST-BALL" in _found(seeded_library, search="acute lymphoblastic leukaemia")
    assert "LOCAL-TEST-BALL" not in _found(seeded_library, search="lymphoma")
    assert "LOCAL-TEST-DLBCL" in _found(seeded_library, search="diffuse large lymphoma")
    assert "LOCAL-TEST-DLBCL" in _found(seeded_library, search="NHL")
    assert "LOCAL-TEST-DLBCL" not in _found(seeded_library, search="hodgkin")
    assert "hodgkin" not in search_words("DLBCL").lower()
    assert "lymphoma" not in search_words("ALL").lower()
    assert search_words("not a code") == ""


def test_a_library_of_the_previous_vocabulary_learns_the_names_on_opening(tmp_path):
    open_library(tmp_path).close()
    conn = sqlite3.connect(tmp_path / LIBRARY_FILE_NAME, isolation_level=None)
    conn.execute("DELETE FROM disease_words")  # as schema 19 leaves a library of vocabulary 1
    conn.execute("DELETE FROM trial_search")
    conn.execute("INSERT INTO trial_search (rowid, title, acronym, drugs, diseases, conditions, "
                 "notes) SELECT * FROM trial_search_source")
    conn.execute("UPDATE meta SET value = '1' WHERE key = ?", (DISEASE_VOCABULARY_KEY,))
    conn.close()
    before = open_library(tmp_path, read_only=True)  # read-only: opened as it is
    try:
        assert _found(before, search="leukaemia") < _found(before, disease="Leukemia")
    finally:
        before.close()
    library = open_library(tmp_path)
    try:
        assert _found(library, disease="Leukemia") == _found(library, search="leukaemia")
        assert library.meta.get(DISEASE_VOCABULARY_KEY) == "2"
    finally:
        library.close()
