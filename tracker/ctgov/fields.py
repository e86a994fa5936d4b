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


def fields_param(full: bool) -> str:
    return ",".join(FULL_FIELDS if full else COMPACT_FIELDS)
