"""The `fields` each kind of request asks for, as dotted paths of the API v2 study shape.

Asking only for what a phase maps keeps answers small: a compact study is ~0.4 KB where the
whole record is 10-50 KB.
"""

from __future__ import annotations

_ID = "protocolSection.identificationModule"
_STATUS = "protocolSection.statusModule"
_DESIGN = "protocolSection.designModule"

#: The compact check of trials already synced: enough to see whether a trial changed.
COMPACT_FIELDS: tuple[str, ...] = (
    f"{_ID}.nctId",
    f"{_ID}.nctIdAliases",
    f"{_STATUS}.overallStatus",
    f"{_STATUS}.whyStopped",
    f"{_STATUS}.startDateStruct",
    f"{_STATUS}.primaryCompletionDateStruct",
    f"{_STATUS}.completionDateStruct",
    f"{_STATUS}.lastUpdatePostDateStruct",
    f"{_STATUS}.lastKnownStatus",
    f"{_STATUS}.statusVerifiedDate",
    f"{_DESIGN}.enrollmentInfo",
    "hasResults",
)

#: Everything `RegistryRecord` maps (full records in a sync, adding a trial, registry search).
FULL_FIELDS: tuple[str, ...] = (
    *COMPACT_FIELDS,
    f"{_ID}.acronym",
    f"{_ID}.briefTitle",
    f"{_ID}.officialTitle",
    "protocolSection.descriptionModule.briefSummary",
    "protocolSection.conditionsModule.conditions",
    f"{_DESIGN}.phases",
    "protocolSection.armsInterventionsModule.interventions.name",
    "protocolSection.sponsorCollaboratorsModule.leadSponsor.name",
)


#: The most characters kept of each stored text field of a `RegistryRecord` (about twice what
#: ClinicalTrials.gov's data-entry limits allow: brief title 300, official title 600, brief
#: summary 5,000, why stopped 250), and of each item of its list fields. A registry answer
#: past these is cut, and the cut is reported; a 1 MB title never reaches the library.
TEXT_LIMITS: dict[str, int] = {
    "acronym": 100,
    "brief_title": 1_000,
    "official_title": 2_000,
    "brief_summary": 10_000,
    "why_stopped": 1_000,
    "sponsor": 500,
    "enrollment_kind": 40,
    "last_update_posted": 40,
    "conditions": 500,
    "interventions": 500,
}
#: The most items kept of each list field.
LIST_LIMITS: dict[str, int] = {"aliases": 50, "conditions": 200, "interventions": 200}
#: Sites a record's locations give the library (its sites table, the change log): the largest
#: real trials list one or two thousand; one record listing 50,000 logged 100,007 changes and
#: grew a library from 0.5 to 22 MB. The stored version keeps the record as received.
SITE_LIMIT = 5_000


#: Phase 2 of a sync and single-study lookups: the whole record as the registry keeps it, so it
#: can be stored as a version; `derivedSection` (NLM's MeSH indexing, which is recomputed
#: without the sponsor changing anything) is left out. Measured on the real sample page:
#: 3.4-17.9 KB per study (median 8.6 KB) without results.
RECORD_FIELDS: tuple[str, ...] = ("protocolSection", "documentSection", "hasResults")
#: The same with posted results (the sample's two results sections: 15.7 and 32.5 KB; large
#: trials reach ~200 KB): asked only for studies with `hasResults`.
RESULTS_FIELDS: tuple[str, ...] = (*RECORD_FIELDS, "resultsSection")
#: Studies with results per request: results pages are large, so their chunks are small.
RESULTS_IDS_PER_REQUEST = 20


def fields_param(full: bool, results: bool = False) -> str:
    """Compact fields, or the whole record (with results when `results`)."""
    if not full:
        return ",".join(COMPACT_FIELDS)
    return ",".join(RESULTS_FIELDS if results else RECORD_FIELDS)


def search_fields_param() -> str:
    """A registry search lists many studies: only the fields `RegistryRecord` maps."""
    return ",".join(FULL_FIELDS)
