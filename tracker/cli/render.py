"""Plain-text rendering of trials for the terminal (control characters filtered out)."""

from __future__ import annotations

import json
import re
import textwrap
from typing import TYPE_CHECKING

from tracker.cli.listing import ListRow, status_label, stream_lines
from tracker.cli.posted_lines import posted_lines
from tracker.cli.terminal import safe_text
from tracker.domain.calendar_day import local_day, users_today
from tracker.domain.drug_names import drug_label
from tracker.domain.enums import phase_label
from tracker.domain.limits import NOTE_MAX_BYTES
from tracker.domain.metrics import headline_arms, headline_text, labelled_value
from tracker.domain.registry_headline import headline_or_registry
from tracker.domain.words import lower_first
from tracker.services.references import citation_book

if TYPE_CHECKING:
    from tracker.domain import Outcome, Trial
    from tracker.domain.views import OutcomeView, TrialView
    from tracker.services.details import TrialDetails

__all__ = ["detail_text", "list_lines", "one_line", "safe_text", "status_text"]


def status_text(trial: Trial | TrialView) -> str:
    status = trial.status.value if trial.status else None
    return status_label(status, trial.registry_state.value)


def status_in_context(trial: Trial | TrialView) -> str:
    """"Unknown (last known: Enrolling by invitation; last verified 2019-12)"."""
    from tracker.domain.status_words import status_with_context

    label = status_text(trial)
    if trial.registry_state.value != "found":
        return label
    return status_with_context(label, trial.status, trial.last_known_status,
                               trial.status_verified)


def list_lines(trials: list[Trial]) -> list[str]:
    """One aligned line per trial: id, modality, phase, status, acronym and title."""
    rows = [ListRow(t.id, t.modality.value, json.dumps(list(t.phases)),
                    t.status.value if t.status else None, t.registry_state.value, t.acronym,
                    t.brief_title) for t in trials]
    return list(stream_lines(rows, max((len(t.id) for t in trials), default=11)))


def _outcome_lines(outcomes: list[Outcome] | list[OutcomeView]) -> list[str]:
    book = citation_book()  # the shipped records, read without pydantic
    lines = []
    for outcome in outcomes:
        where = " / ".join(p for p in (outcome.arm, outcome.population, outcome.timepoint) if p)
        shown = f"    {labelled_value(outcome)}"  # "OS HR = 0.66", as the exports write it
        if outcome.print_fault is not None:  # printed wrong: said at once, before the rest
            shown += f" ({outcome.print_fault.marker(outcome.metric)})"
        lines.append(shown + (f" ({where})" if where else ""))
        if outcome.caveat:
            lines += _wrapped(f"CURATOR'S CAVEAT: {outcome.caveat}", "      ")
        lines.append(f"      source: {book.cite(outcome.source)}")
    return lines


def detail_text(details: TrialDetails) -> str:
    trial = details.trial
    lines = [f"{trial.id}  {trial.display_title}", f"  {trial.brief_title}"]
    lines += _field_lines(trial)
    if trial.summary:
        lines += ["", "  Summary:"] + _wrapped(trial.summary, "    ")
    lines += ["", f"  Headline: {_headline(details)}"]
    arms = headline_arms(trial.outcomes, compares_arms=trial.compares_arms)
    if arms:
        lines += _wrapped(f"Arms compared: {arms}", "  ")
    results = [o for o in trial.outcomes if not o.is_context]
    context = [o for o in trial.outcomes if o.is_context]
    if results:
        lines += ["", "  Outcomes:"] + _outcome_lines(results)
    if context:
        lines += ["", "  Context from the reviews (class-level, not this trial's results):"]
        lines += _outcome_lines(context)
    lines += _record_lines(details)
    lines += _change_lines(details)
    if details.tags:
        lines += ["", "  Tags: " + ", ".join(details.tags)]
    if details.notes:
        lines += ["", "  Notes:"]
        for note in details.notes:
            author = f" [{note.author}]" if note.author else ""
            lines.append(f"    {note.updated_at:%Y-%m-%d %H:%M}{author}")
            lines += _wrapped(_shown_note(note.body), "      ")
    return safe_text("\n".join(one_line(line) for line in lines))


_LINE_BREAKS = re.compile("[\t\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]+")


def one_line(text: str) -> str:
    """`text` on one line: line breaks and tabs (which could fake a `  Status:` line or a
    second record under a title) become a single space. Multi-line fields are split into
    paragraphs by `_wrapped` before this, so each printed line carries its indent."""
    return _LINE_BREAKS.sub(" ", text)


def _headline(details: TrialDetails) -> str:
    """The review figures' headline; without one, what the registry has posted."""
    results = details.record.results if details.record else None
    trial = details.trial
    return headline_or_registry(headline_text(trial.outcomes, compares_arms=trial.compares_arms),
                                len(results.measures) if results else None, trial.has_results)


def _record_lines(details: TrialDetails) -> list[str]:
    """What the newest stored registry version adds: posted results, sites, publications."""
    record = details.record
    if record is None:
        return []
    lines = [""]
    as_of = details.versions[-1].last_update_posted if details.versions else None
    if record.results is not None:
        lines += _results_lines(record, as_of)
    lines += posted_lines(record, as_of)
    if record.sites:
        lines.append(_sites_line(record, details.trial))
    head = details.trial.start_date.value[:4] if details.trial.start_date else ""
    started = int(head) if head.isdigit() else None
    for reference in record.references:
        where = reference.url or "no PMID"
        lines.append(f"  {reference.label(started)}: "
                     f"{textwrap.shorten(reference.citation, 80)} <{where}>")
    return lines if len(lines) > 1 else []


def _results_lines(record, as_of: str | None) -> list[str]:
    """The heading of the posted results, then each primary measure: its values per arm with
    the numbers analysed, comments and analyses; a measure posted without values says so,
    with its arms' numbers and the population the registry describes (often why)."""
    dated = f", as of the registry update of {as_of}" if as_of else ""
    measures = record.results.measures
    if not measures:
        also = record.also_posted()
        return [f"  Registry results: no outcome measures posted{'; ' * bool(also)}{also}"
                f"{dated and f' ({dated[2:]})'}."]
    lines = [f"  Registry results ({len(measures)} measures posted{dated}; values as posted, "
             "`tracker show --json` has them all):"]
    for measure in record.results.primary:
        lines.append(f"    primary: {textwrap.shorten(measure.title, 90)}")
        facts = [words for words in (measure.param_type and measure.param_type.lower()
                                     .replace("_", " "), measure.unit,
                                     measure.time_frame and
                                     f"time frame: {measure.time_frame}") if words]
        if facts:
            lines.append(f"      ({textwrap.shorten('; '.join(facts), 90)})")
        for row in measure.rows:
            values = "; ".join(f"{g.title}{_analysed(measure, g.id)}: "
                               f"{measure.value_text(row, g.id, measure.dispersion)}"
                               for g in measure.groups)
            lines.append(f"      {row.label + ': ' if row.label else ''}{values}")
        if not measure.rows:
            arms = "; ".join(f"{g.title} {measure.analysed(g.id) or 'n not posted'}"
                             for g in measure.groups)
            lines.append(f"      no values posted{f': {arms}' if arms else ''}")
        if measure.population:
            lines += _wrapped(f"analysed: {textwrap.shorten(measure.population, 300)}",
                              "      ")
        lines += [f"      comment: {c}" for c in measure.comments]
        lines += [f"      analysis: {a.compared_text(measure.groups)}"
                  for a in measure.analyses]
    return lines


def _sites_line(record, trial: Trial | TrialView) -> str:
    """'Sites: 2: China 1 (1 recruiting), Germany 1 (1 recruiting)'; a trial that is not
    recruiting has no recruiting site, whatever its sites' records say."""
    if trial.takes_patients:
        countries = ", ".join(f"{c} {n} ({r} recruiting)" for c, n, r in
                              record.sites_by_country()[:8])
        return f"  Sites: {len(record.sites)}: {countries}"
    countries = ", ".join(f"{c} {n}" for c, n, _ in record.sites_by_country()[:8])
    if trial.registry_state.value == "not_found":
        why = "the registry no longer lists the trial"
    else:
        why = f"the trial is {lower_first(trial.status.label) if trial.status else 'not synced'}"
    return f"  Sites: {len(record.sites)}: {countries} (none recruiting: {why})"


def _analysed(measure, group_id: str) -> str:
    """' (n = 286)', ' (n = 40 bone marrow samples)': what a group's value is about, as
    posted, in the measure's unit of analysis."""
    analysed = measure.analysed(group_id)
    return f" ({analysed})" if analysed else ""


def _change_lines(details: TrialDetails) -> list[str]:
    """Registry changes, newest first; the first status seen closes the list."""
    if not details.changes:
        return []
    lines = ["", f"  Changes ({details.versions_seen_text()}):"]
    for change in reversed(details.changes):
        text = (f"first seen as {lower_first(change.new_text)}"
                if change.significance == "initial" else change.describe())
        flag = "!" if change.significance == "major" else " "
        posted = f" (registry update {change.registry_date})" if change.registry_date else ""
        lines.append(f"    {local_day(change.seen_at)} {flag} {text}{posted}")
    return lines


def _last_synced(trial: Trial | TrialView) -> tuple[str, str]:
    """("Last synced", "2026-12-01 09:30 UTC"); ("Last checked", "… UTC (not found in the
    registry)") when that sync did not find the trial: nothing was synced then."""
    if trial.last_synced_at is None:
        return "Last synced", "never"
    when = f"{trial.last_synced_at:%Y-%m-%d %H:%M} UTC"
    if trial.not_found:
        return "Last checked", f"{when} (not found in the registry)"
    return "Last synced", when


def _field_lines(trial: Trial | TrialView) -> list[str]:
    running = trial.running_on(users_today())  # estimated dates it has passed: overdue
    pairs = [
        ("Status", status_in_context(trial) + (f" (why stopped: {trial.why_stopped})"
                                         if trial.why_stopped else "")),
        ("Phase", phase_label(trial.phases)),
        ("Modality", trial.modality.label),
        ("Drugs", ", ".join(map(drug_label, trial.drugs)) or ", ".join(trial.interventions)),
        ("Diseases", ", ".join(trial.diseases or trial.conditions)),
        ("Sponsor", trial.sponsor_shown),
        ("Enrollment", _enrollment(trial)),
        ("Start", trial.start_date.display(running) if trial.start_date else None),
        ("Primary completion", trial.primary_completion_date.display(running)
         if trial.primary_completion_date else None),
        ("Completion", trial.completion_date.display(running) if trial.completion_date else None),
        ("Last update posted", trial.last_update_posted),
        _last_synced(trial),
        ("Registry", trial.registry_url),
        ("Id source", trial.id_provenance),
        ("Former ids", ", ".join(trial.aliases) + " (the registry now files them under this "
         "record)" if trial.aliases else None),
    ]
    return [f"  {label + ':':<20} {value}" for label, value in pairs if value]


def _enrollment(trial: Trial | TrialView) -> str | None:
    """'443 (actual)', '120 (estimated)': a target is not a count of patients treated."""
    if trial.enrollment is None:
        return None
    kind = f" ({trial.enrollment_kind.lower()})" if trial.enrollment_kind else ""
    return f"{trial.enrollment}{kind}"


def _shown_note(body: str) -> str:
    """A note as printed: one over the size limit (imported before there was one) is cut."""
    if len(body) <= NOTE_MAX_BYTES:
        return body
    return (body[:NOTE_MAX_BYTES] + f"\n[… shortened for display: {len(body) // 1024} KB in all; "
            "`tracker show --json` prints all of it]")


def _wrapped(text: str, indent: str) -> list[str]:
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines += textwrap.wrap(paragraph, 96, initial_indent=indent, subsequent_indent=indent) or [
            indent]
    return lines
