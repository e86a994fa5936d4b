"""A stored registry version -> `RecordDetails` (eligibility, sites, design, references, results)."""

from __future__ import annotations

from typing import Any

from tracker.ctgov.record_details import items, locations, section, strings, text
from tracker.ctgov.results import posted_results
from tracker.ctgov.results_modules import adverse_events, baseline, participant_flow
from tracker.domain.record import (
    Arm,
    Design,
    Eligibility,
    PlannedOutcome,
    RecordDetails,
    Reference,
    Site,
)


def record_details(study: dict[str, Any]) -> RecordDetails:
    protocol = section(study, "protocolSection")
    return RecordDetails(
        results=posted_results(study),
        eligibility=eligibility(protocol),
        sites=sites(protocol),
        design=design(protocol),
        references=tuple(Reference(pmid=text(r, "pmid"), kind=text(r, "type"),
                                   citation=" ".join((text(r, "citation") or "").split()))
                         for r in items(section(protocol, "referencesModule"), "references")),
        adverse_events=adverse_events(study), participant_flow=participant_flow(study),
        baseline=baseline(study),
    )


def eligibility(protocol: dict[str, Any]) -> Eligibility | None:
    module = section(protocol, "eligibilityModule")
    if not module:
        return None
    healthy = module.get("healthyVolunteers")
    return Eligibility(
        criteria=text(module, "eligibilityCriteria") or "", sex=text(module, "sex"),
        minimum_age=text(module, "minimumAge"), maximum_age=text(module, "maximumAge"),
        healthy_volunteers=healthy if isinstance(healthy, bool) else None,
        age_groups=strings(module, "stdAges"),
    )


def sites(protocol: dict[str, Any]) -> tuple[Site, ...]:
    return tuple(site(location) for location in locations(protocol))


def site(location: dict[str, Any]) -> Site:
    point = section(location, "geoPoint")
    lat, lon = point.get("lat"), point.get("lon")
    valid = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)) \
        and -90 <= lat <= 90 and -180 <= lon <= 180
    return Site(facility=text(location, "facility") or "", city=text(location, "city") or "",
                country=text(location, "country") or "", state=text(location, "state") or "",
                status=text(location, "status"), lat=float(lat) if valid else None,
                lon=float(lon) if valid else None)


def design(protocol: dict[str, Any]) -> Design | None:
    module = section(protocol, "designModule")
    arms_module = section(protocol, "armsInterventionsModule")
    if not module and not arms_module:
        return None
    info = section(module, "designInfo")
    masking = section(info, "maskingInfo")
    return Design(
        study_type=text(module, "studyType"), allocation=text(info, "allocation"),
        intervention_model=text(info, "interventionModel"), masking=text(masking, "masking"),
        who_masked=strings(masking, "whoMasked"), primary_purpose=text(info, "primaryPurpose"),
        arms=_arms(arms_module), outcomes=_planned(section(protocol, "outcomesModule")),
    )


def _arms(module: dict[str, Any]) -> tuple[Arm, ...]:
    """Arms with their interventions (from each arm's list, or the interventions' arm labels)."""
    by_label: dict[str, list[str]] = {}
    for intervention in items(module, "interventions"):
        name = text(intervention, "name")
        for label in strings(intervention, "armGroupLabels"):
            if name:
                by_label.setdefault(label, []).append(name)
    arms = []
    for group in items(module, "armGroups"):
        label = text(group, "label") or ""
        names = strings(group, "interventionNames") or tuple(by_label.get(label, ()))
        arms.append(Arm(label=label, kind=text(group, "type"),
                        description=text(group, "description") or "", interventions=names))
    return tuple(arms)


def _planned(module: dict[str, Any]) -> tuple[PlannedOutcome, ...]:
    planned = []
    for key, kind in (("primaryOutcomes", "primary"), ("secondaryOutcomes", "secondary"),
                      ("otherOutcomes", "other")):
        planned += [PlannedOutcome(kind, text(o, "measure") or "", text(o, "timeFrame") or "",
                                   text(o, "description") or "")
                    for o in items(module, key) if text(o, "measure")]
    return tuple(planned)
