"""What the client hands back: a flat `RegistryRecord` per study, and pages of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tracker.ctgov import wire
from tracker.ctgov.errors import StudyFormatError
from tracker.ctgov.fields import LIST_LIMITS, SITE_LIMIT, TEXT_LIMITS
from tracker.domain import PartialDate, Phase, RegistryStatus, is_nct_id
from tracker.domain.dates import implausible_year
from tracker.domain.limits import enrollment_problem
from tracker.domain.registry_text import clean_block, clean_items, clean_line


class RegistryRecord(BaseModel):
    """The registry fields of one study, flattened. Fields a trimmed answer lacks are None/empty.

    Texts are clean (`tracker.domain.registry_text`): no control, escape or invisible
    characters; a field with nothing visible is None. `raw` keeps the study as received.

    `nct_id` is the canonical id; `aliases` are older ids that now point to it.
    """

    model_config = ConfigDict(frozen=True, defer_build=True)

    nct_id: str
    aliases: tuple[str, ...] = ()
    acronym: str | None = None
    brief_title: str | None = None
    official_title: str | None = None
    brief_summary: str | None = None  # markdown, as the API sends it by default
    conditions: tuple[str, ...] = ()
    interventions: tuple[str, ...] = ()
    phases: tuple[Phase, ...] = ()
    status: RegistryStatus | None = None
    last_known_status: RegistryStatus | None = None  # the status before it became UNKNOWN
    status_verified: str | None = None  # "2019-12": when the sponsor last confirmed it
    why_stopped: str | None = None
    start_date: PartialDate | None = None
    primary_completion_date: PartialDate | None = None
    completion_date: PartialDate | None = None
    enrollment: int | None = None
    enrollment_kind: str | None = None
    sponsor: str | None = None
    has_results: bool | None = None
    last_update_posted: str | None = None
    cut: tuple[str, ...] = ()  # fields cut to TEXT_LIMITS / LIST_LIMITS, described in words
    #: The whole study as the registry returned it (full lookups only): stored as a version.
    raw: dict[str, Any] | None = Field(default=None, exclude=True, repr=False)

    @field_validator("last_update_posted")
    @classmethod
    def _check_last_update(cls, value: str | None) -> str | None:
        """A real calendar date (it orders versions and decides what is newer)."""
        return _registry_date(value)  # raises for "2099-13-45" or "9999-12-31"

    @field_validator("status_verified")
    @classmethod
    def _check_verified(cls, value: str | None) -> str | None:
        return _registry_date(value)  # a real year-month

    @field_validator("nct_id")
    @classmethod
    def _check_nct_id(cls, value: str) -> str:
        if not is_nct_id(value):
            raise ValueError(f"nctId is not an NCT id: {value!r}")
        return value

    @property
    def all_ids(self) -> tuple[str, ...]:
        """The canonical id and its aliases: every id under which this record can be asked for."""
        return (self.nct_id, *self.aliases)


@dataclass(frozen=True)
class BatchResult:
    """One HTTP page of a batch lookup.

    `requested_ids` is the chunk the page belongs to. `final_page` is True on the last page of
    that chunk; only then `missing_ids` lists the requested ids that no record (by id or alias)
    and no failure answered for, i.e. ids the registry does not know. It stays empty if a
    failure in the chunk had no usable id, rather than risk calling a known trial unknown:
    requested ids then neither returned, failed nor missing have an unknown outcome.
    `strangers` (also on the final page) names the studies the chunk's pages held that answer
    none of its ids (by id, alias or failure): a registry that sent those may have sent them
    in place of a missing id, so a missing id is then not proof that the id is unknown.
    """

    request: str
    records: list[RegistryRecord]
    failures: list[StudyFormatError]
    requested_ids: tuple[str, ...]
    final_page: bool = True
    missing_ids: tuple[str, ...] = ()
    strangers: tuple[str, ...] = ()


@dataclass(frozen=True)
class SearchPage:
    """One page of registry search results; pass `next_page_token` back for the next page."""

    records: list[RegistryRecord]
    next_page_token: str | None
    total_count: int | None
    failures: list[StudyFormatError] = field(default_factory=list)


def _registry_date(value: str | None) -> str | None:
    """`value` if it is a real partial date in a plausible year, else ValueError."""
    if value is not None:
        PartialDate(value=value)
        problem = implausible_year(value)
        if problem:
            raise ValueError(problem)
    return value


def build_record_validators() -> None:
    """Build the validators a page's records go through now rather than on the first record:
    they are deferred (`defer_build`) so that importing stays quick, and building them takes
    ~2 ms that a sync spends while its first request is in flight instead of after the
    answer."""
    RegistryRecord.model_rebuild()
    PartialDate.model_rebuild()


_NONE: dict = {}
_STATUS_PATH = "protocolSection.statusModule"


class MappingError(ValueError):
    """A well-typed study whose values still make no sense (no nctId, a 13th month)."""


def record_from_study(study: wire.Study, raw: dict[str, Any] | None = None) -> RegistryRecord:
    """Flatten a validated wire study; raises MappingError for a bad id or date. `raw` is the
    same study as received, kept whole on the record for the version store."""
    protocol = study.get("protocolSection", _NONE)
    ident = protocol.get("identificationModule", _NONE)
    status = protocol.get("statusModule", _NONE)
    design = protocol.get("designModule", _NONE)
    enrollment = design.get("enrollmentInfo", _NONE)
    values = {
        "nct_id": _nct_id(ident),
        "aliases": ident.get("nctIdAliases", ()),
        "acronym": clean_line(ident.get("acronym")),
        "brief_title": clean_line(ident.get("briefTitle")),
        "official_title": clean_line(ident.get("officialTitle")),
        "brief_summary": clean_block(
            protocol.get("descriptionModule", _NONE).get("briefSummary")),
        "conditions": clean_items(protocol.get("conditionsModule", _NONE).get("conditions", ())),
        "interventions": _interventions(protocol),
        "phases": design.get("phases", ()),
        "status": status.get("overallStatus"),
        "last_known_status": status.get("lastKnownStatus"),
        "status_verified": status.get("statusVerifiedDate"),
        "why_stopped": clean_line(status.get("whyStopped")),
        "start_date": _partial_date(status, "startDateStruct"),
        "primary_completion_date": _partial_date(status, "primaryCompletionDateStruct"),
        "completion_date": _partial_date(status, "completionDateStruct"),
        "enrollment": enrollment.get("count"),
        "enrollment_kind": clean_line(enrollment.get("type")),
        "sponsor": _sponsor(protocol),
        "has_results": study.get("hasResults"),
        "last_update_posted": status.get("lastUpdatePostDateStruct", _NONE).get("date"),
    }
    cut = _bound(values)
    cut += _sites_cut(raw)
    problem = enrollment_problem(values["enrollment"])
    if problem:  # no trial enrols -5 or 2**63 patients
        cut += (f"enrollment: {problem}, left out",)
        values["enrollment"] = values["enrollment_kind"] = None
    return RegistryRecord(**values, cut=cut, raw=raw) if cut else RegistryRecord(**values,
                                                                                 raw=raw)


def _bound(values: dict[str, Any]) -> tuple[str, ...]:
    """Cut over-long texts and lists in place (TEXT_LIMITS, LIST_LIMITS); say what was cut."""
    cut: list[str] = []
    for name, limit in LIST_LIMITS.items():
        items = values[name]
        if len(items) > limit:
            values[name] = tuple(items[:limit])
            cut.append(f"{name}: {len(items):,} items, kept {limit:,}")
    for name, limit in TEXT_LIMITS.items():
        value = values[name]
        if isinstance(value, str):
            if len(value) > limit:
                values[name] = value[:limit - 1] + "…"
                cut.append(f"{name}: {len(value):,} characters, kept {limit:,}")
        elif value and any(len(item) > limit for item in value):
            values[name] = tuple(item if len(item) <= limit else item[:limit - 1] + "…"
                                 for item in value)
            cut.append(f"{name}: an item over {limit:,} characters, cut to {limit:,}")
    return tuple(cut)


def _sites_cut(raw: dict[str, Any] | None) -> tuple[str, ...]:
    """What a whole record's sites lose to SITE_LIMIT (record_details.locations), in words."""
    located = raw.get("protocolSection", _NONE).get("contactsLocationsModule", _NONE) \
        if isinstance(raw, dict) else _NONE
    listed = located.get("locations", ()) if isinstance(located, dict) else ()
    if isinstance(listed, list) and len(listed) > SITE_LIMIT:
        return (f"locations: {len(listed):,} sites, kept {SITE_LIMIT:,}",)
    return ()


def _nct_id(ident: wire.IdentificationModule) -> str:
    nct_id = ident.get("nctId")
    if not nct_id:
        raise MappingError("it has no nctId")
    if not is_nct_id(nct_id):
        raise MappingError(f"nctId is not an NCT id (got {nct_id!r})")
    return nct_id


def _partial_date(status: wire.StatusModule, key: str) -> PartialDate | None:
    struct = status.get(key)
    if struct is None:
        return None
    try:
        date = PartialDate(value=struct["date"], kind=struct.get("type"))
    except ValidationError as error:
        reason = error.errors()[0]["msg"].removeprefix("Value error, ")
        raise MappingError(
            f"{_STATUS_PATH}.{key}.date: {reason} (got {struct['date']!r})"
        ) from None
    problem = implausible_year(date.value)
    if problem:
        raise MappingError(f"{_STATUS_PATH}.{key}.date: {problem} (got {date.value!r})")
    return date


def _interventions(protocol: wire.ProtocolSection) -> tuple[str, ...]:
    items = protocol.get("armsInterventionsModule", _NONE).get("interventions", ())
    return clean_items(item["name"] for item in items if item.get("name"))


def _sponsor(protocol: wire.ProtocolSection) -> str | None:
    module = protocol.get("sponsorCollaboratorsModule", _NONE)
    return clean_line(module.get("leadSponsor", _NONE).get("name"))
