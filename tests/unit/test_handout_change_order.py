"""The handouts' "Changes since …" per trial: major changes (the change log's significance)
marked and listed first, newest first within major and within minor, and a legend saying
what "major" means; the same order and a Significance column in the xlsx Changes sheet; and
no change says the same thing twice."""

from __future__ import annotations

import datetime as dt
import io

from tests.unit.test_exports import NOW, library  # noqa: F401 - shared fixture
from tracker.domain.changes import FieldChange
from tracker.services.exports import export_bytes

LIST = "CLL – December"
CLL14 = "NCT02242942"


def _change(days_ago: int, field: str, old: str | None, new: str, significance: str):
    return FieldChange(trial_id=CLL14, field=field, old=old, new=new,
                       significance=significance, registry_date="2026-11-20",
                       seen_at=NOW - dt.timedelta(days=days_ago))


def _log(library) -> None:
    """As a sync would store them: a revised primary figure between minor changes; the
    fixture's status change (major) was seen a day ago."""
    library.changes.add([
        _change(5, "site", None, "Charité – Universitätsmedizin Berlin, Berlin, Germany",
                "minor"),
        _change(4, "primary_completion_date", "2027-06 (estimated)", "2028-06 (estimated)",
                "major"),
        _change(3, "reference", None, "PMID 99999999: Zeta trial. Blood. 2026.", "minor"),
        _change(2, "recruiting_sites", "China 1", "China 1; Germany 1", "minor"),
    ])


def _order(text: str, *parts: str) -> list[int]:
    return [text.index(part) for part in parts]


# newest major, older major, then newest minor … oldest minor
ORDER = ("Recruiting → Active not recruiting", "2027-06 (estimated) → 2028-06",
         "China 1 → China 1; Germany 1", "PMID 99999999", "Charité")


def test_markdown_and_html_list_major_changes_first_and_say_what_major_means(library):  # noqa: F811
    _log(library)
    markdown = export_bytes(library, LIST, "md", now=NOW).decode()
    html = export_bytes(library, LIST, "html", now=NOW).decode()
    for text in (markdown, html):
        section = text[text.index("Changes since 2026-11-20", text.index("## Trials")
                                  if text is markdown else text.index("<h2>Trials</h2>") + 80):]
        positions = _order(section, *ORDER)
        assert positions == sorted(positions), text
        legend = "major changes (status, registry listing, results posted, primary endpoint"
        assert legend in text
    assert ("- **Major:** 2026-11-25: status Recruiting → Active not recruiting (registry "
            "update 2025-05-02); ") in markdown
    assert ("- Minor: 2026-11-24: sites marked recruiting China 1 → China 1; Germany 1 "
            "(registry update 2026-11-20); ") in markdown
    assert ("<b>Major:</b> 2026-11-25: status Recruiting → Active not recruiting (registry "
            "update 2025-05-02); ") in html
    # the first page names the major changes and counts the minor ones
    summary = ("2 major changes: CLL14: status Recruiting → Active not recruiting; CLL14: "
               "primary completion 2027-06 (estimated) → 2028-06 (estimated). 3 minor changes "
               "are listed under their trials.")
    assert f"**Since 2026-11-20 (the list's previous meeting):** {summary}" in markdown
    assert markdown.index(summary) < markdown.index("## Comparison")
    assert "<b>Since 2026-11-20 (the list&#x27;s previous meeting):</b> 2 major changes" in html
    assert html.index("Recruiting → Active not recruiting; CLL14") < html.index("Comparison")


def test_pdf_lists_major_changes_first(qapp, library):  # noqa: F811
    from pypdf import PdfReader

    from tracker.ui.pdf import render_pdf

    _log(library)
    reader = PdfReader(io.BytesIO(export_bytes(library, LIST, "pdf", now=NOW,
                                               pdf_renderer=render_pdf)))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    section = text[text.index("Changes since 2026-11-20 (the list's previous meeting): Major"):]
    positions = _order(section, *ORDER)
    assert positions == sorted(positions)
    assert "major changes (status, registry listing" in text


def test_xlsx_changes_sheet_has_significance_and_puts_major_first(library):  # noqa: F811
    from openpyxl import load_workbook

    _log(library)
    sheet = load_workbook(io.BytesIO(export_bytes(library, LIST, "xlsx", now=NOW)))["Changes"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == CLL14]
    assert [(r[2], r[4]) for r in rows] == [
        ("major", "status"), ("major", "primary completion"),
        ("minor", "sites marked recruiting"),
        ("minor", "reference"), ("minor", "site")]
    legend = [c.value for c in sheet["A"] if c.value and "listed first" in str(c.value)]
    assert legend and legend[0].startswith("Major changes (status,")


def test_a_new_result_publication_says_result_once(library):  # noqa: F811
    from openpyxl import load_workbook

    library.changes.add([FieldChange(
        trial_id=CLL14, field="result_reference", old=None, detail="result",
        new="PMID 32786187 (result): DiNardo CD, et al. N Engl J Med. 2020;383(7):617-629.",
        significance="minor", seen_at=NOW - dt.timedelta(days=2))])
    said = ("result publication added: PMID 32786187 (result): DiNardo CD, et al. "
            "N Engl J Med. 2020;383(7):617-629.")
    for fmt in ("md", "html"):
        text = export_bytes(library, LIST, fmt, now=NOW).decode()
        assert said in text and "617-629. (result)" not in text, fmt
    sheet = load_workbook(io.BytesIO(export_bytes(library, LIST, "xlsx", now=NOW)))["Changes"]
    [to] = [r[6] for r in sheet.iter_rows(min_row=2, values_only=True)
            if r[4] == "result publication"]
    assert to == "PMID 32786187 (result): DiNardo CD, et al. N Engl J Med. 2020;383(7):617-629."


def test_a_value_the_record_gained_reads_none_to_it_and_an_item_reads_added(library):  # noqa: F811
    """'why stopped first seen → Safety concerns' read as if the sync had first seen the trial
    (a UI review): a value set for the first time reads '(none) →', as the detail view says
    it; an item the record gained (a site) reads 'added:', as the card's marker says it."""
    library.changes.add([
        FieldChange(trial_id=CLL14, field="why_stopped", old=None,
                    new="Safety concerns (ICANS)", significance="major",
                    seen_at=NOW - dt.timedelta(days=2)),
        FieldChange(trial_id=CLL14, field="site", old=None, new="Charité, Berlin, Germany",
                    detail="recruiting", significance="minor",
                    seen_at=NOW - dt.timedelta(days=2))])
    text = export_bytes(library, LIST, "md", now=NOW).decode()
    assert "why stopped (none) → Safety concerns (ICANS)" in text
    assert "site added: Charité, Berlin, Germany (site marked recruiting)" in text
    assert "first seen" not in text
