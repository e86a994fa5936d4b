"""The parts of the API v2 study shape we read (openapi-v2.0.5.yaml), as typed dicts.

Every module and key is optional because `fields` trims the answer and real records omit
modules; keys we do not declare are ignored. Types are checked, so a study whose
`enrollmentInfo.count` is `"lots"` fails validation and is reported on its own.

TypedDicts rather than models: pydantic validates them into plain dicts, which is 2-3x faster
on a 1,000-study page and leaves far less for the garbage collector (see parsing.py).
Key names are the API's own, so validation errors name the API path.
"""

from __future__ import annotations

from typing import Any, NotRequired

from pydantic import TypeAdapter
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

from tracker.domain import DateKind, Phase, RegistryStatus


class DateStruct(TypedDict):
    date: str
    type: NotRequired[DateKind]


class IdentificationModule(TypedDict, total=False):
    nctId: str
    nctIdAliases: tuple[str, ...]
    acronym: str
    briefTitle: str
    officialTitle: str


class StatusModule(TypedDict, total=False):
    overallStatus: RegistryStatus
    whyStopped: str
    startDateStruct: DateStruct
    primaryCompletionDateStruct: DateStruct
    completionDateStruct: DateStruct
    lastUpdatePostDateStruct: DateStruct
    lastKnownStatus: RegistryStatus
    statusVerifiedDate: str


class Sponsor(TypedDict, total=False):
    name: str


class SponsorCollaboratorsModule(TypedDict, total=False):
    leadSponsor: Sponsor


class DescriptionModule(TypedDict, total=False):
    briefSummary: str


class ConditionsModule(TypedDict, total=False):
    conditions: tuple[str, ...]


class EnrollmentInfo(TypedDict, total=False):
    count: int
    type: str


class DesignModule(TypedDict, total=False):
    phases: tuple[Phase, ...]
    enrollmentInfo: EnrollmentInfo


class Intervention(TypedDict, total=False):
    name: str


class ArmsInterventionsModule(TypedDict, total=False):
    interventions: list[Intervention]


class ProtocolSection(TypedDict, total=False):
    identificationModule: IdentificationModule
    statusModule: StatusModule
    sponsorCollaboratorsModule: SponsorCollaboratorsModule
    descriptionModule: DescriptionModule
    conditionsModule: ConditionsModule
    designModule: DesignModule
    armsInterventionsModule: ArmsInterventionsModule


class Study(TypedDict, total=False):
    protocolSection: ProtocolSection
    hasResults: bool


class Page(TypedDict):
    studies: list[Study]
    nextPageToken: NotRequired[str]
    totalCount: NotRequired[int]


class LoosePage(TypedDict):
    """The envelope alone, each study left unchecked (the slow path after a failure)."""

    studies: list[Any]
    nextPageToken: NotRequired[str]
    totalCount: NotRequired[int]


PAGE = TypeAdapter(Page)
LOOSE_PAGE = TypeAdapter(LoosePage)
STUDY = TypeAdapter(Study)
