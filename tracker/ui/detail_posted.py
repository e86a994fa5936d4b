"""The detail view's posted adverse events, participant flow and baseline, as HTML fragments.

Serious events come first, one compact table per arm (most participants affected first);
other events above the posting threshold follow, shortened with "… and N more", a link that
lists every term of that arm in place (`TERMS_SCHEME`; the pane keeps which). Counts are
the registry's; the only arithmetic is the share affected / at risk. Every string is escaped.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from tracker.domain.compared_arms import short_arm
from tracker.domain.participants import COUNT_OF_PARTICIPANTS, baseline_heading_detail
from tracker.domain.record import shared_ids
from tracker.domain.words import plural
from tracker.ui.detail_html import TERMS_SCHEME
from tracker.ui.detail_sections import muted, words

if TYPE_CHECKING:
    from tracker.domain.adverse_events import AdverseEvents, ArmEvents
    from tracker.domain.participants import Baseline, ParticipantFlow
    from tracker.domain.record import ResultMeasure

SERIOUS_LISTED = 10  # per arm, before "… and N more" (terms of special interest always)
OTHER_LISTED = 6
FURTHER_MEASURES = 4
SUMMARY_ARM_MAX = 30  # characters of an arm's name in a folded section's summary
# 99 %: Qt rounds a four-column table at 100 % one pixel past some widths (a scroll bar)
_TABLE = "border='1' cellspacing='0' cellpadding='3' width='99%'"
_SMALL_GRAY = "<small style='color:gray'>"
_SPECIAL = "color:#9a3412"
def terms_key(kind: str, arm_index: int) -> str:
    """The key of one arm's list of one kind ("serious/0"), as its link path carries it."""
    return f"{kind}/{arm_index}"


def adverse_events_html(events: AdverseEvents, as_of: str | None, narrow: bool = False,
                        trial_id: str = "NCT…", in_full: frozenset[str] = frozenset()) -> str:
    """Totals per arm, serious events per arm, then other events above the threshold.
    `in_full`: the lists (`terms_key`) shown with every term rather than shortened."""
    source = f" (as of the registry update of {escape(as_of)})" if as_of else ""
    intro = (f"<p><small>Posted on ClinicalTrials.gov by the sponsor{source}: counts exactly "
             "as posted, % = participants affected / at risk.</small></p>")
    parts = [intro, _context(events), _totals(events, narrow), "<h4>Serious adverse events</h4>"]
    parts.append(_LEGEND)
    parts += [_arm_table(arm, SERIOUS_LISTED, "serious", narrow, index, in_full)
              for index, arm in enumerate(events.serious_by_arm())]
    if not events.serious:
        parts.append(muted("No serious adverse event posted."))
    threshold = (f" (posted above a frequency threshold of {escape(events.frequency_threshold)}"
                 "%)" if events.frequency_threshold else "")
    parts.append(f"<h4>Other adverse events{threshold}</h4>")
    parts += [_arm_table(arm, OTHER_LISTED, "other", narrow, index, in_full)
              for index, arm in enumerate(events.other_by_arm())]
    if not events.other:
        parts.append(muted("No other adverse event posted."))
    parts.append(f"<p>{_SMALL_GRAY}Every term: <code>tracker show {escape(trial_id)} --json"
                 "</code></small></p>")
    return "".join(parts)


_LEGEND = (f"<p>{_SMALL_GRAY}Most participants affected first. <span style='{_SPECIAL}'>■</span>"
           " <b>Bold</b>: cytokine release, neurotoxicity, encephalopathy, tumour lysis, "
           "infections, sepsis, pneumonia, febrile neutropenia — listed even past the first "
           "rows.</small></p>")


def _context(events: AdverseEvents) -> str:
    facts = [("Time frame", events.time_frame), ("Collected", events.description),
             ("All-cause mortality", events.mortality_comment or "")]
    return "".join(f"<p><small><b>{label}:</b> {escape(value)}</small></p>"
                   for label, value in facts if value)


def _totals(events: AdverseEvents, narrow: bool) -> str:
    if not events.groups:
        return muted("No arms posted for the adverse events.")
    totals = [(g, *(escape(events.arm_total(g, kind)) for kind in ("serious", "other",
                                                                   "deaths")))
              for g in events.groups]
    if narrow:
        return "".join(f"<p><b>{escape(g.title)}</b><br/>serious {serious} · other {other} · "
                       f"deaths {deaths}</p>" for g, serious, other, deaths in totals)
    rows = "".join(f"<tr><td>{escape(g.title)}</td><td>{serious}</td><td>{other}</td>"
                   f"<td>{deaths}</td></tr>" for g, serious, other, deaths in totals)
    return (f"<table {_TABLE}><tr><th align='left'>Participants with</th><th align='left'>"
            "serious events</th><th align='left'>other events</th><th align='left'>"
            f"deaths (all causes)</th></tr>{rows}</table>")


def _arm_table(arm: ArmEvents, most: int, kind: str, narrow: bool, index: int = 0,
               in_full: frozenset[str] = frozenset()) -> str:
    """One arm's events: term, organ system (beside it, or under it when narrow), share;
    the first `most` (and any later one of special interest) unless the list is `in_full`,
    with a link under it that lists every term, or shortens the list again."""
    head = f"<p><b>{escape(arm.group.title)}</b></p>"
    if arm.unassigned:
        return head + muted(arm.unassigned[:1].upper() + arm.unassigned[1:] + ".")
    if not arm.ranked:
        return head + muted(f"No {kind} adverse event posted with a participant affected.")
    key = terms_key(kind, index)
    shown, left_out = arm.shortened(len(arm.ranked) if key in in_full else most)
    _, shortened_by = arm.shortened(most)
    organ = "<br/>" if narrow else "</td><td>"
    rows = "".join(
        f"<tr><td>{_term(event.term, event.of_special_interest)}{organ}{_SMALL_GRAY}"
        f"{escape(event.organ_system)}</small></td><td align='right' style='white-space:nowrap'>"
        f"{share.text()}</td></tr>" for event, share in shown)
    organ_head = "" if narrow else "<th align='left'>Organ system</th>"
    more = _terms_link(key, f"… and {plural(left_out, f'more {kind} event term')}: show "
                       "all") if left_out else ""
    if shortened_by and not left_out:
        more = _terms_link(key, f"Show fewer {kind} event terms")
    return (f"{head}<table {_TABLE}><tr><th align='left'>Term</th>{organ_head}<th align='right'>"
            f"Affected / at risk</th></tr>{rows}</table>{more}")


def _terms_link(key: str, text: str) -> str:
    return f"<p><i><a href='{TERMS_SCHEME}:{key}'>{escape(text)}</a></i></p>"


def _term(term: str, special: bool) -> str:
    return (f"<span style='{_SPECIAL}'>■</span> <b>{escape(term)}</b>" if special
            else escape(term))


def adverse_events_summary(events: AdverseEvents) -> str:
    """'serious in 83.0% (Venetoclax + Azacitidine) vs 72.9% (Placebo + Azacitidine)': each
    arm's share with its name, or how many terms were posted."""
    shares = [(g.serious.share, g.title) for g in events.groups]
    if shares and len(shares) <= 4 and all(s is not None for s, _ in shares):
        return "serious in " + " vs ".join(f"{s * 100:.1f}% ({_summary_arm(title)})"
                                           for s, title in shares)
    return f"{plural(len(events.serious), 'serious term')}, {len(events.other)} other"


# -- Participant flow and baseline -------------------------------------------------------------

def participants_html(flow: ParticipantFlow | None, baseline: Baseline | None,
                      narrow: bool = False) -> str:
    parts = ["<h4>Participant flow</h4>", _flow(flow, narrow) if flow else
             muted("No participant flow posted."), "<h4>Baseline characteristics</h4>",
             _baseline(baseline, narrow) if baseline else muted("No baseline posted.")]
    return "".join(parts)


def _flow(flow: ParticipantFlow, narrow: bool) -> str:
    parts = [f"<p><small>{escape(flow.recruitment_details)}</small></p>"
             if flow.recruitment_details else ""]
    for period in flow.periods:
        parts.append(f"<p><b>{escape(period.title or 'Period')}</b></p>")
        if narrow:
            parts += [f"<p><b>{escape(g.title)}</b>: {escape(flow.arm_line(period, g))}</p>"
                      for g in flow.groups]
            continue
        head = "<tr><th></th>" + "".join(f"<th align='left'>{escape(g.title)}</th>"
                                         for g in flow.groups) + "</tr>"
        rows = [_flow_row(step.label, [flow.subjects(step, g) for g in flow.groups])
                for step in period.milestones]
        rows += [_flow_row(f"&nbsp;&nbsp;{escape(step.label)}",
                           [flow.subjects(step, g) for g in flow.groups], escaped=True)
                 for step in period.reasons]
        parts.append(f"<table {_TABLE}>{head}{''.join(rows)}</table>")
    return "".join(parts) or muted("No periods posted.")


def _flow_row(label: str, counts: list[str | None], escaped: bool = False) -> str:
    cells = "".join(f"<td>{escape(c) if c is not None else '—'}</td>" for c in counts)
    return f"<tr><td>{label if escaped else escape(label)}</td>{cells}</tr>"


def _baseline(baseline: Baseline, narrow: bool) -> str:
    overall = "; ".join(f"{escape(g.title)} {escape(baseline.denominators.get(g.id, '—'))}"
                        for g in baseline.groups)
    units = escape((baseline.denominator_units or "participants").lower())
    parts = [f"<p><b>Overall number</b> ({units}): {overall}</p>"]
    measures = baseline.essentials + baseline.further[:FURTHER_MEASURES]
    parts += [_measure(m, narrow) for m in measures]
    also = [m.title for m in baseline.further[FURTHER_MEASURES:]]
    if also:
        parts.append(muted(f"Also posted: {'; '.join(also)}."))
    if baseline.population:
        parts.append(f"<p><small>Population: {escape(baseline.population)}</small></p>")
    return "".join(parts)


def _measure(measure: ResultMeasure, narrow: bool) -> str:
    detail = baseline_heading_detail(measure.param_type, measure.unit)
    what = f" ({escape(detail)})" if detail else ""
    title = f"<p><b>{escape(measure.title)}</b>{what}</p>"
    if narrow:
        rows = "".join(f"<tr><td>{'<i>' + escape(row.label) + '</i><br/>' if row.label else ''}"
                       + "<br/>"
                       .join(f"{escape(g.title)}: <b>{_value(measure, row, g.id)}</b>"
                             for g in measure.groups) + "</td></tr>" for row in measure.rows)
        return f"{title}<table {_TABLE}>{rows}</table>"
    head = "<tr><th></th>" + "".join(f"<th align='left'>{escape(g.title)}</th>"
                                     for g in measure.groups) + "</tr>"
    rows = "".join(f"<tr><td>{escape(row.label)}</td>" + "".join(
        f"<td>{_value(measure, row, g.id)}</td>" for g in measure.groups) + "</tr>"
        for row in measure.rows)
    return f"{title}<table {_TABLE}>{head}{rows}</table>"


def _is_count(measure: ResultMeasure) -> bool:
    return measure.param_type == COUNT_OF_PARTICIPANTS


def _value(measure: ResultMeasure, row, group_id: str) -> str:
    """The value as posted; a count of participants with its share of the group's number."""
    value = row.value_for(group_id)
    shown = escape(value.text(words(measure.dispersion) or None))
    denominator = measure.denominators.get(group_id) or ""
    if _is_count(measure) and (value.value or "").isdigit() and denominator.isdigit() \
            and int(denominator) > 0:
        shown += f" ({int(value.value) / int(denominator) * 100:.1f}%)"
    return shown


def _summary_arm(title: str) -> str:
    """An arm's name in a folded section's one-line summary (short enough for four arms)."""
    return short_arm(title, SUMMARY_ARM_MAX)


def participants_summary(flow: ParticipantFlow | None, baseline: Baseline | None) -> str:
    """'started 286 (Venetoclax + Azacitidine), 145 (Placebo + Azacitidine); 4 baseline
    measures'."""
    bits = []
    started = next((m for p in (flow.periods if flow else ()) for m in p.milestones
                    if m.kind == "STARTED"), None)
    if flow and started and not shared_ids(flow.groups):
        bits.append("started " + ", ".join(
            f"{started.subjects_for(g.id) or '—'} ({_summary_arm(g.title)})"
            for g in flow.groups))
    if baseline:
        bits.append(plural(len(baseline.measures), "baseline measure"))
    return "; ".join(bits)
