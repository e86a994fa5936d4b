"""Journal-club exports: golden files per format, escaping, PDF pages, ICS parsing, CSV quoting."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest

from tracker.domain import StatusChange, Trial
from tracker.services.exports import ExportError, export_watchlist, render
from tracker.services.exports.handout import build_handout

GOLDEN = Path(__file__).resolve().parent.parent / "golden"
NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
NASTY = 'Ask <script>alert("x")</script>, "quoted", commas,\nnew lines & émoji 🧬'
SOURCE = {"file": "000_50fe522fa3562aed.txt", "locator": "Table 3"}


@pytest.fixture
def library(empty_library):
    empty_library.trials.insert([
        Trial(id="NCT02242942", acronym="CLL14", brief_title="Venetoclax-obinutuzumab in CLL",
              modality="bcl2", drugs=("venetoclax", "obinutuzumab"), diseases=("CLL",),
              phases=("PHASE3",), status="ACTIVE_NOT_RECRUITING", sponsor="Hoffmann-La Roche",
              enrollment=445, enrollment_kind="ACTUAL", conditions=("Chronic Lymphocytic Leukemia",),
              start_date={"value": "2014-12", "kind": "ACTUAL"},
              primary_completion_date={"value": "2027-06", "kind": "ESTIMATED"},
              completion_date={"value": "2028-01-15", "kind": "ESTIMATED"},
              last_update_posted="2025-05-02",
              outcomes=[{"metric": "PFS", "value": "76.2%", "arm": "Ven-Obi",
                         "timepoint": "4 years",
                         "source": SOURCE}]),
        Trial(id="NCT02005471", acronym="MURANO", brief_title='Venetoclax "plus" rituximab, R/R',
              modality="bcl2", phases=("PHASE3",), status="COMPLETED",
              primary_completion_date={"value": "2017-05", "kind": "ACTUAL"}),
        Trial(id="LOCAL-VENAZA-CHINA-RW", brief_title="Real-world VEN-AZA cohort",
              modality="bcl2", id_provenance="local", registry_state="no_registry_record"),
    ], added_at=NOW)
    empty_library.notes.add("NCT02242942", NASTY, when=NOW - dt.timedelta(days=2))
    empty_library.tags.add("NCT02242942", ["journal club", "CLL"])
    empty_library.history.record(StatusChange(
        trial_id="NCT02242942", old_status="RECRUITING", new_status="ACTIVE_NOT_RECRUITING",
        registry_date="2025-05-02", seen_at=NOW - dt.timedelta(days=1)))
    empty_library.watchlists.create("CLL – December", description="Fixed-duration therapy",
                                    meeting_date=dt.date(2026, 11, 20))
    empty_library.watchlists.add("CLL – December",
                                 ["NCT02242942", "NCT02005471", "LOCAL-VENAZA-CHINA-RW"])
    return empty_library


def _export(library, fmt: str, tmp_path, **options) -> bytes:
    """The list exported with its notes (asked for: they stay out unless asked)."""
    path = export_watchlist(library, "CLL – December", fmt, tmp_path / f"out.{fmt}", now=NOW,
                            exported_by="Dr. Ada Example", **{"include_notes": True, **options})
    return path.read_bytes()


@pytest.mark.parametrize("fmt", ["csv", "md", "html", "json", "ris", "ics"])
def test_export_matches_golden_file(library, tmp_path, fmt):
    produced = _export(library, fmt, tmp_path)
    golden = GOLDEN / f"cll-december.{fmt}"
    if os.environ.get("UPDATE_GOLDEN"):
        golden.write_bytes(produced)
    assert produced == golden.read_bytes(), f"regenerate with UPDATE_GOLDEN=1 after review: {fmt}"


def test_csv_uses_registry_column_names_and_quotes_correctly(library, tmp_path):
    text = _export(library, "csv", tmp_path).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert list(rows[0])[:4] == ["NCT Number", "Study Title", "Acronym", "Study Status"]
    assert rows[0]["Notes"] == NASTY
    assert rows[1]["Study Title"] == 'Venetoclax "plus" rituximab, R/R'
    assert rows[0]["Primary Completion Date"] == "2027-06"  # ISO only, so the column sorts
    assert rows[0]["Primary Completion Date Precision"] == "month"
    assert rows[0]["Primary Completion Date Type"] == "ESTIMATED"
    assert "76.2%" in rows[0]["Key Outcomes (with sources)"]
    assert "Table 3" in rows[0]["Key Outcomes (with sources)"]


def test_no_notes_leaves_notes_out_of_every_format(library, tmp_path):
    for fmt in ("csv", "md", "html", "json"):
        assert b"alert" not in _export(library, fmt, tmp_path, include_notes=False), fmt


def test_html_escapes_user_and_registry_text(library, tmp_path):
    html = _export(library, "html", tmp_path).decode()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "🧬" in html and "émoji" in html
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html  # one self-contained file
    assert "http" not in html.split("<body>")[0]  # nothing loaded from elsewhere


def test_markdown_keeps_script_inert_and_tables_intact(library, tmp_path):
    markdown = _export(library, "md", tmp_path).decode()
    assert "<script>" not in markdown and "&lt;script&gt;" in markdown
    table_rows = [line for line in markdown.splitlines() if line.startswith("| ")]
    assert len(table_rows) == 4 and all(line.count(" | ") == 7 for line in table_rows)
    assert "Changes since 2026-11-20 (the list's previous meeting)" in markdown
    assert "Recruiting → Active not recruiting" in markdown


def test_since_option_limits_reported_changes(library, tmp_path):
    markdown = _export(library, "md", tmp_path, since=dt.date(2026, 11, 26)).decode()
    assert ("Changes since 2026-11-26 (the date chosen for this export): none recorded"
            in markdown)


def test_pdf_keeps_a_short_lists_sections_on_the_first_page_with_a_footer(qapp, library,
                                                                          tmp_path):
    from pypdf import PdfReader

    from tracker.ui.pdf import render_pdf

    data = _export(library, "pdf", tmp_path, pdf_renderer=render_pdf)
    reader = PdfReader(io.BytesIO(data))
    # three compact sections fit under the comparison table (with their registry dates the
    # reference list no longer does: it follows on page 2)
    assert len(reader.pages) == 2
    first = " ".join(reader.pages[0].extract_text().split())
    for trial_id in ("NCT02242942", "NCT02005471", "LOCAL-VENAZA-CHINA-RW"):
        assert f"({trial_id})" in first
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "Page 1 of 2" in text and "CLL – December" in text
    flat = " ".join(text.split())
    assert '<script>alert("x")</script>, "quoted", commas,' in flat  # shown as text


def test_pdf_without_a_renderer_is_a_clear_error(library, tmp_path):
    with pytest.raises(ExportError, match="PDF export needs"):
        _export(library, "pdf", tmp_path)
    assert not (tmp_path / "out.pdf").exists()


def test_ics_has_the_meeting_and_one_event_per_upcoming_milestone(library, tmp_path):
    from icalendar import Calendar

    calendar = Calendar.from_ical(_export(library, "ics", tmp_path))
    events = [c for c in calendar.walk("VEVENT")]
    summaries = sorted(str(e["SUMMARY"]) for e in events)
    assert summaries == ["CLL14 (NCT02242942): completion (estimated)",
                         "CLL14 (NCT02242942): primary completion (estimated)",
                         "Journal club: CLL – December (3 trials)"]
    starts = sorted(e["DTSTART"].dt for e in events)
    assert starts == [dt.date(2026, 11, 20), dt.date(2027, 6, 1), dt.date(2028, 1, 15)]
    milestones = [e for e in events if "completion" in str(e["SUMMARY"])]
    assert all(str(e["STATUS"]) == "TENTATIVE" for e in milestones)
    meeting = next(e for e in events if str(e["SUMMARY"]).startswith("Journal club"))
    description = str(meeting["DESCRIPTION"])
    assert ("MURANO (NCT02005471): Status: Completed. "
            "https://clinicaltrials.gov/study/NCT02005471") in description
    assert "LOCAL-VENAZA-CHINA-RW): not registered" in description



def test_ics_meeting_of_a_list_named_journal_club_does_not_repeat_the_prefix(library, tmp_path):
    from icalendar import Calendar

    library.watchlists.create("Journal club – BCL-2, CAR-T", meeting_date=dt.date(2026, 12, 10))
    library.watchlists.add("Journal club – BCL-2, CAR-T", ["NCT02005471"])
    path = export_watchlist(library, "Journal club – BCL-2, CAR-T", "ics", tmp_path / "jc.ics",
                            now=NOW)
    [event] = Calendar.from_ical(path.read_bytes()).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Journal club – BCL-2, CAR-T (1 trial)"
    assert str(event["DESCRIPTION"]).splitlines()[0] == "Journal club – BCL-2, CAR-T"

def test_ris_has_one_record_per_trial(library, tmp_path):
    text = _export(library, "ris", tmp_path).decode()
    assert text.count("TY  - DBASE") == 2 and text.count("TY  - GEN") == 1  # local: no registry
    assert text.count("ER  - ") == 3
    assert "AN  - NCT02242942" in text and "UR  - https://clinicaltrials.gov/study/NCT02242942" in text


def test_unknown_list_or_format_is_a_clear_error(library, tmp_path):
    from tracker.store import WatchListError

    with pytest.raises(WatchListError, match="no watch list named"):
        export_watchlist(library, "Nope", "csv", tmp_path / "x.csv")
    with pytest.raises(ExportError, match="unknown export format"):
        render(build_handout(library, "CLL – December"), "docx")


def test_json_export_is_versioned_and_documented_shape(library, tmp_path):
    data = json.loads(_export(library, "json", tmp_path))
    assert (data["format"], data["version"]) == ("trial-tracker-watchlist", 1)
    assert data["watchlist"] == {"name": "CLL – December", "description": "Fixed-duration therapy",
                                 "meeting_date": "2026-11-20"}
    first = data["trials"][0]
    assert first["notes"][0]["author"] == "Dr. Ada Example"
    assert first["notes"][0]["body"] == NASTY
    assert first["tags"] == ["CLL", "journal club"]
    assert first["status_history"][0]["new_status"] == "ACTIVE_NOT_RECRUITING"


LOGIN = "zz-login-kqv"


def _readable(fmt: str, data: bytes) -> str:
    """The text a colleague's program would find in the file (xlsx unzipped, PDF extracted)."""
    import zipfile

    from pypdf import PdfReader

    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            return "".join(book.read(name).decode() for name in book.namelist())
    if fmt == "pdf":
        reader = PdfReader(io.BytesIO(data))
        return str(reader.metadata) + "".join(page.extract_text() for page in reader.pages)
    return data.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "md", "html", "json", "ris", "ics", "pdf"])
def test_no_author_name_set_never_writes_the_login_name(qapp, library, tmp_path, monkeypatch,
                                                        fmt):
    from tracker.ui.pdf import render_pdf

    for variable in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # what getpass.getuser reads
        monkeypatch.setenv(variable, LOGIN)
    path = export_watchlist(library, "CLL – December", fmt, tmp_path / f"out.{fmt}", now=NOW,
                            exported_by=None, pdf_renderer=render_pdf)
    text = _readable(fmt, path.read_bytes())
    assert "CLL14" in text and LOGIN not in text


def test_json_without_an_author_name_has_null_exported_by_and_still_imports(library, tmp_path):
    from tracker.services.importer import import_file
    from tracker.store import LIBRARY_FILE_NAME, Library

    path = export_watchlist(library, "CLL – December", "json", tmp_path / "x.json", now=NOW,
                            include_notes=True)
    data = json.loads(path.read_text())
    assert data["exported_by"] is None
    assert data["trials"][0]["notes"][0]["author"] == "a colleague"  # not the user's login
    colleague = Library(tmp_path / "c" / LIBRARY_FILE_NAME)
    try:
        import_file(colleague, path)
        [note] = colleague.notes.for_trial("NCT02242942")
        assert note.author == "a colleague" and note.body == NASTY
    finally:
        colleague.close()


def test_handouts_give_a_status_what_it_needs_beside_it(library, tmp_path):
    """An Unknown status names its last known one, an open status verified years ago says so,
    and a trial the registry no longer lists is not shown with its last-seen status as if
    current: in the Markdown and HTML handouts (facts line and table) and the spreadsheet."""
    from openpyxl import load_workbook

    library.trials.insert([
        Trial(id="NCT02348216", acronym="ZUMA-1", brief_title="Axi-cel in refractory LBCL",
              modality="car-t", status="UNKNOWN", last_known_status="ACTIVE_NOT_RECRUITING",
              status_verified="2019-12", registry_state="found"),
        Trial(id="NCT04628494", acronym="EPCORE NHL-2", brief_title="Epcoritamab combinations",
              modality="bispecific", status="RECRUITING", status_verified="2022-09",
              registry_state="found"),
        Trial(id="NCT03361748", acronym="KarMMa", brief_title="Ide-cel in RRMM",
              modality="car-t", status="RECRUITING", registry_state="not_found"),
    ], added_at=NOW)
    library.watchlists.add("CLL – December", ["NCT02348216", "NCT04628494", "NCT03361748"])
    markdown = _export(library, "md", tmp_path).decode()
    html = _export(library, "html", tmp_path).decode()
    for text in (markdown, html):
        assert ("Unknown (last known: Active not recruiting; last verified 2019-12)"
                in text)
        assert "Recruiting — last verified 2022-09" in text
        assert "Not found in the registry (last seen: Recruiting)" in text
    sheet = load_workbook(io.BytesIO(_export(library, "xlsx", tmp_path)))["Trials"]
    statuses = {row[0]: (row[3], row[4])
                for row in sheet.iter_rows(min_row=2, values_only=True)}
    # the status alone, to filter by; what it needs beside it in the next column
    assert statuses["NCT02348216"] == (
        "Unknown", "last known: Active not recruiting; last verified 2019-12")
    assert statuses["NCT04628494"] == ("Recruiting", "last verified 2022-09")
    assert statuses["NCT03361748"] == ("Not found in the registry (last seen: Recruiting)",
                                       None)


def test_handouts_say_why_a_stopped_trial_stopped(library, tmp_path):
    """A suspended or terminated trial's sponsor's reason is a safety fact: in the facts
    line of every handout; a recruiting trial with a stale reason shows none."""
    library.trials.insert([
        Trial(id="NCT04272151", acronym="BCMA-X", brief_title="BCMA CAR-T in RRMM",
              modality="car-t", status="SUSPENDED", registry_state="found",
              why_stopped="Sponsor paused enrolment after two grade 5 ICANS events"),
        Trial(id="NCT04272152", acronym="BCMA-Y", brief_title="Another BCMA CAR-T",
              modality="car-t", status="RECRUITING", registry_state="found",
              why_stopped="An old reason the registry still carries")], added_at=NOW)
    library.watchlists.add("CLL – December", ["NCT04272151", "NCT04272152"])
    said = "why stopped: Sponsor paused enrolment after two grade 5 ICANS events"
    for fmt in ("md", "html"):
        text = _export(library, fmt, tmp_path).decode()
        assert said in text and "An old reason" not in text, fmt


def test_the_dialog_words_name_the_date_the_handout_takes(empty_library):
    from tracker.services.exports.handout import default_window_words

    today = dt.datetime.now(dt.UTC).date()
    met = today - dt.timedelta(days=10)
    empty_library.watchlists.create("Board", meeting_date=met)
    handout = build_handout(empty_library, "Board")
    assert handout.window.since == met
    assert default_window_words(empty_library.watchlists.get("Board"), today) == \
        f"since the list's previous meeting ({met.isoformat()})"


def test_the_spreadsheets_changes_header_is_not_bracketed_twice(library, tmp_path):
    """A reviewer read 'Seen (changes since 2026-11-20 (the list's previous meeting))'."""
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(_export(library, "xlsx", tmp_path)))["Changes"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    assert "Seen (changes since 2026-11-20, the list's previous meeting)" in header
