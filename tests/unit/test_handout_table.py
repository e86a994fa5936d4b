"""The comparison table and trial sections of a handout, from a journal-club review:
caveats as the table's own notes, key outcomes with their comparator, N never from a
substudy, trials without figures, and each caveat printed once in a section."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from html import escape

import pytest

from tests.unit.test_exports import NOW
from tracker.domain import Trial
from tracker.services.exports import export_watchlist
from tracker.services.exports.comparison import build_comparison
from tracker.services.exports.documents import print_document, render_html
from tracker.services.exports.handout import build_handout
from tracker.services.library import refresh_curated

SEED = "000_50fe522fa3562aed.txt"
MISPRINT = "Misprint: these are median PFS in months, not 6-year rates."
NOT_PFS = "The table labels this PFS; it is event-free survival."
ONE_ARM = "One arm of a randomised trial."
WITHHELD = ("not usable as printed, so the table gives no number here (the trial's own "
            "outcomes quote the review, with its source). ")
RELABELLED = "the review labels this figure PFS; the table shows it under EFS, what it measures. "
MEDIANS = {"kind": "misprint", "why": "medians in months printed as rates"}
EFS = {"kind": "mislabel", "measures": "EFS", "why": "the 24-month EFS, labelled PFS"}


def _o(metric, value, **extra):
    return {"metric": metric, "value": value, "source": {"file": SEED, "locator": "Table 1"},
            **extra}


TRIALS = [
    Trial(id="NCT02242942", acronym="CLL14", outcomes=[
        _o("uMRD", "40%", arm="Ven-Obi"),
        _o("PFS", "76.2%", arm="Ven-Obi", timepoint="6 years", caveat=MISPRINT,
           print_fault=MEDIANS),
        _o("PFS", "36.4%", arm="Clb-Obi", timepoint="6 years", caveat=MISPRINT,
           print_fault=MEDIANS),
        _o("PFS HR", "HR 0.31–0.40", arm="Ven-Obi vs Clb-Obi", caveat=MISPRINT,
           print_fault=MEDIANS)]),
    Trial(id="NCT03391466", acronym="ZUMA-7", outcomes=[
        _o("patients", "180", arm="axi-cel"), _o("ORR", "83%", arm="axi-cel"),
        _o("PFS", "41%", arm="axi-cel", timepoint="24 months", caveat=NOT_PFS, print_fault=EFS),
        _o("OS", "61%", arm="axi-cel", timepoint="24 months", caveat=ONE_ARM)]),
    Trial(id="NCT02993523", acronym="VIALE-A", enrollment=431, enrollment_kind="ACTUAL",
          outcomes=[_o("OS", "14.7 months", arm="ven + aza", timepoint="median"),
                    _o("OS", "9.6 months", arm="placebo + aza", timepoint="median"),
                    _o("HR (OS)", "HR = 0.66, p < 0.01", arm="ven + aza vs placebo + aza")]),
    Trial(id="NCT02348216", acronym="ZUMA-1", diseases=("LBCL",), outcomes=[
        _o("patients", "11 lymphoma cases", population="biopsies at therapy failure"),
        _o("CD19 antigen loss", "three of the 11 samples (27%)")]),
    Trial(id="LOCAL-HMA-VEN-ETP-ALL", brief_title="HMA + venetoclax in R/R ETP-ALL",
          id_provenance="local", registry_state="no_registry_record",
          outcomes=[_o("patients", "n = 5"), _o("CR", "3 of 5", arm="HMA + ven")]),
    Trial(id="LOCAL-TECLISTAMAB-RRMM", brief_title="Teclistamab (product-level summary)",
          id_provenance="local", registry_state="no_registry_record",
          outcomes=[_o("ORR", "64%", kind="context")]),
]
IDS = [t.id for t in TRIALS]


@pytest.fixture
def club(empty_library):
    empty_library.trials.insert(TRIALS, added_at=NOW)
    empty_library.watchlists.create("JC", meeting_date=dt.date(2026, 12, 10))
    empty_library.watchlists.add("JC", IDS)
    return empty_library


def _export(library, fmt, tmp_path, name="JC") -> bytes:
    return export_watchlist(library, name, fmt, tmp_path / f"jc.{fmt}", now=NOW).read_bytes()


def _table(markdown: str) -> str:
    return markdown.split("## Comparison", 1)[1].split("## Trials", 1)[0]


def test_a_caveated_figure_carries_a_letter_and_the_caveat_is_printed_under_the_table(
        club, tmp_path):
    """A figure to read with care keeps its number and a letter; a misprinted one (CLL14's
    PFS pair) only points to its note, so no one copies the misprint from the table; a
    mislabelled one (ZUMA-7's "PFS" that is EFS) sits under what it measures, its note
    saying how the review labels it."""
    table = _table(_export(club, "md", tmp_path).decode())
    assert "(see caveat)" not in table and "((" not in table
    cll14 = next(line for line in table.splitlines() if line.startswith("| CLL14"))
    assert "see note a (6 years) \\[1\\]" in cll14 and "see note a (6 years; Clb-Obi)" in cll14
    assert "76.2" not in cll14 and "36.4" not in cll14
    zuma7 = next(line for line in table.splitlines() if line.startswith("| ZUMA-7"))
    header = next(line for line in table.splitlines() if line.startswith("| Trial"))
    cells = dict(zip(*([c.strip() for c in re.split(r"(?<!\\)\|", line.strip()[1:-1])]
                       for line in (header, zuma7)), strict=True))
    assert cells["EFS"] == "41%ᵇ (24 months) \\[1\\]" and cells["PFS"] == ""
    assert "61%ᶜ (24 months)" in zuma7 and "see note b" not in zuma7
    notes = [line for line in table.splitlines() if line.startswith("- ")]
    assert notes == [f"- a. CLL14 — PFS: {WITHHELD}{MISPRINT}",
                     f"- b. ZUMA-7 — EFS: {RELABELLED}{NOT_PFS}", f"- c. ZUMA-7 — OS: {ONE_ARM}"]

    html = render_html(build_handout(club, "JC", now=NOW))
    table_html, under_table = html.split("<h2>Comparison", 1)[1].split("</table>", 1)
    assert "<i>see note a</i> <small>[1]</small><br><small>6 years</small>" in table_html
    assert "76.2%" not in table_html and "41%</b><sup>b</sup>" in table_html
    assert "61%</b><sup>c</sup>" in table_html
    assert escape(f"a. CLL14 — PFS: {WITHHELD}{MISPRINT}") in under_table
    assert escape(f"b. ZUMA-7 — EFS: {RELABELLED}{NOT_PFS}") in under_table

    document = print_document(build_handout(club, "JC", now=NOW))  # the PDF's parts
    paragraphs = [p for row in document.grid.rows for cell in row for p in cell]
    assert ("italic", "see note a [1]") in paragraphs and ("value", "61%ᶜ [1]") in paragraphs
    assert ("value", "41%ᵇ [1]") in paragraphs
    assert not [text for _style, text in paragraphs if "76.2" in text]
    after_grid = (document.table_notes_html or document.html).split("<h2>Trials", 1)[0]
    assert escape(f"a. CLL14 — PFS: {WITHHELD}{MISPRINT}") in after_grid


def test_the_xlsx_comparison_sheet_has_the_notes_under_the_table_and_a_numeric_n(club,
                                                                                tmp_path):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_export(club, "xlsx", tmp_path)))["Comparison"]
    header = [c.value for c in sheet[1]]
    rows = {r[0]: dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=2, max_row=len(IDS) + 1, values_only=True)}
    assert rows["VIALE-A"]["N"] == 431 and rows["VIALE-A"]["N is"] == "registry"
    assert rows["HMA + venetoclax in R/R ETP-ALL"]["N"] == 5
    assert rows["ZUMA-1"]["N"] in ("", None)  # never the biopsy substudy's 11
    assert rows["CLL14"]["PFS"].startswith("see note a (6 years) [1]")
    assert "76.2" not in rows["CLL14"]["PFS"]
    assert rows["ZUMA-1"]["ORR"] == "No efficacy figure in the reviews"
    below = [r[0] for r in sheet.iter_rows(min_row=len(IDS) + 2, values_only=True) if r[0]]
    assert below == ["Curator's caveats", f"a. CLL14 — PFS: {WITHHELD}{MISPRINT}",
                     f"b. ZUMA-7 — EFS: {RELABELLED}{NOT_PFS}", f"c. ZUMA-7 — OS: {ONE_ARM}"]
    assert rows["ZUMA-7"]["EFS"].startswith("41%ᵇ (24 months) [1]")
    assert rows["ZUMA-7"]["PFS"] in ("", None)
    assert sheet.auto_filter.ref.endswith(str(len(IDS) + 1))  # the notes are not filtered


def test_csv_key_outcomes_read_like_the_headline_with_the_comparator_and_citation(club,
                                                                                  tmp_path):
    text = _export(club, "csv", tmp_path).decode("utf-8-sig")
    rows = {r["NCT Number"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    viale = rows["NCT02993523"]["Key Outcomes (with sources)"].splitlines()
    assert viale[0].startswith("OS 14.7 months vs 9.6 months (median; ven + aza vs placebo + "
                               "aza; [1] Han et al., Front Pharmacol 2025, Table 1)")
    assert len(viale) == 1  # 9.6 months is the comparator, not a second key outcome


def test_n_comes_from_the_registry_or_for_local_studies_from_the_review(club, tmp_path):
    rows = {r.title: r for r in build_comparison(build_handout(club, "JC", now=NOW)).rows}
    assert rows["VIALE-A"].facts == "NCT02993523 · Phase not stated · N 431 · not synced yet"
    assert rows["ZUMA-1"].n == rows["ZUMA-7"].n == ""  # not synced: no N, not "11 lymphoma"
    assert rows["ZUMA-1"].population == "LBCL"  # not the biopsy substudy's population
    assert "n = 5" in rows["HMA + venetoclax in R/R ETP-ALL"].facts
    for fmt in ("md", "html"):
        data = _export(club, fmt, tmp_path).decode()
        assert "N 11" not in data and "N n = 5" not in data and "N 180" not in data, fmt
        assert "n = 5" in data, fmt


def test_a_row_without_figures_says_so_and_many_are_listed_after_the_table(club, tmp_path):
    table = _table(_export(club, "md", tmp_path).decode())
    zuma1 = next(line for line in table.splitlines() if line.startswith("| ZUMA-1"))
    assert "| No efficacy figure in the reviews |" in zuma1
    html = _export(club, "html", tmp_path).decode()
    assert "colspan='6'" in html and html.count("No efficacy figure in the reviews</i>") == 2

    blanks = [Trial(id=f"NCT0999{n:04d}", acronym=f"Blank {n}", phases=("PHASE2",))
              for n in range(6)]
    club.trials.insert(blanks, added_at=NOW)
    club.watchlists.create("Library")
    club.watchlists.add("Library", IDS + [t.id for t in blanks])
    comparison = build_comparison(build_handout(club, "Library", now=NOW))
    assert [r.title for r in comparison.rows] == ["CLL14", "ZUMA-7", "VIALE-A",
                                                  "HMA + venetoclax in R/R ETP-ALL"]
    assert len(comparison.listed) == 8
    assert {m.label for m in comparison.metrics} == {"ORR", "CR", "MRD−", "OS", "PFS", "EFS"}
    markdown = _export(club, "md", tmp_path, "Library").decode()
    assert "| Blank 0" not in markdown
    assert ("No efficacy figure in the reviews (8 trials): ZUMA-1 · NCT02348216 · Phase not stated"
            " · not synced yet; ") in _table(markdown)
    assert "Blank 5 · NCT09990005 · Phase 2 · not synced yet." in _table(markdown)
    grid = print_document(build_handout(club, "Library", now=NOW)).grid
    assert len(grid.rows) == 4


def test_sections_print_a_shared_caveat_once_and_never_double_a_label(club, tmp_path):
    markdown = _export(club, "md", tmp_path).decode()
    trials = markdown.split("## Trials", 1)[1]
    assert trials.count(MISPRINT) == 1
    assert trials.count("(curator's caveat as for PFS 76.2% above)") == 2
    assert "OS **HR = 0.66, p &lt; 0.01**" in trials and "HR (OS)" not in trials
    # a misprint is never in a sound figure's bold, and its label is not doubled either
    assert "PFS HR 0.31–0.40 *(misprint in the review: see caveat)*" in trials
    assert trials.count("not registered") == 2  # once per local study
    assert "not registered on ClinicalTrials.gov · Phase not stated" in trials
    html = _export(club, "html", tmp_path).decode()
    sections = html.split("<h2>Trials", 1)[1]
    assert sections.count(MISPRINT) == 1 and "HR (OS)" not in sections
    assert "OS <b>HR = 0.66, p &lt; 0.01</b>" in sections
    assert sections.count("not registered") == 2


def test_one_trial_is_one_trial(club, tmp_path):
    club.watchlists.create("Solo")
    club.watchlists.add("Solo", ["NCT02993523"])
    assert "\n1 trial. Changes are reported since" in _export(club, "md", tmp_path,
                                                               "Solo").decode()
    assert "1 trial · changes since" in _export(club, "html", tmp_path, "Solo").decode()


def test_curated_cll14_and_zuma1_read_as_the_reviewer_asked(empty_library, tmp_path):
    """The library as shipped: CLL14's misprinted PFS pair pointed to in the table and
    noted under it, the unsynced ZUMA-1 without the biopsy substudy's 11 as its N."""
    refresh_curated(empty_library)
    empty_library.watchlists.create("JC")
    empty_library.watchlists.add("JC", ["NCT02242942", "NCT02348216", "NCT03548207"])
    markdown = _export(empty_library, "md", tmp_path).decode()
    table = _table(markdown)
    assert "((see caveat))" not in table and "(see caveat)" not in table
    assert "82.5%ᵇ \\[" in table  # CARTITUDE-1's CR, a figure with no other detail
    assert f"- a. CLL14 — PFS: {WITHHELD}Misprint in the review" in table
    assert "76.2" not in table.split("\n\n- a.", 1)[0]  # not in the table's rows
    assert "11 lymphoma cases" not in table
    assert markdown.split("## Trials", 1)[1].count("Misprint in the review") == 1


def test_pdf_table_columns_share_the_page_by_what_they_hold():
    from tracker.services.exports.comparison_grid import _SHARE_PER_CHARACTER, _metric_shares

    crowded = [("value", "53.6 months [1]"), ("small", "5-year follow-up (printed as ...)"),
               ("value", "54.7 months [1]"), ("small", "median · bendamustine + rituximab")]
    rows = [[[("title", "MURANO")], [("value", "62% [1]")], [], [], crowded]]
    shares = _metric_shares(["ORR", "CR/CRi", "EFS", "PFS"], rows, 0.76)
    assert abs(sum(shares) - 0.76) < 1e-9
    orr, cr_cri, efs, pfs = shares
    assert pfs > orr > efs  # the crowded column gets the most, an empty one the least
    assert orr >= len("62% [1]") * _SHARE_PER_CHARACTER  # a short figure stays on one line
    assert cr_cri >= len("CR/CRi") * _SHARE_PER_CHARACTER  # and so does every header


def _curated_club(library) -> None:
    refresh_curated(library)
    library.watchlists.create("JC")
    library.watchlists.add("JC", ["NCT03391466", "NCT02445248", "NCT02005471", "NCT02242942",
                                  "NCT00501826"])


def test_curated_zuma7_is_one_arm_of_a_randomised_trial_in_the_comparison(empty_library,
                                                                         tmp_path):
    """ZUMA-7's reviews print the axi-cel arm only: its row names the curated comparator,
    never reading as a single-arm CAR-T trial beside JULIET."""
    _curated_club(empty_library)
    rows = {r.nct_id: r for r in build_comparison(build_handout(empty_library, "JC",
                                                                  now=NOW)).rows}
    zuma7 = rows["NCT03391466"]
    assert (zuma7.intervention, zuma7.comparator) == \
        ("axicabtagene ciloleucel", "standard of care (no figures in the reviews)")
    assert rows["NCT02445248"].comparator == ""  # JULIET: single-arm
    assert rows["NCT02005471"].comparator == "bendamustine + rituximab"  # figures printed
    assert "axicabtagene ciloleucel vs standard of care (no figures in the reviews)" in \
        _table(_export(empty_library, "md", tmp_path).decode())
    grid = print_document(build_handout(empty_library, "JC", now=NOW)).grid  # the PDF's
    versus = "axicabtagene ciloleucel vs standard of care (no figures in the reviews)"
    assert ("italic", versus) in grid.rows[0][0]


def test_csv_key_outcomes_write_the_arm_once(empty_library, tmp_path):
    _curated_club(empty_library)
    text = _export(empty_library, "csv", tmp_path).decode("utf-8-sig")
    rows = {r["NCT Number"]: r["Key Outcomes (with sources)"].splitlines()
            for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert rows["NCT02005471"][1].startswith("OS 82.1% at 5 y (venetoclax + rituximab; R/R CLL;")
    assert rows["NCT02242942"][0].startswith(
        "uMRD (<10⁻⁶) 40% (venetoclax + obinutuzumab; previously untreated CLL")
    assert rows["NCT03391466"][0].startswith("CR 65% (axicabtagene ciloleucel; relapsed/")
    doubled = re.compile(r"\(([^()]+)\) \(\1[;)]")  # "(venetoclax + rituximab) (venetoclax…"
    assert not [line for lines in rows.values() for line in lines if doubled.search(line)]


def test_a_timepoint_with_its_own_bracket_is_not_bracketed_twice(empty_library):
    """A reviewer read 'see note e (6 months (as labelled in the table))'."""
    from tracker.domain import Outcome, Trial
    from tracker.services.exports import export_bytes

    source = {"file": "000_50fe522fa3562aed.txt", "locator": "Table 1"}
    empty_library.trials.insert([Trial(id="NCT02445248", acronym="JULIET", outcomes=[
        Outcome(metric="OS", value="49%", timepoint="12 months (as labelled in the table)",
                arm="tisagenlecleucel", source=source)])])
    empty_library.watchlists.create("JC")
    empty_library.watchlists.add("JC", ["NCT02445248"])
    markdown = export_bytes(empty_library, "JC", "md").decode()
    assert "49% (12 months, as labelled in the table) \\[1\\]" in markdown
    assert "(12 months, as labelled in the table; tisagenlecleucel)" in markdown
    assert "(as labelled in the table))" not in markdown
