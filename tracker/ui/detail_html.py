"""The detail view's document: outcomes and registry results first, then folding sections.

Like a reference manager's item pane: the facts a reader came for first, then Overview,
Design, Eligibility, Sites, References and Changes, each with a header that folds it (a
`fold:` link) and a one-line summary that stays visible while folded. All registry and user
text is escaped; registry markdown is rendered by Qt's own markdown reader without raw HTML.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtGui import QTextDocument

from tracker.domain.status_words import status_context
from tracker.domain.words import plural
from tracker.ui import detail_outcomes
from tracker.ui import detail_sections as sections
from tracker.ui.formatting import status_colour, status_label

if TYPE_CHECKING:
    from tracker.domain import Trial
    from tracker.domain.geo import Place
    from tracker.domain.record import RecordDetails
    from tracker.services.details import TrialDetails

FOLD_SCHEME = "fold"
#: Links that list every term of one arm's serious or other events in place, or shorten the
#: list again ("terms:serious/0": the first arm's serious events; `detail_posted.terms_key`).
TERMS_SCHEME = "terms"


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    body: str
    summary: str = ""


#: The order the sections appear in, and which are open until the reader folds them.
SECTION_ORDER = ("outcomes", "results", "adverse_events", "participants", "overview", "design",
                 "eligibility", "sites", "references", "changes")
OPEN_BY_DEFAULT = frozenset({"outcomes", "results", "adverse_events", "overview", "changes"})


def detail_html(details: TrialDetails, open_sections: frozenset[str] = OPEN_BY_DEFAULT,
                home: Place | None = None, narrow: bool = False,
                terms_in_full: frozenset[str] = frozenset()) -> str:
    """The whole document; sections not in `open_sections` show their header only.
    `narrow`: tables laid out for a narrow pane (one column where three would break words);
    `terms_in_full`: the adverse event lists shown with every term (`terms_key`)."""
    parts = [_header(details)]
    for section in build_sections(details, home, narrow, terms_in_full):
        parts.append(_section_html(section, section.key in open_sections))
    return "".join(parts)


def build_sections(details: TrialDetails, home: Place | None = None,
                   narrow: bool = False,
                   terms_in_full: frozenset[str] = frozenset()) -> list[Section]:
    trial, record = details.trial, details.record
    synced = bool(details.versions)
    results = record.results if record else None
    criteria = record.eligibility.criteria if record and record.eligibility else ""
    record_date = details.versions[-1].last_update_posted if details.versions else None
    built = [
        Section("outcomes", "Outcomes (curated)", detail_outcomes.curated_outcomes(
            trial, narrow, len(results.measures) if results else None),
                plural(len(trial.outcomes), "figure") if trial.outcomes else ""),
        Section("results", "Registry results", sections.registry_results(
            results, synced, trial.has_results, record_date,
            record.also_posted() if record else "", trial.no_results_words(record_date)),
                _results_summary(record)),
        Section("overview", "Overview", sections.overview(
            trial, markdown_fragment(trial.brief_summary) if trial.brief_summary else "")),
        Section("design", "Design", sections.design_html(record.design if record else None),
                sections.design_summary(record.design if record else None)),
        Section("eligibility", "Eligibility", sections.eligibility_html(
            record.eligibility if record else None,
            markdown_fragment(criteria) if criteria else ""),
            sections.eligibility_summary(record.eligibility if record else None)),
        Section("sites", "Sites", _sites(trial, record, home), sections.sites_summary(
            record, trial.takes_patients)),
        Section("references", "References", sections.references_html(
            record.references if record else (), start_year(trial)),
            f"{len(record.references)}" if record and record.references else ""),
        Section("changes", "Changes", sections.changes_html(details.changes,
                                                            details.versions_seen_text()),
                sections.changes_summary(details.changes)),
    ]
    built += _posted_sections(details, narrow, terms_in_full)
    if not trial.is_registered:  # a study known from the reviews only: no registry record
        built = [_unregistered(section) for section in built
                 if section.key not in REGISTRY_ONLY]
    order = {key: position for position, key in enumerate(SECTION_ORDER)}
    return sorted(built, key=lambda s: order[s.key])


#: Sections made only of the ClinicalTrials.gov record: not offered for a study that has none.
REGISTRY_ONLY = frozenset({"adverse_events", "participants", "design", "eligibility", "sites",
                           "references", "changes"})
NOT_REGISTERED = ("Not registered on ClinicalTrials.gov: this study is known from the review "
                  "articles only, so there is no registry record to sync — no posted results, "
                  "design, eligibility, sites or registry changes.")


def _posted_sections(details: TrialDetails, narrow: bool,
                     terms_in_full: frozenset[str] = frozenset()) -> list[Section]:
    """Posted adverse events, and participant flow with baseline: only when the stored record
    carries them (most trials post no results)."""
    from tracker.ui import detail_posted as posted

    record = details.record
    if record is None:
        return []
    as_of = details.versions[-1].last_update_posted if details.versions else None
    built = []
    if record.adverse_events is not None:
        built.append(Section("adverse_events", "Adverse events (posted)",
                             posted.adverse_events_html(record.adverse_events, as_of, narrow,
                                                        details.trial.id, terms_in_full),
                             posted.adverse_events_summary(record.adverse_events)))
    if record.participant_flow is not None or record.baseline is not None:
        built.append(Section("participants", "Participant flow and baseline (posted)",
                             posted.participants_html(record.participant_flow, record.baseline,
                                                      narrow),
                             posted.participants_summary(record.participant_flow,
                                                         record.baseline)))
    return built


def _results_summary(record: RecordDetails | None) -> str:
    """'4 measures posted'; 'no outcome measures; adverse events posted'."""
    if record is None or record.results is None:
        return ""
    if record.results.measures:
        return plural(len(record.results.measures), "measure") + " posted"
    also = record.also_posted()
    return f"no outcome measures{'; ' * bool(also)}{also}"


def _unregistered(section: Section) -> Section:
    """The registry results of a study with no registry record say why there are none."""
    if section.key != "results":
        return section
    return Section("results", "Registry record", sections.muted(NOT_REGISTERED),
                   "not registered")


def _section_html(section: Section, is_open: bool) -> str:
    arrow = "▾" if is_open else "▸"
    summary = f" <small style='color:gray'>— {escape(section.summary)}</small>" \
        if section.summary else ""
    head = (f"<a name='section-{section.key}'></a>"
            f"<h3><a href='{FOLD_SCHEME}:{section.key}' style='text-decoration:none'>"
            f"{arrow} {escape(section.title)}</a>{summary}</h3>")
    return head + (section.body if is_open else "")


def _header(details: TrialDetails) -> str:
    trial: Trial = details.trial
    colour = status_colour(trial.status, trial.registry_state.value).name()
    pill = (f"<span style='background:{colour};color:white;font-weight:bold'>&nbsp;"
            f"{escape(status_label(trial.status, trial.registry_state.value))}&nbsp;</span>")
    if trial.registry_state.value == "not_found" and trial.status:
        pill += f" <i>(last seen: {escape(trial.status.label)})</i>"
    elif context := status_context(trial.status, trial.last_known_status,
                                   trial.status_verified):
        pill += f" <i>({escape(context)})</i>"
    link = (f"<a href='{escape(trial.registry_url)}'>{escape(trial.id)} on ClinicalTrials.gov</a>"
            if trial.registry_url else
            f"{escape(trial.id)} <i style='color:gray'>(not registered on ClinicalTrials.gov)</i>")
    title = escape(trial.display_title)
    subtitle = f"<p>{escape(trial.brief_title)}</p>" if trial.acronym else ""
    published = ""
    started = start_year(trial)
    papers = details.record.result_references(started) if details.record else ()
    if papers:
        ref = papers[0]
        target = (f"<a href='{escape(ref.url)}'>PMID {escape(ref.pmid or '')}</a>" if ref.url
                  else escape(ref.citation[:80]))
        published = f"<p><b>Results published</b>: {target}</p>"
    return f"<h2>{title}</h2>{subtitle}<p>{pill} &nbsp; {link}</p>{published}"


def start_year(trial: Trial) -> int | None:
    head = trial.start_date.value[:4] if trial.start_date else ""
    return int(head) if head.isdigit() else None


def markdown_fragment(markdown: str) -> str:
    """Registry markdown -> an HTML fragment (Qt's reader; raw HTML in the text is not run)."""
    document = QTextDocument()
    document.setMarkdown(markdown, QTextDocument.MarkdownFeature.MarkdownNoHTML)
    html = document.toHtml()
    body = html.split("<body", 1)[-1].split(">", 1)[-1]
    return body.rsplit("</body>", 1)[0]


def _sites(trial: Trial, record: RecordDetails | None, home: Place | None) -> str:
    """The Sites section: near `home` only while the trial itself is recruiting (a
    terminated trial's record often still lists its sites as recruiting)."""
    from tracker.services.record import nearest_recruiting

    if record is None:
        return sections.muted("Sync to fetch the sites.")
    if not trial.takes_patients:
        return sections.sites_html(record, [], home,
                                   status_label(trial.status, trial.registry_state),
                                   last_record_found=trial.not_found)
    return sections.sites_html(record, nearest_recruiting(record, home) if home else [], home)
