"""The handout's safety table: posted adverse events from the loopback registry, stored in a
real library file, exported as HTML, PDF, Markdown and xlsx; the one line for a trial without
posted adverse events; the row and column caps."""

from __future__ import annotations

import datetime as dt
import io
from html.parser import HTMLParser

import pytest

from tests.fakes.clients import fast_client
from tests.fakes.demo_records import with_demo_results
from tests.fakes.demo_safety import AXI, PBO, SOC, VEN, car_t_results
from tests.fakes.server import FakeCtgov
from tests.fakes.studies import make_study
from tests.unit.test_posted_safety import CAR_T, VIALE_A, car_t_study
from tracker.domain import Trial
from tracker.domain.adverse_events import AdverseEvent, AdverseEvents, EventCount, EventGroup
from tracker.domain.adverse_events import Proportion as P
from tracker.domain.safety_table import safety_table
from tracker.services.details import TrialDetails
from tracker.services.exports import export_watchlist
from tracker.services.exports.handout import HandoutTrial, PostedSafety, build_handout
from tracker.services.exports.safety import SPECIAL, safety_html
from tracker.services.registry import RegistryService

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
ONGOING, NO_AE, UNFETCHED, LOCAL = ("NCT04000003", "NCT04000005", "NCT04000004",
                                    "LOCAL-CART-RW")
FREQUENT = "Serious, the most frequent others"
OTHER = "Other (non-serious, posted above 5%), of special interest"


@pytest.fixture
def safety_library(empty_library):
    """CAR-T and VIALE-A with posted adverse events, a recruiting trial without results, one
    whose results carry no adverse events module, one flagged as having results whose
    results were never fetched, and a study with no registry record."""
    no_ae = make_study(NO_AE, acronym="FLOW-ONLY", status="COMPLETED", has_results=True)
    no_ae["resultsSection"] = {"participantFlowModule": car_t_results()["participantFlowModule"]}
    studies = [car_t_study(), with_demo_results(make_study(VIALE_A, acronym="VIALE-A")),
               make_study(ONGOING, acronym="ONGOING-1"), no_ae]
    with FakeCtgov(studies) as server, fast_client(server) as client:
        added = RegistryService(empty_library, client).add([CAR_T, VIALE_A, ONGOING, NO_AE])
    assert sorted(added.added) == sorted([CAR_T, VIALE_A, ONGOING, NO_AE])
    empty_library.trials.insert([
        Trial(id=UNFETCHED, acronym="UNFETCHED", has_results=True, status="COMPLETED"),
        Trial(id=LOCAL, brief_title="Real-world CAR-T cohort", id_provenance="local",
              registry_state="no_registry_record")], added_at=NOW)
    empty_library.watchlists.create("Safety JC", meeting_date=dt.date(2026, 12, 10))
    empty_library.watchlists.add("Safety JC", [CAR_T, VIALE_A, ONGOING, NO_AE, UNFETCHED,
                                               LOCAL])
    return empty_library


def _export(library, fmt, tmp_path, **options) -> bytes:
    return export_watchlist(library, "Safety JC", fmt, tmp_path / f"jc.{fmt}", now=NOW,
                            **options).read_bytes()


class _Tables(HTMLParser):
    """The rows (cell texts) of every `table.safety`, and the text outside them."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.depth = 0
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "table" and "safety" in (dict(attrs).get("class") or ""):
            self.tables.append([])
            self.depth = 1
        elif self.depth and tag == "tr":
            self.tables[-1].append([])
        elif self.depth and tag in ("td", "th"):
            self.tables[-1][-1].append("")

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            self.depth = 0

    def handle_data(self, data):
        if self.depth and self.tables[-1] and self.tables[-1][-1]:
            self.tables[-1][-1][-1] += data
        else:
            self.text.append(data)


def _section(html: str, trial_id: str) -> _Tables:
    start = html.index(f"({trial_id})</span></h3>")
    end = html.find("<div class='trial'>", start)
    parser = _Tables()
    parser.feed(html[start:end if end > 0 else None])
    parser.text = [" ".join("".join(parser.text).split())]
    return parser


def test_html_table_per_arm_with_counts_shares_and_a_citable_source(safety_library, tmp_path):
    html = _export(safety_library, "html", tmp_path).decode()
    car_t = _section(html, CAR_T)
    assert car_t.tables == [[
        ["Safety posted on ClinicalTrials.gov", AXI, SOC],
        ["Any serious adverse event", "85/170 (50.0%)", "77/168 (45.8%)"],
        [SPECIAL],
        ["Cytokine release syndrome", "28/170 (16.5%)", "0/168 (0.0%)"],
        ["Immune effector cell-associated neurotoxicity syndrome", "5/170 (2.9%)",
         "0/168 (0.0%)"],
        ["Febrile neutropenia", "4/170 (2.4%)", "18/168 (10.7%)"],  # sent as text "18"
        ["Encephalopathy", "17/170 (10.0%)", "1/168 (0.6%)"],
        ["Pneumonia", "8/170 (4.7%)", "—/168"]]]  # the number affected left out
    text = car_t.text[0]
    assert ("Source: ClinicalTrials.gov NCT05000001, results as of the registry update of "
            "2025-01-15; time frame: Up to 5 years.") in text
    # the event with no term and no usable count is no row, but it is counted
    assert "… and 1 more serious event term posted." in text


def test_the_cap_keeps_class_toxicities_and_counts_the_terms_left_out(safety_library,
                                                                      tmp_path):
    html = _export(safety_library, "html", tmp_path).decode()
    (table,) = _section(html, VIALE_A).tables
    assert table[0] == ["Safety posted on ClinicalTrials.gov", VEN, PBO]
    assert table[1] == ["Any serious adverse event", "235/283 (83.0%)", "105/144 (72.9%)"]
    labels = [row[0] for row in table if len(row) == 1]
    assert labels == [SPECIAL, FREQUENT, OTHER]
    special = table[3:table.index([FREQUENT])]
    frequent = table[table.index([FREQUENT]) + 1:table.index([OTHER])]
    # tumour lysis is the 14th serious event by frequency: listed first all the same
    assert special[0] == ["Tumour lysis syndrome", "3/283 (1.1%)", "0/144 (0.0%)"]
    assert [row[0] for row in special] == ["Tumour lysis syndrome", "Febrile neutropenia",
                                           "Pneumonia", "Sepsis", "Urinary tract infection",
                                           "Septic shock"]
    assert [row[0] for row in frequent] == ["Anaemia", "Atrial fibrillation",
                                            "Thrombocytopenia", "Pyrexia"]
    assert table[table.index([OTHER]) + 1:] == [
        ["Febrile neutropenia", "118/283 (41.7%)", "27/144 (18.8%)"]]
    shown = {row[0] for row in table}
    assert not {"Lung infection", "Cellulitis", "Neutropenia", "Fall"} & shown
    assert "… and 4 more serious event terms posted." in _section(html, VIALE_A).text[0]


def test_a_trial_without_posted_adverse_events_gets_one_line_never_an_empty_table(
        safety_library, tmp_path):
    html = _export(safety_library, "html", tmp_path).decode()
    lines = {trial_id: _section(html, trial_id) for trial_id in (ONGOING, NO_AE, UNFETCHED,
                                                                  LOCAL)}
    assert all(section.tables == [] for section in lines.values())
    assert ("Safety: no results posted on ClinicalTrials.gov (registry record of 2025-01-15)."
            in lines[ONGOING].text[0])
    assert ("Safety: the posted results (registry update of 2025-01-15) carry no adverse "
            "events." in lines[NO_AE].text[0])
    assert ("Safety: results are posted on ClinicalTrials.gov but not stored in this library "
            "yet; sync, then export again" in lines[UNFETCHED].text[0])
    assert "Safety" not in lines[LOCAL].text[0]  # no registry record: nothing to say
    assert html.count("<table class='grid safety'") == 2


def test_pdf_text_has_the_tables_rows_source_and_the_no_results_line(qapp, safety_library,
                                                                     tmp_path):
    from pypdf import PdfReader

    from tracker.ui.pdf import render_pdf

    data = _export(safety_library, "pdf", tmp_path, pdf_renderer=render_pdf)
    text = " ".join(" ".join(page.extract_text().split())
                    for page in PdfReader(io.BytesIO(data)).pages)
    assert (f"Safety posted on ClinicalTrials.gov {AXI} {SOC} Any serious adverse event "
            "85/170 (50.0%) 77/168 (45.8%)") in text
    assert "Cytokine release syndrome 28/170 (16.5%) 0/168 (0.0%)" in text
    assert "Pneumonia 8/170 (4.7%) —/168" in text
    assert "Tumour lysis syndrome 3/283 (1.1%) 0/144 (0.0%)" in text
    assert "Pyrexia 6/283 (2.1%) 5/144 (3.5%)" in text and "Cellulitis" not in text
    assert ("Source: ClinicalTrials.gov NCT02993523, results as of the registry update of "
            "2026-02-27") in text
    assert "… and 4 more serious event terms posted." in text
    assert ("Safety: no results posted on ClinicalTrials.gov (registry record of 2025-01-15)."
            in text)
    assert text.count("Safety posted on ClinicalTrials.gov") == 2
    # each trial section whole: the table is no heading that would cut it from its trial
    assert text.index("(NCT05000001)") < text.index("85/170") < text.index(
        "Changes since", text.index("85/170"))


def test_markdown_has_the_table_and_the_source(safety_library, tmp_path):
    markdown = _export(safety_library, "md", tmp_path).decode()
    lines = markdown.splitlines()
    head = lines.index(f"| Safety posted on ClinicalTrials.gov | {AXI} | {SOC} |")
    assert lines[head + 1] == "|---|---|---|"
    assert lines[head + 2] == ("| **Any serious adverse event** | 85/170 (50.0%) | "
                               "77/168 (45.8%) |")
    assert "| Cytokine release syndrome | 28/170 (16.5%) | 0/168 (0.0%) |" in lines
    assert any(line.startswith("Source: ClinicalTrials.gov NCT05000001, results as of the "
                               "registry update of 2025-01-15") for line in lines)
    rows = lines[head + 2:lines.index("", head)]
    assert len(rows) == 7 and all(line.count(" | ") == 2 for line in rows)  # rows intact


def test_xlsx_adverse_events_sheet_has_every_posted_term_per_arm(safety_library, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_export(safety_library, "xlsx", tmp_path)))
    sheet = book["Adverse events"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, values, strict=True))
            for values in sheet.iter_rows(min_row=2, values_only=True)]
    # every arm's totals and every posted count: 2 arms x (3 totals + 14 serious + 14 other)
    assert sum(r["NCT id"] == VIALE_A for r in rows) == 62
    assert {r["NCT id"] for r in rows} == {CAR_T, VIALE_A}
    crs = next(r for r in rows if r["Term"] == "Cytokine release syndrome"
               and r["Arm"] == AXI)
    assert (crs["Kind"], crs["Affected"], crs["At risk"], crs["Events"]) == (
        "serious", 28, 170, 28)
    assert crs["% affected"] == pytest.approx(28 / 170)
    assert crs["Of special interest"] == "yes" and crs["Registry update"].date() == dt.date(
        2025, 1, 15)
    left_out = next(r for r in rows if r["Term"] == "Pneumonia" and r["Arm"] == SOC)
    assert left_out["Affected"] is None and left_out["% affected"] is None
    total = next(r for r in rows if r["Term"] == "Any serious adverse event"
                 and r["Arm"] == VEN)
    assert (total["Kind"], total["Affected"], total["At risk"]) == ("arm total", 235, 283)
    assert sheet["J2"].number_format == "0.0%" and sheet.auto_filter.ref.startswith("A1:")


def test_the_newest_record_with_results_is_used_with_its_own_update_date(empty_library):
    """A later version without the results section (the results pass failed) does not hide
    the posted adverse events, and the date shown is the one they are from."""
    with FakeCtgov([car_t_study()]) as server, fast_client(server) as client:
        RegistryService(empty_library, client).add([CAR_T])
    later = make_study(CAR_T, last_update="2025-03-01", has_results=True)
    assert empty_library.versions.add(CAR_T, later, "2025-03-01", NOW)
    empty_library.watchlists.create("One")
    empty_library.watchlists.add("One", [CAR_T])
    (item,) = build_handout(empty_library, "One", now=NOW).trials
    assert item.safety.as_of == "2025-01-15"
    assert item.safety.table.any_serious() == ["85/170 (50.0%)", "77/168 (45.8%)"]


def _event(term, organ, *affected, at_risk=100):
    return AdverseEvent(term=term, organ_system=organ, counts=tuple(
        EventCount(f"A{n}", a, at_risk) for n, a in enumerate(affected)))


def test_caps_rows_and_columns_for_a_posting_with_many_terms_and_arms():
    arms = tuple(EventGroup(f"A{n}", f"Dose level {n + 1}", serious=P(40 + n, 100))
                 for n in range(7))
    infections = [_event(f"Infection {n:02d}", "Infections and infestations", *[30 - n] * 7)
                  for n in range(20)]
    rest = [_event(f"Event {n:02d}", "General disorders", *[50 - n] * 7) for n in range(15)]
    crs = _event("Cytokine release syndrome", "Immune system disorders", 1, 0, 0, 0, 0, 0, 0)
    nasty = _event("<script>x</script>", "General disorders", 99, 99, 99, 99, 99, 99, 99)
    events = AdverseEvents(groups=arms, serious=(*infections, *rest, crs, nasty),
                           other=tuple(_event(f"Infection {n:02d}", "Infections and "
                                              "infestations", *[60 - n] * 7) for n in range(5)))
    table = safety_table(events)
    assert [arm.title for arm in table.arms] == [f"Dose level {n}" for n in range(1, 6)]
    assert [arm.title for arm in table.arms_left_out] == ["Dose level 6", "Dose level 7"]
    # the rarest event is listed first: a class toxicity; then the most frequent infections
    assert [r.event.term for r in table.special] == ["Cytokine release syndrome",
                                                     *(f"Infection {n:02d}" for n in range(5))]
    assert table.special[0].texts() == ["1/100 (1.0%)", "0/100 (0.0%)", "0/100 (0.0%)",
                                        "0/100 (0.0%)", "0/100 (0.0%)"]
    assert [r.event.term for r in table.frequent] == ["<script>x</script>", "Event 00",
                                                      "Event 01", "Event 02"]
    assert table.serious_left_out == 20 + 15 + 2 - 10
    assert len(table.special_other) == 3 and table.other_left_out == 2
    item = HandoutTrial(TrialDetails(Trial(id="NCT09999999")), [],
                        PostedSafety(events, "2026-01-02"))
    html = safety_html(item)
    assert html.count("<tr>") == 1 + 1 + 3 + 6 + 4 + 3  # head, any, labels, rows
    assert "<script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
    assert ("… and 27 more serious event terms and 2 more other events of special interest "
            "posted. Arms not shown (2 more): Dose level 6; Dose level 7.") in html


def test_arms_sharing_one_group_id_get_no_event_counts_in_the_table():
    """The record files Arm B's and Arm C's events under one id: neither arm's cells take
    them (they would show the same counts twice); their own totals stay; a line says why."""
    arms = (EventGroup("A0", "Arm A", serious=P(3, 10)),
            EventGroup("A1", "Arm B", serious=P(3, 40)),
            EventGroup("A1", "Arm C", serious=P(7, 9)))
    crs = _event("Cytokine release syndrome", "Immune system disorders", 2, 5)  # A0, A1
    table = safety_table(AdverseEvents(groups=arms, serious=(crs,), other=()))
    assert table.special[0].texts() == ["2/100 (2.0%)", "—", "—"]
    assert table.any_serious() == ["3/10 (30.0%)", "3/40 (7.5%)", "7/9 (77.8%)"]
    assert [arm.title for arm in table.shared_arms] == ["Arm B", "Arm C"]
    item = HandoutTrial(TrialDetails(Trial(id="NCT09999999")), [],
                        PostedSafety(AdverseEvents(groups=arms, serious=(crs,), other=()),
                                     "2026-01-02"))
    assert ("Event counts not shown for Arm B; Arm C: the record files them under one group "
            "id shared by these arms.") in safety_html(item)


def test_a_trial_with_registry_results_but_no_review_figure_is_not_called_figureless(
        safety_library, tmp_path):
    """CAR-T vs SOC has no figure from the reviews but posted results: the handouts say
    where its results are instead of 'No efficacy figure in the reviews' (as the card does)."""
    from openpyxl import load_workbook

    said = "No efficacy figure from the reviews · registry results posted"
    html = _export(safety_library, "html", tmp_path)
    markdown = _export(safety_library, "md", tmp_path).decode()
    assert said in html.decode() and said in markdown
    assert "ONGOING-1" in markdown  # a trial without results still reads as before
    assert "No efficacy figure in the reviews" in markdown
    # a trial with a review figure gives the comparison sheet a metric column
    safety_library.trials.insert([Trial(id="NCT04000009", acronym="WITH-ORR", outcomes=[
        {"metric": "ORR", "value": "73%", "source": {"file": "000_50fe522fa3562aed.txt",
                                                    "locator": "Table 1"}}])])
    safety_library.watchlists.add("Safety JC", ["NCT04000009"])
    sheet = load_workbook(io.BytesIO(_export(safety_library, "xlsx", tmp_path)))["Comparison"]
    header = [c.value for c in sheet[1]]
    orr = {row[1]: row[header.index("ORR")]
           for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert orr[CAR_T] == said and orr[ONGOING] == "No efficacy figure in the reviews"
