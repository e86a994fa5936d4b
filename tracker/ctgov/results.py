"""`resultsSection.outcomeMeasuresModule` -> `PostedResults`, keeping the registry's strings.

Every group a measure lists stays a column even when its values are "NA", "NR" or missing,
and each value's comment is kept: a reader sees what the sponsor posted, not our reading of it.
"""

from __future__ import annotations

import math
from typing import Any

from tracker.ctgov.record_details import items, section, text
from tracker.domain.record import (
    Denominator,
    PostedResults,
    ResultAnalysis,
    ResultGroup,
    ResultMeasure,
    ResultRow,
    ResultValue,
)
from tracker.domain.record_facts import PostedResultFact


def posted_results(study: dict[str, Any]) -> PostedResults | None:
    """The posted outcome measures, or None when the record carries no results section."""
    results = section(study, "resultsSection")
    if not results:
        return None
    measures = tuple(result_measure(m) for m in
                     items(section(results, "outcomeMeasuresModule"), "outcomeMeasures"))
    first = text(section(study, "protocolSection", "statusModule",
                         "resultsFirstPostDateStruct"), "date")
    return PostedResults(first_posted=first, measures=measures)


def posted_result_facts(study: dict[str, Any]) -> tuple[PostedResultFact, ...] | None:
    """Each posted measure's figures in one line (what the change log compares); None when
    the record cannot tell: the registry flags results its record does not carry (they were
    not asked for), so a missing section is not "results removed"."""
    has_results = study.get("hasResults") if isinstance(study, dict) else None
    results = posted_results(study)
    if results is None:
        return () if has_results is False else None
    measures = tuple(PostedResultFact(m.kind, " ".join(m.title.split()), _figures(m),
                                      " ".join(m.time_frame.split())) for m in results.measures)
    return measures + _flow_facts(study) + _baseline_facts(study)


def _flow_facts(study: dict[str, Any]) -> tuple[PostedResultFact, ...]:
    """The participant flow, one fact per period ("Participant flow (Overall Study)"), its
    milestones and reasons per arm keyed by group id: a sponsor revising how many started,
    completed or left, and why, is logged as a posted result revised (never major)."""
    from tracker.ctgov.results_modules import participant_flow

    flow = participant_flow(study)
    if flow is None:
        return ()
    names = {group.id: _arm(group.title) for group in flow.groups}
    facts = []
    for period in flow.periods:
        figures = tuple(
            (f"{group_id} {step.kind}", f"{names.get(group_id, group_id)}, {step.label}",
             count.subjects or "—")
            for step in (*period.milestones, *period.reasons)
            for count in step.counts if (group_id := count.group_id))
        title = " ".join(period.title.split()) or "one period"
        facts.append(PostedResultFact("PARTICIPANT_FLOW", f"Participant flow ({title})",
                                      figures))
    return tuple(facts)


def _baseline_facts(study: dict[str, Any]) -> tuple[PostedResultFact, ...]:
    """The baseline characteristics, one fact per measure ("Baseline: Age, Continuous"), its
    figures per arm keyed by group id as an outcome measure's are: a sponsor correcting who
    was enrolled (ages, sex, risk groups) is logged as a posted result revised (never
    major)."""
    from tracker.ctgov.results_modules import baseline

    posted = baseline(study)
    if posted is None:
        return ()
    return tuple(PostedResultFact("BASELINE", f"Baseline: {' '.join(m.title.split())}",
                                  _figures(m)) for m in posted.measures)


def _figures(measure: ResultMeasure) -> tuple[tuple[str, str, str], ...]:
    """The measure's posted figures as (key, name, value), so a revision can say which
    changed: ('as posted', 'as posted', 'median; months'), ('OG000', 'Axi-cel', '8.3 (95% CI
    4.5 to 15.8)'), ('n OG000', 'n Axi-cel', '180'), ('analysis 1 OG000/OG001', 'analysis 1
    (Axi-cel vs Standard of Care)', 'HR 0.4 …'): an analysis is named by the arms it compares
    and keyed by their ids, so renaming an arm changes no compared value.
    A value is keyed by its arm's group id (a row's label added: 'OG000 CR'), which the
    registry keeps from one version to the next: arms posted in another order or renamed are
    not revised values, and two arms whose titles read alike stay two. An id posted for two
    arms is told apart by its place among them."""
    kind = "; ".join(p for p in (measure.param_type, measure.unit) if p)
    parts = [("as posted", "as posted", kind.lower())] if kind else []
    arms = _arm_keys(measure)
    for row in measure.rows:
        for (key, name), group in zip(arms, measure.groups, strict=True):
            parts.append((f"{key} {row.label}" if row.label else key,
                          f"{name}, {row.label}" if row.label else name,
                          row.value_for(group.id).text(measure.dispersion)))
    parts += [(f"n {key}", f"n {name}", measure.denominators[group.id])
              for (key, name), group in zip(arms, measure.groups, strict=True)
              if measure.denominators.get(group.id)]
    parts += [(f"analysis {number} {'/'.join(analysis.group_ids)}",
               _analysis_name(number, analysis, measure), analysis.text())
              for number, analysis in enumerate(measure.analyses, 1)]
    return tuple(parts)


def _analysis_name(number: int, analysis, measure: ResultMeasure) -> str:
    from tracker.domain.compared_arms import compared_arms

    arms = compared_arms(analysis.group_ids, measure.groups)
    return f"analysis {number} ({arms})" if arms else f"analysis {number}"


def _arm_keys(measure: ResultMeasure) -> list[tuple[str, str]]:
    """(key, name) of each arm: its group id (with its place when the id is posted twice),
    and its title in one line, shortened, with the id when two arms' shortened titles match."""
    ids = [group.id for group in measure.groups]
    names = [_arm(group.title) for group in measure.groups]
    found = []
    for place, (group_id, name) in enumerate(zip(ids, names, strict=True)):
        key = group_id if ids.count(group_id) == 1 else f"{group_id}#{place}"
        found.append((key, name if names.count(name) == 1 else f"{name} [{group_id}]"))
    return found


def _arm(title: str) -> str:
    """An arm's title in one line, shortened for a change line."""
    title = " ".join(title.split())
    return title if len(title) <= 40 else title[:39].rstrip() + "…"


def result_measure(raw: dict[str, Any]) -> ResultMeasure:
    posted = tuple(Denominator(text(d, "units"), {
        text(c, "groupId") or "": value for c in items(d, "counts")
        if (value := posted_count(c.get("value"))) is not None}) for d in items(raw, "denoms"))
    chosen = _in_unit_of_analysis(raw, posted)
    return ResultMeasure(
        kind=text(raw, "type") or "OTHER",
        title=text(raw, "title") or "(untitled measure)",
        description=text(raw, "description") or "",
        population=text(raw, "populationDescription") or "",
        time_frame=text(raw, "timeFrame") or "",
        param_type=text(raw, "paramType"),
        dispersion=text(raw, "dispersionType"),
        unit=text(raw, "unitOfMeasure"),
        reporting_status=text(raw, "reportingStatus"),
        groups=tuple(ResultGroup(text(g, "id") or "", text(g, "title") or text(g, "id") or "",
                                 text(g, "description") or "") for g in items(raw, "groups")),
        denominator_units=chosen.units if chosen else None,
        denominators=dict(chosen.counts) if chosen else {},
        rows=tuple(_rows(raw)),
        analyses=tuple(_analysis(a) for a in items(raw, "analyses")),
        posted_denominators=posted,
    )


def _in_unit_of_analysis(raw: dict[str, Any], posted: tuple[Denominator, ...]
                         ) -> Denominator | None:
    """The denominator the measure's values are counted against: the one whose units the
    registry names as selected (`denomUnitsSelected`), else the one whose units name the
    measure's unit ("bone marrow samples" for "samples"), else participants (the first) —
    except for a measure counted in other units (COUNT_OF_UNITS), which then gets none: a
    participant n beside counts of samples invites a wrong ratio, and no other is guessed."""
    if not posted:
        return None
    for wanted in (text(raw, "denomUnitsSelected"), text(raw, "unitOfMeasure")):
        found = [d for d in posted if wanted and _same_units(d.units, wanted)]
        if found:
            return found[0]
    return posted[0] if text(raw, "paramType") != "COUNT_OF_UNITS" else None


def _same_units(units: str | None, wanted: str) -> bool:
    """'bone marrow samples' names 'samples' (or 'Sample'); 'Participants' names
    'percentage of participants'."""
    if not units:
        return False
    have = {_singular(w) for w in units.lower().split()}
    want = {_singular(w) for w in wanted.lower().split()}
    return units.strip().lower() == wanted.strip().lower() or _singular(
        units.lower().split()[-1]) in want or _singular(wanted.lower().split()[-1]) in have


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _rows(raw: dict[str, Any]) -> list[ResultRow]:
    rows = []
    for klass in items(raw, "classes"):
        class_title = text(klass, "title") or ""
        for category in items(klass, "categories"):
            label = " · ".join(p for p in (class_title, text(category, "title") or "") if p)
            rows.append(ResultRow(label, tuple(_value(m) for m in
                                               items(category, "measurements"))))
    return rows


def _value(raw: dict[str, Any]) -> ResultValue:
    return ResultValue(group_id=text(raw, "groupId") or "",
                       value=posted_string(raw.get("value")),
                       spread=posted_string(raw.get("spread")),
                       lower=posted_string(raw.get("lowerLimit")),
                       upper=posted_string(raw.get("upperLimit")), comment=text(raw, "comment"))


def _analysis(raw: dict[str, Any]) -> ResultAnalysis:
    groups = raw.get("groupIds")
    return ResultAnalysis(
        group_ids=tuple(g for g in groups if isinstance(g, str)) if isinstance(groups, list)
        else (),
        p_value=posted_string(raw.get("pValue")), method=text(raw, "statisticalMethod"),
        param_type=text(raw, "paramType"), param_value=posted_string(raw.get("paramValue")),
        ci_percent=posted_string(raw.get("ciPctValue")),
        ci_lower=posted_string(raw.get("ciLowerLimit")),
        ci_upper=posted_string(raw.get("ciUpperLimit")),
        description=text(raw, "statisticalComment"),
        group_description=text(raw, "groupDescription"),
        non_inferiority_type=text(raw, "nonInferiorityType"),
    )


def posted_count(value: Any) -> str | None:
    """A posted number of participants (or units) as posted ("286", "NA"), or None when it is
    a number no count can be: negative or fractional ("-3", "1.5"), as the adverse events'
    counts are read."""
    posted = posted_string(value)
    if posted is None:
        return None
    try:
        number = float(posted)
    except ValueError:
        return posted  # "NA" and other words stay as posted
    return posted if math.isfinite(number) and number >= 0 and number.is_integer() else None


def posted_string(value: Any) -> str | None:
    """Registry values are strings ("12.5", "NA"); numbers from elsewhere become text as is."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return None
