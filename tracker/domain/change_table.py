"""The change-significance table: every field the change log tracks, its label, how much a
change of it matters, and the few rules that move a change from minor to major.

Significance: `major` for status and the sponsor's reason for stopping, results posted, a
changed primary endpoint, revised or withdrawn posted figures of a primary measure, adverse
events posted and revised deaths or serious adverse events, a primary completion date that
slips by `MAJOR_SLIP_MONTHS` or more or moves earlier, and an enrollment change of `MAJOR_ENROLLMENT_CHANGE` or more; `minor` for
the rest (other, non-serious adverse events are major only when a class toxicity - CRS,
ICANS, tumour lysis - is among the revised terms); `initial` for the first value the library
saw of a field (the first status of a trial), which is history, not change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from tracker.domain.record_facts import DateFact

MAJOR_SLIP_MONTHS = 3
MAJOR_ENROLLMENT_CHANGE = 0.20


class Significance(StrEnum):
    MAJOR = "major"
    MINOR = "minor"
    INITIAL = "initial"

    @property
    def rank(self) -> int:
        return {Significance.MAJOR: 0, Significance.MINOR: 1, Significance.INITIAL: 2}[self]


@dataclass(frozen=True)
class ChangeField:
    """One tracked field: its label, default significance and how to compare it.
    `class_toxicity`: the significance when a revision names a class toxicity (CRS, ICANS,
    tumour lysis), if that is more than the default."""

    key: str
    label: str
    significance: Significance
    facts: tuple[str, ...] = field(default=())  # RecordFacts attributes it needs known
    class_toxicity: Significance | None = None


def _spec(key: str, label: str, significance: str, *facts: str,
          class_toxicity: str | None = None) -> ChangeField:
    return ChangeField(key, label, Significance(significance), facts or (key,),
                       Significance(class_toxicity) if class_toxicity else None)


#: Every field the change log tracks, in headline order (what a card shows first).
CHANGE_FIELDS: dict[str, ChangeField] = {spec.key: spec for spec in (
    _spec("overall_status", "status", "major"),
    #: a trial a sync no longer finds (withdrawn from the registry, or merged away)
    _spec("registry_listing", "registry listing", "major"),
    _spec("results_first_posted", "results posted", "major", "has_results"),
    _spec("primary_outcome", "primary endpoint", "major", "primary_outcomes"),
    _spec("posted_result", "posted result", "minor", "posted_results"),  # major if primary
    _spec("adverse_events_posted", "adverse events posted", "major", "adverse_events"),
    _spec("all_cause_mortality", "all-cause mortality", "major", "adverse_events"),
    _spec("serious_adverse_events", "serious adverse events", "major", "adverse_events"),
    _spec("result_reference", "result publication", "minor", "references"),
    _spec("primary_completion_date", "primary completion", "minor"),  # major by rule
    _spec("enrollment", "enrollment", "minor"),  # major by rule
    _spec("other_adverse_events", "other adverse events", "minor", "adverse_events",
          class_toxicity="major"),
    _spec("adverse_event_time_frame", "adverse event time frame", "minor", "adverse_events"),
    #: the sponsor's reason for stopping (toxicity, futility, accrual): read with the status
    _spec("why_stopped", "why stopped", "major"),
    _spec("reference", "reference", "minor", "references"),
    _spec("start_date", "start", "minor"),
    _spec("completion_date", "completion", "minor"),
    _spec("phases", "phases", "minor"),
    _spec("arm", "arm", "minor", "arms"),
    _spec("secondary_outcome", "secondary endpoint", "minor", "secondary_outcomes"),
    _spec("eligibility_criteria", "eligibility criteria", "minor"),
    _spec("site", "site", "minor", "sites"),
    _spec("recruiting_sites", "sites marked recruiting", "minor", "sites"),
    _spec("lead_sponsor", "lead sponsor", "minor"),
    _spec("collaborators", "collaborators", "minor"),
)}
_ORDER = {key: position for position, key in enumerate(CHANGE_FIELDS)}

#: What "major" means, for a legend beside a list of changes (the handouts): the table's
#: major fields by label, then the rules that make a change of another field major.
MAJOR_MEANS = "; ".join([
    ", ".join(spec.label for spec in CHANGE_FIELDS.values()
              if spec.significance is Significance.MAJOR),
    "a primary measure's posted figures revised",
    f"primary completion moved earlier or {MAJOR_SLIP_MONTHS}+ months later",
    f"enrollment ±{MAJOR_ENROLLMENT_CHANGE:.0%}",
    ", ".join(spec.label for spec in CHANGE_FIELDS.values()
              if spec.class_toxicity is Significance.MAJOR)
    + " revised for CRS, ICANS or tumour lysis"])


def field_order(key: str) -> int:
    return _ORDER.get(key, len(_ORDER))


def significance_of(key: str, *, class_toxicity: bool = False) -> Significance:
    """The table's significance for a change of `key`; `class_toxicity`: the change names a
    class toxicity, which raises it where the table says so."""
    spec = CHANGE_FIELDS[key]
    if class_toxicity and spec.class_toxicity is not None:
        return spec.class_toxicity
    return spec.significance


def month_slip(old: DateFact, new: DateFact) -> int:
    return new.month_index() - old.month_index()


def date_significance(key: str, old: DateFact | None, new: DateFact | None
                      ) -> tuple[str | None, Significance]:
    """(detail, significance) of a moved date; the primary completion rule lives here."""
    if old is None or new is None:
        return None, CHANGE_FIELDS[key].significance
    slip = month_slip(old, new)
    detail = f"{slip:+d} months" if slip else None
    if key == "primary_completion_date" and (slip >= MAJOR_SLIP_MONTHS or slip < 0):
        return detail, Significance.MAJOR
    return detail, CHANGE_FIELDS[key].significance


def enrollment_significance(old: int | None, new: int | None) -> tuple[str | None, Significance]:
    if not old or new is None or old == new:
        return None, Significance.MINOR
    ratio = (new - old) / old
    detail = f"{ratio * 100:+.0f} %"
    major = abs(ratio) >= MAJOR_ENROLLMENT_CHANGE
    return detail, Significance.MAJOR if major else Significance.MINOR
