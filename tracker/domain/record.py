"""More of the registry record, as value objects the detail view and the CLI read.

Posted results keep the registry's own strings: a value of "NA" or "NR" stays "NA"/"NR" with
the measure's comment beside it, nothing is inferred ("not reached" is never made up) and no
group (arm) is dropped because its value is a sentinel or missing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.domain.adverse_events import AdverseEvents
    from tracker.domain.participants import Baseline, ParticipantFlow

from tracker.domain.record_facts import predates

PUBMED_URL = "https://pubmed.ncbi.nlm.nih.gov/{pmid}/"


@dataclass(frozen=True)
class ResultGroup:
    id: str
    title: str
    description: str = ""


def shared_ids(groups: tuple[ResultGroup, ...]) -> frozenset[str]:
    """Group ids the registry gives to more than one arm: values filed under them cannot be
    told apart, so they are assigned to none (never copied to both)."""
    ids = [g.id for g in groups]
    return frozenset(i for i in ids if ids.count(i) > 1)


def unassigned_words(group_id: str, groups: tuple[ResultGroup, ...]) -> str:
    """'not assigned: group id OG000 is posted for 2 arms'."""
    arms = sum(g.id == group_id for g in groups)
    return f"not assigned: group id {group_id} is posted for {arms} arms"


@dataclass(frozen=True)
class ResultValue:
    """One group's value in one row, exactly as posted."""

    group_id: str
    value: str | None = None
    spread: str | None = None
    lower: str | None = None
    upper: str | None = None
    comment: str | None = None

    def text(self, dispersion: str | None = None) -> str:
        """"12.5 (95% CI 8.1 to NA)"; the registry's strings verbatim, "—" if none posted."""
        value = self.value if self.value not in (None, "") else "—"
        if self.spread not in (None, ""):
            return f"{value} ± {self.spread}" if not dispersion else f"{value} ({dispersion} "\
                f"{self.spread})"
        if self.lower not in (None, "") or self.upper not in (None, ""):
            label = f"{dispersion} " if dispersion else ""
            return f"{value} ({label}{self.lower or '—'} to {self.upper or '—'})"
        return value


@dataclass(frozen=True)
class ResultRow:
    """A class/category of a measure ("" when the measure has a single row)."""

    label: str
    values: tuple[ResultValue, ...]

    def value_for(self, group_id: str) -> ResultValue:
        return next((v for v in self.values if v.group_id == group_id), ResultValue(group_id))


@dataclass(frozen=True)
class ResultAnalysis:
    group_ids: tuple[str, ...]
    p_value: str | None = None
    method: str | None = None
    param_type: str | None = None
    param_value: str | None = None
    ci_percent: str | None = None
    ci_lower: str | None = None
    ci_upper: str | None = None
    description: str | None = None  # statisticalComment (groupDescription before it had a field)
    group_description: str | None = None  # the sponsor's words for the comparison ("450 vs 300")
    non_inferiority_type: str | None = None  # SUPERIORITY, NON_INFERIORITY, EQUIVALENCE, …

    def text(self) -> str:
        """The figures in one line, as the change log compares them (no arms named)."""
        parts = []
        if self.param_type or self.param_value:
            parts.append(" ".join(p for p in (self.param_type, self.param_value) if p))
        if self.ci_lower or self.ci_upper:
            ci = f"{self.ci_percent}% CI" if self.ci_percent else "CI"
            parts.append(f"{ci} {self.ci_lower or '—'} to {self.ci_upper or '—'}")
        if self.p_value:
            parts.append(self._p())
        if self.method:
            parts.append(self.method)
        return "; ".join(parts) or "analysis posted without figures"

    def compared_text(self, groups: tuple[ResultGroup, ...]) -> str:
        """"Ide-cel 300 vs 450 x10^6: OR 2.0 (95% CI 0.9–4.6), p = 0.09; Fisher Exact;
        described as “450 vs 300”": the compared arms by their titles (the measure's
        `groups`), then the estimate; what the registry says of the comparison follows."""
        from tracker.domain.compared_arms import compared_arms

        estimate = " ".join(p for p in (_short_param(self.param_type), self.param_value) if p)
        if self.ci_lower or self.ci_upper:
            ci = f"{self.ci_percent}% CI" if self.ci_percent else "CI"
            estimate += f" ({ci} {_interval(self.ci_lower, self.ci_upper)})"
        figures = ", ".join(p for p in (estimate.strip(), self.p_value and self._p()) if p)
        arms = compared_arms(self.group_ids, groups) or "arms not named"
        extras = [self.method, _test_words(self.non_inferiority_type),
                  self.group_description and
                  f"described as “{_one_line(self.group_description)}”"]
        tail = "".join(f"; {extra}" for extra in extras if extra)
        return f"{arms}: {figures or 'analysis posted without figures'}{tail}"

    def _p(self) -> str:
        value = self.p_value or ""
        return f"p = {value}" if value[:1].isdigit() else f"p {value}"


def _short_param(param_type: str | None) -> str | None:
    """'Odds Ratio (OR)' -> 'OR', 'Hazard Ratio (HR)' -> 'HR'; other names as posted."""
    if not param_type:
        return None
    head, _, abbreviation = param_type.rstrip().rpartition("(")
    abbreviation = abbreviation.rstrip(")")
    if head and abbreviation.isupper() and 1 < len(abbreviation) <= 5 and " " not in \
            abbreviation:
        return abbreviation
    return param_type


def _interval(lower: str | None, upper: str | None) -> str:
    """'0.9–4.6'; with words when a limit is negative or missing ('-1.2 to 3.4')."""
    low, high = lower or "—", upper or "—"
    if low.startswith("-") or high.startswith("-") or not (lower and upper):
        return f"{low} to {high}"
    return f"{low}–{high}"


_TESTS = {"NON_INFERIORITY": "non-inferiority test", "EQUIVALENCE": "equivalence test",
          "NON_INFERIORITY_OR_EQUIVALENCE": "non-inferiority or equivalence test"}


def _test_words(kind: str | None) -> str | None:
    """A non-inferiority or equivalence test says so (superiority is the usual reading)."""
    if not kind:
        return None
    return _TESTS.get(kind.removesuffix("_LEGACY"))


def _one_line(text: str, most: int = 120) -> str:
    words = " ".join(text.split())
    return words if len(words) <= most else words[:most - 1].rstrip() + "…"


@dataclass(frozen=True)
class Denominator:
    """One 'overall number analysed' line of a measure: its units and each group's count."""

    units: str | None
    counts: dict[str, str] = field(default_factory=dict)  # group id -> count, as posted


@dataclass(frozen=True)
class ResultMeasure:
    kind: str  # PRIMARY, SECONDARY, OTHER_PRE_SPECIFIED, POST_HOC
    title: str
    description: str = ""
    population: str = ""
    time_frame: str = ""
    param_type: str | None = None
    dispersion: str | None = None
    unit: str | None = None
    reporting_status: str | None = None
    groups: tuple[ResultGroup, ...] = ()
    # the denominator in the measure's unit of analysis (bone marrow samples for a measure
    # counted in samples), or none when no posted one is in that unit
    denominator_units: str | None = None
    denominators: dict[str, str] = field(default_factory=dict)  # group id -> count, as posted
    rows: tuple[ResultRow, ...] = ()
    analyses: tuple[ResultAnalysis, ...] = ()
    posted_denominators: tuple[Denominator, ...] = ()  # every one posted, participants first

    def value_text(self, row: ResultRow, group_id: str, dispersion: str | None = None) -> str:
        """A group's value in `row` as posted ("12.5 (95% CI 8.1 to NA)"), or why it is not
        assigned (an id the registry gives to two arms)."""
        if group_id in shared_ids(self.groups):
            return unassigned_words(group_id, self.groups)
        return row.value_for(group_id).text(dispersion)

    def analysed(self, group_id: str) -> str | None:
        """'n = 70' (participants), 'n = 40 bone marrow samples'; None when the group has no
        count in the measure's unit of analysis."""
        count = self.denominators.get(group_id)
        if count is None or group_id in shared_ids(self.groups):
            return None
        units = (self.denominator_units or "participants").lower()
        return f"n = {count}" if units == "participants" else f"n = {count} {units}"

    @property
    def comments(self) -> list[str]:
        """Every comment attached to a value (why a value is NA, what NR means here)."""
        seen: list[str] = []
        for row in self.rows:
            for value in row.values:
                if value.comment and value.comment not in seen:
                    seen.append(value.comment)
        return seen


@dataclass(frozen=True)
class PostedResults:
    first_posted: str | None
    measures: tuple[ResultMeasure, ...]

    @property
    def primary(self) -> tuple[ResultMeasure, ...]:
        return tuple(m for m in self.measures if m.kind == "PRIMARY")

    @property
    def other(self) -> tuple[ResultMeasure, ...]:
        return tuple(m for m in self.measures if m.kind != "PRIMARY")


@dataclass(frozen=True)
class Eligibility:
    criteria: str = ""  # markdown, as the registry sends it
    sex: str | None = None
    minimum_age: str | None = None
    maximum_age: str | None = None
    healthy_volunteers: bool | None = None
    age_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class Site:
    facility: str
    city: str
    country: str
    state: str = ""
    status: str | None = None
    lat: float | None = None
    lon: float | None = None

    @property
    def recruiting(self) -> bool:
        return self.status == "RECRUITING"

    def place(self) -> str:
        return ", ".join(p for p in (self.city, self.state, self.country) if p)


@dataclass(frozen=True)
class Arm:
    label: str
    kind: str | None = None
    description: str = ""
    interventions: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlannedOutcome:
    kind: str  # primary / secondary / other
    measure: str
    time_frame: str = ""
    description: str = ""


@dataclass(frozen=True)
class Design:
    study_type: str | None = None
    allocation: str | None = None
    intervention_model: str | None = None
    masking: str | None = None
    who_masked: tuple[str, ...] = ()
    primary_purpose: str | None = None
    arms: tuple[Arm, ...] = ()
    outcomes: tuple[PlannedOutcome, ...] = ()


@dataclass(frozen=True)
class Reference:
    pmid: str | None
    kind: str | None  # RESULT, BACKGROUND, DERIVED
    citation: str

    @property
    def url(self) -> str | None:
        return PUBMED_URL.format(pmid=self.pmid) if self.pmid and self.pmid.isdigit() else None

    def reports_results(self, started: int | None) -> bool:
        """Filed as RESULT and not published before the study started in `started` (a
        background paper misfiled as RESULT reports nothing of it)."""
        return self.kind == "RESULT" and not predates(self.citation, started)

    def label(self, started: int | None) -> str:
        """'Result', 'Background', 'Derived'; a paper filed as RESULT but published before
        the study started: 'Filed as result, published before the study started in 2023'."""
        if self.kind == "RESULT" and not self.reports_results(started):
            return f"Filed as result, published before the study started in {started}"
        return (self.kind or "reference").replace("_", " ").capitalize()


@dataclass(frozen=True)
class RecordDetails:
    """What the latest stored registry version says beyond the card's fields."""

    results: PostedResults | None = None
    eligibility: Eligibility | None = None
    sites: tuple[Site, ...] = ()
    design: Design | None = None
    references: tuple[Reference, ...] = ()
    adverse_events: AdverseEvents | None = None  # the rest of the results section, if posted
    participant_flow: ParticipantFlow | None = None
    baseline: Baseline | None = None

    def result_references(self, started: int | None = None) -> tuple[Reference, ...]:
        """The papers filed as the study's results, less any published before the study
        started in `started` (a background paper misfiled as RESULT reports nothing of it)."""
        return tuple(r for r in self.references if r.reports_results(started))

    def also_posted(self) -> str:
        """'adverse events and participant flow posted': the rest of the results section, in
        words (what a record without outcome measures does carry); '' when none."""
        from tracker.domain.words import listed

        parts = [name for name, value in (("adverse events", self.adverse_events),
                                          ("participant flow", self.participant_flow),
                                          ("baseline characteristics", self.baseline))
                 if value is not None]
        return f"{listed(parts)} posted" if parts else ""

    def sites_by_country(self) -> list[tuple[str, int, int]]:
        """(country, sites, recruiting sites), most sites first."""
        counts: dict[str, list[int]] = {}
        for site in self.sites:
            entry = counts.setdefault(site.country or "Country not given", [0, 0])
            entry[0] += 1
            entry[1] += site.recruiting
        return sorted(((c, n, r) for c, (n, r) in counts.items()), key=lambda x: (-x[1], x[0]))
