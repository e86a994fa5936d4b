"""Field-level registry changes: what changed between two versions of a trial's record.

`derive_changes(old, new)` compares two `RecordFacts` (the facts of consecutive registry
versions of one trial) and returns the `FieldChange`s between them, each with its
significance from the table in `change_table` (`CHANGE_FIELDS`, re-exported here). Pure: no
storage, no network, no Qt. Posted adverse events are compared in `adverse_event_changes`.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tracker.domain.adverse_event_changes import adverse_event_changes
from tracker.domain.change_table import (  # noqa: F401 - re-exported for callers
    CHANGE_FIELDS,
    MAJOR_ENROLLMENT_CHANGE,
    MAJOR_SLIP_MONTHS,
    ChangeField,
    Significance,
    date_significance,
    enrollment_significance,
    field_order,
    month_slip,
)
from tracker.domain.change_words import (
    ARROW,
    DETAIL_WORDS,
    MARKER_WORDS,
    SHORT_DESCRIPTION,
    display,
    short,
)
from tracker.domain.record_facts import (  # noqa: F401 - re-exported for callers
    DateFact,
    OutcomeFact,
    PostedResultFact,
    RecordFacts,
    ReferenceFact,
    SiteFact,
    predates,
)
from tracker.domain.words import lower_first


@dataclass(frozen=True, kw_only=True)
class FieldChange:
    """One field of one trial changed between two registry versions (old -> new, as text).

    A plain frozen dataclass (not a pydantic model): its values come from the change log's
    own rows and from `derive_changes`, and reading them (`tracker show`) needs no pydantic."""

    trial_id: str
    field: str
    old: str | None = None
    new: str | None = None
    detail: str | None = None  # "+14 months", "-70 %"
    significance: Significance
    registry_date: str | None = None
    seen_at: dt.datetime
    id: int | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.significance, Significance):  # "major" from an imported file
            object.__setattr__(self, "significance", Significance(self.significance))

    @property
    def label(self) -> str:
        spec = CHANGE_FIELDS.get(self.field)
        return spec.label if spec else self.field.replace("_", " ")

    @property
    def rank(self) -> tuple[int, int]:
        """Sort key: most significant first, then the table's headline order."""
        return self.significance.rank, field_order(self.field)

    @property
    def detail_text(self) -> str | None:
        """The detail as a reader is told it: a new site's status is the site's own record's
        ("site marked recruiting"), which a trial that is not recruiting does not honour."""
        if self.detail and self.field in DETAIL_WORDS:
            return DETAIL_WORDS[self.field](self.detail)
        return self.detail

    @property
    def old_text(self) -> str:
        return display(self.field, self.old)

    @property
    def new_text(self) -> str:
        return display(self.field, self.new)

    def describe(self) -> str:
        """One line, old → new: "primary completion: 2026-06 (estimated) → 2027-08 ..."."""
        if self.field in SHORT_DESCRIPTION:
            return SHORT_DESCRIPTION[self.field](self)
        detail = f" ({self.detail_text})" if self.detail else ""
        return f"{self.label}: {short(self.old_text)} {ARROW} {short(self.new_text)}{detail}"

    def marker(self) -> str:
        """The few words a card shows: "primary completion +14 months", "results posted"."""
        if self.field in MARKER_WORDS:
            return MARKER_WORDS[self.field](self)
        if self.field == "posted_result":
            return ("posted result added" if self.old is None else "posted result removed"
                    if self.new is None else "posted results updated")
        if self.field in SHORT_DESCRIPTION:
            return SHORT_DESCRIPTION[self.field](self)
        if self.detail:
            return f"{self.label} {self.detail}"
        if self.field == "overall_status" and self.new:
            return f"now {lower_first(self.new_text)}"
        return f"{self.label} changed"


# -- deriving --------------------------------------------------------------------------------

_Raw = tuple[str, str | None, str | None, str | None, Significance]  # field, old, new, detail, sig


def derive_changes(old: RecordFacts | None, new: RecordFacts, *, trial_id: str,
                   registry_date: str | None, seen_at: dt.datetime) -> list[FieldChange]:
    """The changes from `old` to `new`, in headline order. Without `old` (the first version
    the library sees) only the first status is recorded, as `initial`."""
    if old is None:
        raws: list[_Raw] = []
        if new.overall_status:
            raws.append(("overall_status", None, new.overall_status, None, Significance.INITIAL))
    else:
        raws = [raw for spec in CHANGE_FIELDS.values() if _both_know(old, new, spec)
                for raw in _COMPARE[spec.key](old, new)]
    changes = [FieldChange(trial_id=trial_id, field=f, old=o, new=n, detail=d, significance=s,
                           registry_date=registry_date, seen_at=seen_at)
               for f, o, n, d, s in raws]
    return sorted(changes, key=lambda change: change.rank)


def _both_know(old: RecordFacts, new: RecordFacts, spec: ChangeField) -> bool:
    return all(name in old.known and name in new.known for name in spec.facts)


def _scalar(key: str) -> Callable[[RecordFacts, RecordFacts], Iterator[_Raw]]:
    def compare(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            yield key, before, after, None, CHANGE_FIELDS[key].significance
    return compare


def _date(key: str) -> Callable[[RecordFacts, RecordFacts], Iterator[_Raw]]:
    def compare(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
        before, after = getattr(old, key), getattr(new, key)
        if before != after:
            detail, significance = date_significance(key, before, after)
            yield (key, before.text() if before else None, after.text() if after else None,
                   detail, significance)
    return compare


def _enrollment(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
    if old.enrollment == new.enrollment:
        return
    before, after = old.enrollment or (None, None), new.enrollment or (None, None)
    detail, significance = enrollment_significance(before[0], after[0])
    yield "enrollment", _enrollment_text(before), _enrollment_text(after), detail, significance


def _enrollment_text(value: tuple[int | None, str | None]) -> str | None:
    count, kind = value
    if count is None:
        return None
    return f"{count} ({kind.lower()})" if kind else str(count)


def _joined(key: str) -> Callable[[RecordFacts, RecordFacts], Iterator[_Raw]]:
    def compare(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
        before, after = getattr(old, key), getattr(new, key)
        if tuple(sorted(before)) != tuple(sorted(after)):
            yield (key, "; ".join(before) or None, "; ".join(after) or None, None,
                   CHANGE_FIELDS[key].significance)
    return compare


def _arms(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
    for label in old.arms:
        if label not in new.arms:
            yield "arm", label, None, None, Significance.MINOR
    for label in new.arms:
        if label not in old.arms:
            yield "arm", None, label, None, Significance.MINOR


def _outcomes(key: str, attribute: str) -> Callable[[RecordFacts, RecordFacts], Iterator[_Raw]]:
    """Outcomes matched by title; a changed time frame is a change of that outcome; titles
    that vanished and appeared at the same time are paired in order as changed outcomes."""
    def compare(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
        significance = CHANGE_FIELDS[key].significance
        before: tuple[OutcomeFact, ...] = getattr(old, attribute)
        after: tuple[OutcomeFact, ...] = getattr(new, attribute)
        old_by_title = {o.measure: o for o in before}
        new_by_title = {o.measure: o for o in after}
        for title, outcome in new_by_title.items():
            previous = old_by_title.get(title)
            if previous is not None and previous != outcome:
                yield key, previous.text(), outcome.text(), "time frame changed", significance
        gone = [o for o in before if o.measure not in new_by_title]
        came = [o for o in after if o.measure not in old_by_title]
        for position in range(max(len(gone), len(came))):
            was = gone[position].text() if position < len(gone) else None
            now = came[position].text() if position < len(came) else None
            yield key, was, now, None, significance
    return compare


def _eligibility(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
    if _words(old.eligibility_criteria) != _words(new.eligibility_criteria):
        yield ("eligibility_criteria", old.eligibility_criteria, new.eligibility_criteria, None,
               Significance.MINOR)


def _words(text: str | None) -> list[str]:
    return (text or "").split()


def _sites(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
    before = {site.text(): site for site in old.sites}
    after = {site.text(): site for site in new.sites}
    for key in before.keys() - after.keys():
        yield "site", key, None, None, Significance.MINOR
    for key in sorted(after.keys() - before.keys()):
        yield "site", None, key, _site_status(after[key]), Significance.MINOR


def _site_status(site: SiteFact) -> str | None:
    return site.status.replace("_", " ").lower() if site.status else None


def _recruiting(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
    before, after = recruiting_by_country(old.sites), recruiting_by_country(new.sites)
    if before != after:
        yield ("recruiting_sites", _country_text(before), _country_text(after), None,
               Significance.MINOR)


def recruiting_by_country(sites: tuple[SiteFact, ...]) -> dict[str, int]:
    counts = Counter(site.country or "unknown country" for site in sites
                     if site.status == "RECRUITING")
    return dict(sorted(counts.items()))


def _country_text(counts: dict[str, int]) -> str | None:
    return "; ".join(f"{country} {count}" for country, count in counts.items()) or None


def _results(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
    had = bool(old.results_first_posted or old.has_results)
    has = bool(new.results_first_posted or new.has_results)
    if has and not had:
        yield "results_first_posted", None, new.results_first_posted, None, Significance.MAJOR


def _posted_results(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
    """Posted measures matched by kind, title and time frame (and, among measures equal in
    those, by their order: "TEAEs" posted once for Part A and once for Part B): figures
    revised (only the named figures that changed are logged, old and new), a measure added to
    results already posted, or one removed. Any change to a primary measure is major.
    Results posted for the first time are `results_first_posted`, not one change per
    measure."""
    if not old.posted_results:
        return
    before, after = _by_measure(old.posted_results), _by_measure(new.posted_results)
    for key in [*before, *(k for k in after if k not in before)]:
        was, now = before.get(key), after.get(key)
        if was == now:
            continue
        measure = was or now
        significance = Significance.MAJOR if measure.kind == "PRIMARY" else Significance.MINOR
        old_text, new_text = _revised_figures(was, now)
        if old_text == new_text:  # the same figures, posted in another order
            continue
        yield ("posted_result", old_text, new_text, _measure_name(measure, key[3]),
               significance)


def _revised_figures(was: PostedResultFact | None, now: PostedResultFact | None
                     ) -> tuple[str | None, str | None]:
    """The figures that differ, matched by key and named as the newer version names them
    ('Axi-cel: 8.3 (…); n Axi-cel: 180' -> 'Axi-cel: 10.8 (…); n Axi-cel: 178'); a measure
    added or removed is None on its missing side."""
    if was is None or now is None:
        return None if was is None else _named(was.figures), \
            None if now is None else _named(now.figures)
    old = {key: value for key, _, value in was.figures}
    new = {key: value for key, _, value in now.figures}
    names = {key: name for key, name, _ in (*was.figures, *now.figures)}  # the newer's last
    changed = [key for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]
    return (_named(tuple((k, names[k], old.get(k, "not posted")) for k in changed)),
            _named(tuple((k, names[k], new.get(k, "not posted")) for k in changed)))


def _named(figures: tuple[tuple[str, str, str], ...]) -> str:
    return "; ".join(f"{name}: {value}" for _, name, value in figures)


def _by_measure(measures: tuple[PostedResultFact, ...]
                ) -> dict[tuple[str, str, str, int], PostedResultFact]:
    seen: Counter[tuple[str, str, str]] = Counter()
    keyed = {}
    for measure in measures:
        name = (measure.kind, measure.title, measure.time_frame)
        seen[name] += 1
        keyed[(*name, seen[name])] = measure
    return keyed


def _measure_name(measure: PostedResultFact, occurrence: int) -> str:
    """The measure's title, with its time frame, and its place among namesakes after the
    first ('… (2nd posted)')."""
    when = f" [{measure.time_frame}]" if measure.time_frame else ""
    place = f" ({occurrence}{'nd' if occurrence == 2 else 'rd' if occurrence == 3 else 'th'}"\
        " posted)" if occurrence > 1 else ""
    return f"{measure.title}{when}{place}"


def _references(old: RecordFacts, new: RecordFacts) -> Iterator[_Raw]:
    known = {ref.key for ref in old.references}
    started = new.start_date.year() if new.start_date else None
    for ref in new.references:
        if ref.key not in known:
            result = ref.kind == "RESULT" and not predates(ref.citation, started)
            key = "result_reference" if result else "reference"
            yield key, None, ref.text(), (ref.kind or "").lower() or None, Significance.MINOR


_COMPARE: dict[str, Callable[[RecordFacts, RecordFacts], Iterator[_Raw]]] = {
    "overall_status": _scalar("overall_status"),
    "results_first_posted": _results,
    "posted_result": _posted_results,
    "primary_outcome": _outcomes("primary_outcome", "primary_outcomes"),
    "primary_completion_date": _date("primary_completion_date"),
    "enrollment": _enrollment,
    "why_stopped": _scalar("why_stopped"),
    "reference": _references,
    "result_reference": lambda old, new: iter(()),  # yielded by _references
    "adverse_events_posted": lambda old, new: adverse_event_changes(old.adverse_events,
                                                                    new.adverse_events),
    **dict.fromkeys(("all_cause_mortality", "serious_adverse_events", "other_adverse_events",
                     "adverse_event_time_frame"),
                    lambda old, new: iter(())),  # yielded with adverse_events_posted
    "start_date": _date("start_date"),
    "completion_date": _date("completion_date"),
    "phases": _joined("phases"),
    "arm": _arms,
    "secondary_outcome": _outcomes("secondary_outcome", "secondary_outcomes"),
    "eligibility_criteria": _eligibility,
    "site": _sites,
    "recruiting_sites": _recruiting,
    "lead_sponsor": _scalar("lead_sponsor"),
    "collaborators": _joined("collaborators"),
}


def most_significant(changes: list[FieldChange]) -> FieldChange | None:
    """The change a card marker shows: the highest rank, newest first among equals."""
    real = [c for c in changes if c.significance != Significance.INITIAL]
    if not real:
        return None
    return min(real, key=lambda c: (c.rank, -c.seen_at.timestamp()))
