"""A whole API v2 study record (as stored in a version) -> the facts the change log compares.

The record is read defensively: it comes from the registry or from an old version in the
library, and a value of the wrong type is treated as absent rather than failing the sync.
"""

from __future__ import annotations

from typing import Any

from tracker.ctgov.fields import SITE_LIMIT
from tracker.domain.limits import enrollment_problem
from tracker.domain.record_facts import (
    AdverseEventFacts,
    DateFact,
    OutcomeFact,
    RecordFacts,
    ReferenceFact,
    SiteFact,
)
from tracker.domain.registry_text import visible_text

#: Fields a whole-record snapshot knows (every field of `RecordFacts`).
WHOLE_RECORD_FIELDS = frozenset({
    "overall_status", "why_stopped", "start_date", "primary_completion_date", "completion_date",
    "enrollment", "phases", "arms", "primary_outcomes", "secondary_outcomes",
    "eligibility_criteria", "sites", "lead_sponsor", "collaborators", "results_first_posted",
    "has_results", "references",
})


def section(mapping: Any, *path: str) -> dict[str, Any]:
    """The dict at `path`, or {} when any step is missing or not a dict."""
    for key in path:
        mapping = mapping.get(key) if isinstance(mapping, dict) else None
    return mapping if isinstance(mapping, dict) else {}


def items(mapping: Any, key: str) -> list[dict[str, Any]]:
    """The list of dicts under `key` (non-dicts dropped), or []."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


def text(mapping: Any, key: str) -> str | None:
    """The text under `key` without escape sequences or invisible characters (the stored
    record keeps them: it is the evidence); None when missing, not text, or blank."""
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return visible_text(value) if isinstance(value, str) else None


def strings(mapping: Any, key: str) -> tuple[str, ...]:
    value = mapping.get(key) if isinstance(mapping, dict) else None
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def facts_from_study(study: dict[str, Any]) -> RecordFacts:
    """The change-log facts of one whole study record."""
    protocol = section(study, "protocolSection")
    status = section(protocol, "statusModule")
    design = section(protocol, "designModule")
    outcomes = section(protocol, "outcomesModule")
    sponsors = section(protocol, "sponsorCollaboratorsModule")
    # these read with this module's helpers
    from tracker.ctgov.results import posted_result_facts
    from tracker.ctgov.results_modules import adverse_event_facts

    has_results = study.get("hasResults") if isinstance(study, dict) else None
    results, events = posted_result_facts(study), adverse_event_facts(study)
    return RecordFacts(
        known=WHOLE_RECORD_FIELDS | ({"posted_results"} if results is not None else set())
        | ({"adverse_events"} if events is not None else set()),
        posted_results=results or (),
        adverse_events=events or AdverseEventFacts(),
        overall_status=text(status, "overallStatus"),
        why_stopped=text(status, "whyStopped"),
        start_date=date_fact(status, "startDateStruct"),
        primary_completion_date=date_fact(status, "primaryCompletionDateStruct"),
        completion_date=date_fact(status, "completionDateStruct"),
        enrollment=_enrollment(design),
        phases=strings(design, "phases"),
        arms=tuple(label for group in items(section(protocol, "armsInterventionsModule"),
                                            "armGroups")
                   if (label := text(group, "label"))),
        primary_outcomes=_outcomes(outcomes, "primaryOutcomes"),
        secondary_outcomes=_outcomes(outcomes, "secondaryOutcomes"),
        eligibility_criteria=text(section(protocol, "eligibilityModule"), "eligibilityCriteria"),
        sites=tuple(site_fact(location) for location in locations(protocol)),
        lead_sponsor=text(section(sponsors, "leadSponsor"), "name"),
        collaborators=tuple(name for c in items(sponsors, "collaborators")
                            if (name := text(c, "name"))),
        results_first_posted=text(section(status, "resultsFirstPostDateStruct"), "date"),
        has_results=has_results if isinstance(has_results, bool) else None,
        references=tuple(reference_fact(ref) for ref in
                         items(section(protocol, "referencesModule"), "references")),
    )


def locations(protocol: dict[str, Any]) -> list[dict[str, Any]]:
    """The record's locations, the first SITE_LIMIT of them (the sync report says how many
    more the record listed)."""
    return items(section(protocol, "contactsLocationsModule"), "locations")[:SITE_LIMIT]


def date_fact(status: dict[str, Any], key: str) -> DateFact | None:
    value = text(section(status, key), "date")
    return DateFact(value, text(section(status, key), "type")) if value else None


def _enrollment(design: dict[str, Any]) -> tuple[int | None, str | None] | None:
    info = section(design, "enrollmentInfo")
    count = info.get("count")
    if not isinstance(count, int) or isinstance(count, bool) or enrollment_problem(count):
        return None  # not stored either (records.py): no change to log
    return count, text(info, "type")


def _outcomes(module: dict[str, Any], key: str) -> tuple[OutcomeFact, ...]:
    return tuple(OutcomeFact(" ".join(measure.split()), " ".join((text(o, "timeFrame") or "")
                                                                  .split()))
                 for o in items(module, key) if (measure := text(o, "measure")))


def site_fact(location: dict[str, Any]) -> SiteFact:
    return SiteFact(facility=text(location, "facility") or "", city=text(location, "city") or "",
                    country=text(location, "country") or "", status=text(location, "status"))


def reference_fact(reference: dict[str, Any]) -> ReferenceFact:
    return ReferenceFact(pmid=text(reference, "pmid"), kind=text(reference, "type"),
                         citation=" ".join((text(reference, "citation") or "").split()))
