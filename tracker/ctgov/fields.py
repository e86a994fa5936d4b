"""The `fields` each kind of request asks for, as dotted paths of the API v2 study shape.

Asking only for what a phase maps keeps answers small: a compact study is ~0.4 KB where the
whole record is 10-50 KB.
"""

from __future__ import annotations

_ID = "protocolSection.identificationModule"
_STATUS = "protocolSection.statusModule"
_DESIGN = "protocolSection.designModule"

#: Phase 1 of a sync: enough to see whether a trial changed and to update its status.
COMPACT_FIELDS: tuple[str, ...] = (
    f"{_ID}.nctId",
    f"{_ID}.nctIdAliases",
    f"{_STATUS}.overallStatus",
    f"{_STATUS}.whyStopped",
    f"{_STATUS}.startDateStruct",
    f"{_STATUS}.primaryCompletionDateStruct",
    f"{_STATUS}.completionDateStruct",
    f"{_STATUS}.lastUpdatePostDateStruct",
    f"{_DESIGN}.enrollmentInfo",
    "hasResults",
)

#: Everything `RegistryRecord` maps (phase 2 of a sync, adding a trial, registry search).
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
