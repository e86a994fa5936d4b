"""The detail view's sections as HTML fragments, each from one value (no queries here).

Every registry and user string is escaped. Registry-posted results are labelled as such and
keep the registry's own strings ("NA", "NR") with the comments posted beside them.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from tracker.domain.calendar_day import local_day, users_today
from tracker.domain.change_words import ARROW
from tracker.domain.drug_names import drug_label
from tracker.domain.enums import phase_label
from tracker.domain.record import shared_ids
from tracker.domain.words import plural
from tracker.ui.formatting import freshness

if TYPE_CHECKING:
    from tracker.domain import Trial
    from tracker.domain.changes import FieldChange
    from tracker.domain.geo import Place
    from tracker.domain.record import (
        Design,
        Eligibility,
        PostedResults,
        RecordDetails,
        Reference,
        ResultMeasure,
        Site,
    )

SITES_LISTED = 40
TABLE_ATTRIBUTES = "border='1' cellspacing='0' cellpadding='3' width='100%'"
MUTED_STYLE = "color:gray"


def words(value: str | None) -> str:
    """A registry enum value as words: "ACTIVE_COMPARATOR" -> "Active comparator"."""
    return value.replace("_", " ").capitalize() if value else ""


def rows_table(rows: list[tuple[str, str | None]]) -> str:
    cells = "".join(f"<tr><td><b>{escape(k)}</b>&nbsp;&nbsp;</td><td>{escape(v)}</td></tr>"
                    for k, v in rows if v)
    return f"<table cellspacing='2'>{cells}</table>" if cells else ""


def muted(text: str) -> str:
    return f"<p style='{MUTED_STYLE}'><i>{escape(text)}</i></p>"


# -- Registry results ---------------------------------------------------------------------------

def registry_results(results: PostedResults | None, synced: bool, posted: bool | None = None,
                     as_of: str | None = None, also_posted: str = "",
                     none_posted: str = "No results posted on ClinicalTrials.gov.") -> str:
    """The posted results of the latest stored version. `posted`: the registry's own "has
    results" flag; `as_of`: that version's registry update date, so a figure can be cited;
    `also_posted`: the rest of the results section in words, for a record without measures;
    `none_posted`: what to say when no results are posted (`TrialDisplay.no_results_words`)."""
    if results is None:
        if not synced:
            return muted("Sync to fetch the registry record and any posted results.")
        if posted:
            return muted("The registry says results are posted, but they are not in the "
                         "stored record yet: sync to fetch them.")
        return muted(none_posted)
    when = [f"first posted {escape(results.first_posted)}" if results.first_posted else "",
            f"as of the registry update of {escape(as_of)}" if as_of else ""]
    dated = "; ".join(w for w in when if w)
    intro = (f"<p><small>Posted on ClinicalTrials.gov by the sponsor"
             f"{f' ({dated})' if dated else ''}"
             ": values exactly as posted, not reviewed by us.</small></p>")
    primary = "".join(measure_html(m) for m in results.primary)
    other = "".join(measure_html(m) for m in results.other)
    secondary = f"<h4>Secondary and other measures</h4>{other}" if other else ""
    if not results.measures:
        return intro + muted("No outcome measures posted" + (
            f"; {also_posted} (below)." if also_posted else "."))
    return intro + (primary or muted("No primary measure posted.")) + secondary


def measure_html(measure: ResultMeasure) -> str:
    kind = words(measure.kind)
    facts = " · ".join(escape(p) for p in (
        measure.time_frame and f"time frame: {measure.time_frame}",
        words(measure.param_type), measure.unit) if p)
    labelled = any(row.label for row in measure.rows)
    label_cell = "<th align='left'></th>" if labelled else ""
    head = "<tr>" + label_cell + "".join(
        f"<th align='left'>{escape(g.title)}<br/><small>"
        f"{_denominator(measure, g.id)}</small></th>" for g in measure.groups) + "</tr>"
    body = "".join(
        "<tr>" + (f"<td>{escape(row.label)}</td>" if labelled else "") + "".join(
            f"<td><b>{escape(measure.value_text(row, g.id, measure.dispersion))}</b></td>"
            for g in measure.groups) + "</tr>" for row in measure.rows)
    if not measure.rows:
        body = (f"<tr><td colspan='{max(len(measure.groups), 1)}'><i>no values posted</i>"
                "</td></tr>")
    notes = "".join(f"<li>{escape(c)}</li>" for c in measure.comments)
    analyses = "".join(f"<li>{escape(a.compared_text(measure.groups))}</li>"
                       for a in measure.analyses)
    population = (f"<p><small>Analysed: {escape(measure.population)}</small></p>"
                  if measure.population else "")
    return (f"<p><b>{escape(measure.title)}</b> <small>({escape(kind)}; {facts})</small></p>"
            f"<table {TABLE_ATTRIBUTES}>{head}{body}</table>{population}"
            + (f"<p><small>Comments posted:</small></p><ul>{notes}</ul>" if notes else "")
            + (f"<p><small>Analyses posted:</small></p><ul>{analyses}</ul>" if analyses else ""))


def _denominator(measure: ResultMeasure, group_id: str) -> str:
    if group_id in shared_ids(measure.groups):
        return "n not assigned"
    count = measure.denominators.get(group_id)
    if count is None and measure.posted_denominators and not measure.denominators:
        return escape(f"n in {measure.unit or 'its units'} not posted")  # only other units'
    if count is None:
        return "n not posted"
    units = (measure.denominator_units or "participants").lower()
    return f"n = {escape(count)} {escape(units)}"


# -- Overview -----------------------------------------------------------------------------------

def overview(trial: Trial, summary_html: str) -> str:
    running = trial.running_on(users_today())  # estimated dates it has passed: overdue
    rows = [
        ("Phase", phase_label(trial.phases)),
        ("Modality", trial.modality.label),
        ("Drugs", ", ".join(map(drug_label, trial.drugs)) or ", ".join(trial.interventions)),
        ("Diseases", ", ".join(trial.diseases)),
        ("Conditions", ", ".join(trial.conditions)),
        ("Sponsor", trial.sponsor_shown),
        ("Enrollment", f"{trial.enrollment}" + (f" ({trial.enrollment_kind.lower()})"
                                                if trial.enrollment_kind else "")
         if trial.enrollment is not None else None),
        ("Start", trial.start_date.display(running) if trial.start_date else None),
        ("Primary completion", trial.primary_completion_date.display(running)
         if trial.primary_completion_date else None),
        ("Completion", trial.completion_date.display(running) if trial.completion_date else None),
        ("Why stopped", trial.why_stopped),
        ("Results posted", {True: "yes", False: "no"}.get(trial.has_results)),
        ("Last update posted", trial.last_update_posted),
        # a trial never synced says so once, in the header's pill
        ("Freshness", _freshness(trial) if trial.last_synced_at else None),
        ("Former ids", ", ".join(trial.aliases)),
        ("Official title", trial.official_title),
    ]
    parts = [rows_table(rows)]
    if trial.summary:
        parts.append(f"<p><b>Curator's summary</b></p><p>{escape(trial.summary)}</p>")
    if summary_html:
        parts.append(f"<p><b>Registry summary</b></p>{summary_html}")
    return "".join(parts)


def _freshness(trial: Trial) -> str:
    """"synced 2 days ago"; for a trial the last sync did not find, when it was checked and
    that the facts shown are from the last record found."""
    if trial.not_found:
        return (f"{freshness(trial.last_synced_at, found=False)}: not found in the registry; "
                "the facts shown are from the last record found")
    return freshness(trial.last_synced_at)


# -- Design -------------------------------------------------------------------------------------

def design_html(design: Design | None) -> str:
    if design is None:
        return muted("No design in the stored registry record.")
    masked = f" ({', '.join(words(w) for w in design.who_masked)})" if design.who_masked else ""
    facts = rows_table([
        ("Study type", words(design.study_type)), ("Allocation", words(design.allocation)),
        ("Model", words(design.intervention_model)),
        ("Masking", words(design.masking) + masked if design.masking else None),
        ("Primary purpose", words(design.primary_purpose))])
    arms = "".join(f"<tr><td><b>{escape(a.label)}</b><br/><small>{escape(words(a.kind))}"
                   f"</small></td><td>{escape('; '.join(a.interventions))}</td></tr>"
                   for a in design.arms)
    arms_table = (f"<p><b>Arms</b></p><table {TABLE_ATTRIBUTES}><tr><th align='left'>Arm</th>"
                  f"<th align='left'>Interventions</th></tr>{arms}</table>" if arms else "")
    planned = "".join(f"<tr><td>{escape(o.kind.capitalize())}</td><td>{escape(o.measure)}</td>"
                      f"<td>{escape(o.time_frame)}</td></tr>" for o in design.outcomes)
    planned_table = (f"<p><b>Outcome measures</b></p><table {TABLE_ATTRIBUTES}><tr><th align='left'>"
                     "</th><th align='left'>Measure</th><th align='left'>Time frame</th></tr>"
                     f"{planned}</table>" if planned else "")
    return facts + arms_table + planned_table


def design_summary(design: Design | None) -> str:
    if design is None:
        return ""
    bits = [words(design.allocation), words(design.masking) and
            f"masking: {words(design.masking).lower()}", f"{len(design.arms)} arms"]
    return ", ".join(b for b in bits if b)


# -- Eligibility --------------------------------------------------------------------------------

def eligibility_html(eligibility: Eligibility | None, criteria_html: str) -> str:
    if eligibility is None:
        return muted("No eligibility in the stored registry record.")
    healthy = {True: "accepted", False: "no"}.get(eligibility.healthy_volunteers)
    facts = rows_table([("Sex", words(eligibility.sex)), ("Minimum age", eligibility.minimum_age),
                        ("Maximum age", eligibility.maximum_age),
                        ("Healthy volunteers", healthy),
                        ("Age groups", ", ".join(words(a) for a in eligibility.age_groups))])
    return facts + criteria_html


def eligibility_summary(eligibility: Eligibility | None) -> str:
    if eligibility is None:
        return ""
    ages = " to ".join(a for a in (eligibility.minimum_age, eligibility.maximum_age) if a)
    return ", ".join(p for p in (words(eligibility.sex), ages) if p)


# -- Sites --------------------------------------------------------------------------------------

def sites_html(record: RecordDetails, nearest: list[tuple[float, Site]],
               home: Place | None, not_recruiting: str | None = None,
               last_record_found: bool = False) -> str:
    """The sites by country, the nearest recruiting ones to `home`, the first listed.
    `not_recruiting`: the trial's status when it is not recruiting (then no site is near);
    `last_record_found`: the registry no longer lists the trial, so the sites are those of
    the last record it did."""
    if not record.sites:
        return muted("No sites listed in the registry record.")
    by_country = "".join(f"<tr><td>{escape(c)}</td><td align='right'>{n}</td>"
                         f"<td align='right'>{r}</td></tr>"
                         for c, n, r in record.sites_by_country())
    marked = "Marked recruiting" if not_recruiting is not None else "Recruiting"
    parts = [f"<table {TABLE_ATTRIBUTES}><tr><th align='left'>Country</th><th align='right'>Sites</th>"
             f"<th align='right'>{marked}</th></tr>{by_country}</table>"]
    if last_record_found:
        parts.append(muted("The registry no longer lists this trial: these are the sites of "
                           "the last record found."))
    if not_recruiting is not None:
        parts.append(muted(f"The trial is not recruiting ({not_recruiting}), so none of its "
                           "sites takes referrals, whatever a site's own status says."))
    elif home is not None:
        close = "".join(f"<li>{km:,.0f} km: {escape(s.facility)}, {escape(s.place())}</li>"
                        for km, s in nearest)
        parts.append(f"<p><b>Nearest recruiting sites to {escape(home.name)}</b></p>"
                     + (f"<ul>{close}</ul>" if close else
                        muted("None of the recruiting sites has coordinates.")))
    else:
        parts.append(muted("Set a home location in Preferences to see the nearest "
                           "recruiting sites."))
    listed = "".join(f"<tr><td>{escape(s.facility)}</td><td>{escape(s.place())}</td>"
                     f"<td>{escape(words(s.status))}</td></tr>"
                     for s in record.sites[:SITES_LISTED])
    more = len(record.sites) - SITES_LISTED
    parts.append(f"<table {TABLE_ATTRIBUTES}><tr><th align='left'>Facility</th><th align='left'>Place"
                 f"</th><th align='left'>Status</th></tr>{listed}</table>"
                 + (muted(f"… and {more} more sites") if more > 0 else ""))
    return "".join(parts)


def sites_summary(record: RecordDetails | None, trial_recruiting: bool = True) -> str:
    """'2 sites in 2 countries, 2 recruiting'; a trial that is not recruiting has no
    recruiting site, whatever its sites' own statuses say."""
    if record is None or not record.sites:
        return ""
    countries = len({s.country for s in record.sites})
    recruiting = sum(s.recruiting for s in record.sites) if trial_recruiting else 0
    return (f"{plural(len(record.sites), 'site')} in {plural(countries, 'country', 'countries')}"
            f", {recruiting} recruiting")


# -- References ---------------------------------------------------------------------------------

def references_html(references: tuple[Reference, ...], started: int | None = None) -> str:
    """The publications, results first; `started`: the study's start year, so a paper filed
    as a result but published before it is not called one (the header's rule)."""
    if not references:
        return muted("No publications listed in the registry record.")
    items = []
    for ref in sorted(references, key=lambda r: (not r.reports_results(started),
                                                 r.kind != "RESULT", r.kind or "")):
        link = (f" <a href='{escape(ref.url)}'>PMID {escape(ref.pmid or '')}</a>"
                if ref.url else "")
        items.append(f"<li><b>{escape(ref.label(started))}</b>: "
                     f"{escape(ref.citation)}{link}</li>")
    return f"<ul>{''.join(items)}</ul>"


# -- Changes ------------------------------------------------------------------------------------

def changes_html(changes: list[FieldChange], versions_seen: str) -> str:
    """The change log, newest first; `versions_seen`: '2 registry versions seen'."""
    if not changes:
        return muted("No registry changes seen yet: each sync that finds a new version of the "
                     "record lists what changed here.")
    rows = []
    for change in sorted(changes, key=lambda c: (-c.seen_at.timestamp(), c.rank)):
        flag = {"major": "<b style='color:#c62828'>major</b>", "minor": "minor",
                "initial": "first seen"}[change.significance.value]
        if change.significance.value == "initial":
            text = f"status first seen: <b>{escape(change.new_text)}</b>"
        elif change.old is not None and change.new is not None:
            text = (f"{escape(change.label)}: {escape(change.old_text)} {ARROW} "
                    f"<b>{escape(change.new_text)}</b>"
                    + (f" ({escape(change.detail)})" if change.detail else ""))
        else:
            text = escape(change.describe())
        posted = (f"<br/><small>registry update {escape(change.registry_date)}</small>"
                  if change.registry_date else "")
        rows.append(f"<tr><td>{local_day(change.seen_at)}</td><td>{flag}</td>"
                    f"<td>{text}{posted}</td></tr>")
    return (f"<p><small>{escape(versions_seen[:1].upper() + versions_seen[1:])}; "
            f"newest first.</small></p><table cellspacing='3'>{''.join(rows)}</table>")


def changes_summary(changes: list[FieldChange]) -> str:
    real = [c for c in changes if c.significance.value != "initial"]
    if not real:
        return ""
    major = sum(c.significance.value == "major" for c in real)
    return f"{len(real)} ({major} major)" if major else str(len(real))
