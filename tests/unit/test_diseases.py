"""The disease vocabulary: synonyms, hierarchy, roll-up, and its use at load, sync and filter."""

from __future__ import annotations

import json

import pytest

from tracker.bundled import curated_dir
from tracker.ctgov.apply import apply_record, trial_from_record
from tracker.ctgov.records import RegistryRecord
from tracker.curated import load_curated_files, merge_curated
from tracker.domain import Trial
from tracker.domain.diseases import (
    BY_CODE,
    ancestors,
    code_for,
    normalize,
    rolled_up_counts,
    subtree,
)
from tracker.services.library import open_library
from tracker.store import LIBRARY_FILE_NAME, Library, TrialQuery


@pytest.mark.parametrize("term,code", [
    ("ALL", "ALL"), ("B-ALL", "B-ALL"), ("SLL", "CLL/SLL"), ("CLL", "CLL/SLL"),
    ("LBCL", "LBCL"), ("DLBCL", "DLBCL"), ("NHL", "NHL"), ("B-NHL", "B-NHL"),
    ("hematologic malignancies", "Heme malignancies"), ("Hodgkin lymphoma", "HL"),
    ("Leukemia, Myeloid, Acute", "AML"), ("Lymphoma, Large B-Cell, Diffuse", "DLBCL"),
    ("Relapsed/Refractory Non-Hodgkin Lymphoma", "NHL"), ("Multiple Myeloma", "MM"),
    ("Precursor T-Cell Lymphoblastic Leukemia-Lymphoma", "T-ALL"), ("Healthy", None),
    ("Waldenstrom Macroglobulinemia", "WM"), ("Follicular Lymphoma, Grade 3a", "FL"),
])
def test_synonyms_and_registry_conditions_map_to_one_code(term, code):
    assert code_for(term) == code


def test_hierarchy_groups_subtypes_under_their_disease():
    assert ancestors("ETP-ALL") == ("T-ALL", "ALL", "Leukemia")
    assert ancestors("DLBCL") == ("LBCL", "B-NHL", "NHL", "Lymphoma")
    assert {"B-ALL", "T-ALL", "ETP-ALL", "LBL"} < set(subtree("ALL"))
    assert all(d.parent is None or d.parent in BY_CODE for d in BY_CODE.values())


def test_counts_roll_up_and_count_a_trial_once_per_group():
    counts = rolled_up_counts([["AML", "B-ALL"], ["DLBCL"], ["LBCL", "FL"], ["MM"]])
    assert counts["Leukemia"] == 1  # one trial, two leukemias
    assert counts["LBCL"] == 2 and counts["DLBCL"] == 1
    assert counts["Lymphoma"] == 2 and counts["MM"] == 1 and counts["Plasma cell"] == 1


def test_every_curated_disease_is_in_the_vocabulary():
    trials = merge_curated(load_curated_files(curated_dir()))
    used = {code for trial in trials for code in trial.diseases}
    assert used <= set(BY_CODE), used - set(BY_CODE)
    assert "hematologic malignancies" not in used and "ALL" in used and "SLL" not in used


def test_registry_conditions_become_diseases_of_a_registry_trial():
    record = RegistryRecord(nct_id="NCT01234567", brief_title="A study",
                            conditions=("Lymphoma, Large B-Cell, Diffuse", "Relapse", "DLBCL"))
    trial = trial_from_record(record)
    assert trial.diseases == ("DLBCL",)
    newer = record.model_copy(update={"conditions": ("Follicular Lymphoma",)})
    assert apply_record(trial, newer, full=True).diseases == ("FL",)
    curated = Trial(id="NCT01234567", id_provenance="seed", modality="other", diseases=("MM",))
    assert apply_record(curated, newer, full=True).diseases == ("MM",)  # curated facts stay


def test_existing_library_rows_are_mapped_when_opened(tmp_path):
    library = Library(tmp_path / LIBRARY_FILE_NAME)
    library.meta.set("curated", "off")
    library.trials.insert([
        Trial(id="NCT00000001", id_provenance="seed", modality="bcl2",
              diseases=("ALL", "LBL", "hematologic malignancies")),
        Trial(id="NCT00000002", id_provenance="seed", modality="bcl2", diseases=("CLL", "SLL")),
        Trial(id="NCT00000003", modality="other", conditions=("Multiple Myeloma", "Healthy")),
    ])
    library.close()
    library = open_library(tmp_path)
    try:
        rows = dict(library.database.execute("SELECT id, diseases FROM trials").fetchall())
        assert json.loads(rows["NCT00000001"]) == ["ALL", "LBL", "Heme malignancies"]
        assert json.loads(rows["NCT00000002"]) == ["CLL/SLL"]
        assert json.loads(rows["NCT00000003"]) == ["MM"]
        ids = [t.id for t in library.trials.list(TrialQuery(disease="Leukemia"))]
        assert ids == ["NCT00000001", "NCT00000002"]
    finally:
        library.close()


def test_a_group_filter_finds_every_member(seeded_library):
    lymphoma = {t.id for t in seeded_library.trials.list(TrialQuery(disease="Lymphoma"))}
    dlbcl = {t.id for t in seeded_library.trials.list(TrialQuery(disease="DLBCL"))}
    lbcl = {t.id for t in seeded_library.trials.list(TrialQuery(disease="LBCL"))}
    assert dlbcl and dlbcl < lbcl <= lymphoma
    counts = rolled_up_counts(seeded_library.trials.disease_lists())
    assert counts["Lymphoma"] == len(lymphoma) and counts["LBCL"] == len(lbcl)


def test_normalize_keeps_unknown_curated_terms_only_when_asked():
    assert normalize(["Healthy", "AML"]) == ("AML",)
    assert normalize(["Castleman disease"], keep_unknown=True) == ("Castleman disease",)


def test_counts_from_grouped_rows_weigh_each_combination():
    counts = rolled_up_counts([(["DLBCL"], 3), (["AML", "B-ALL"], 2), (("AML", "MM"), 1)])
    assert counts["Lymphoma"] == 3 and counts["Leukemia"] == 3 and counts["AML"] == 3
    assert counts["MM"] == 1


def test_unspecified_counts_trials_filed_at_a_group_only():
    from tracker.domain.diseases import unspecified_counts

    counts = unspecified_counts([(["ALL"], 3), (["ALL", "B-ALL"], 2), (["T-ALL"], 1),
                                 (["ETP-ALL"], 1), (["MM"], 4)])
    assert counts == {"ALL": 3, "T-ALL": 1}  # T-ALL has a member too (ETP-ALL); MM has none
