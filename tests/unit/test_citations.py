"""Registry-record citations in AMA and NLM (Vancouver) style, and RIS records."""

from __future__ import annotations

import datetime as dt

from tracker.domain import Trial
from tracker.services.citations import ama_citation, nlm_citation, ris_record

ACCESSED = dt.date(2026, 11, 26)
TRIAL = Trial(id="NCT02993523", acronym="VIALE-A", sponsor="AbbVie",
              brief_title="Venetoclax + azacitidine in AML",
              official_title="A Study of Venetoclax in Combination With Azacitidine Versus "
                             "Azacitidine in Treatment Naive Subjects With AML",
              last_update_posted="2024-03-05", start_date={"value": "2017-02", "kind": "ACTUAL"})


def test_ama_citation_names_sponsor_title_identifier_dates_and_url():
    assert ama_citation(TRIAL, ACCESSED) == (
        "AbbVie. A Study of Venetoclax in Combination With Azacitidine Versus Azacitidine in "
        "Treatment Naive Subjects With AML (VIALE-A). ClinicalTrials.gov identifier: "
        "NCT02993523. Updated March 5, 2024. Accessed November 26, 2026. "
        "https://clinicaltrials.gov/study/NCT02993523")


def test_nlm_citation_follows_the_nlm_form_for_registry_records():
    text = nlm_citation(TRIAL, ACCESSED)
    assert text.startswith("AbbVie. A Study of Venetoclax")
    assert "In: ClinicalTrials.gov [Internet]. Bethesda (MD): National Library of Medicine (US)" in text
    # the record version cited (last update posted) and the access date, as NLM has them
    assert ("National Library of Medicine (US); 2000 Feb 29 - [updated 2024 Mar 5; cited "
            "2026 Nov 26]. Available from: https://clinicaltrials.gov/study/NCT02993523. "
            "ClinicalTrials.gov Identifier: NCT02993523.") in text  # a full stop after the URL


def test_nlm_citation_of_a_record_never_synced_has_only_the_access_date():
    unsynced = Trial(id="NCT05388006", brief_title="Acalabrutinib in Richter transformation")
    assert "(US); 2000 Feb 29 - [cited 2026 Nov 26]. Available from: " in nlm_citation(
        unsynced, ACCESSED)


def test_local_study_is_not_cited_as_a_registry_record():
    local = Trial(id="LOCAL-VENAZA-CHINA-RW", brief_title="Real-world VEN-AZA cohort")
    assert "Not registered on ClinicalTrials.gov" in ama_citation(local, ACCESSED)
    assert "UR  -" not in ris_record(local, ACCESSED)


def test_ris_record_uses_crlf_and_ends_with_er():
    record = ris_record(TRIAL, ACCESSED)
    lines = record.split("\r\n")
    assert lines[0] == "TY  - DBASE" and lines[-2] == "ER  - " and lines[-1] == ""
    assert "PY  - 2024" in lines and "DA  - 2024/03/05" in lines and "Y2  - 2026/11/26" in lines


def test_ris_year_is_one_the_record_has_never_the_export_year():
    unsynced = Trial(id="NCT05388006", brief_title="Acalabrutinib in Richter transformation",
                     start_date={"value": "2023-02", "kind": "ACTUAL"})
    lines = ris_record(unsynced, ACCESSED).split("\r\n")
    assert "PY  - 2023" in lines and not any(line.startswith("DA  -") for line in lines)
    local = Trial(id="LOCAL-VENAZA-CHINA-RW", brief_title="Real-world VEN-AZA cohort")
    lines = ris_record(local, ACCESSED).split("\r\n")
    assert not any(line.startswith(("PY  -", "DA  -")) for line in lines)
    assert "Y2  - 2026/11/26" in lines  # the access date stays, as the access date
