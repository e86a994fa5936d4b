"""Issue 9: exports cannot be turned against their readers (formula, RIS, ICS and Markdown
injection), tested with the issue's own payloads in titles, notes, tags and list names."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest

from tests.unit.test_exports import library  # noqa: F401 - the export fixture
from tracker.domain import Trial
from tracker.services.exports import export_watchlist

NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
PAYLOADS = ['=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
            "a\rBEGIN:VEVENT", "t\nER  - \nTY  - BOOK"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(params=range(len(PAYLOADS)), ids=["hyperlink", "cmd", "minus", "at", "cr",
                                                  "ris-break"])
def hostile(request, empty_library):
    payload = PAYLOADS[request.param]
    empty_library.trials.insert([Trial(
        id="NCT02242942", acronym=payload, brief_title=payload, sponsor=payload,
        summary=payload, modality="bcl2", phases=("PHASE3",), status="RECRUITING",
        primary_completion_date={"value": "2027-06", "kind": "ESTIMATED"},
        outcomes=[{"metric": "ORR", "value": payload, "arm": payload,
                   "source": {"file": "000_50fe522fa3562aed.txt", "locator": payload}}])],
        added_at=NOW)
    empty_library.notes.add("NCT02242942", payload, when=NOW)
    empty_library.tags.add("NCT02242942", [payload.replace(",", " ")])
    empty_library.watchlists.create("JC", description=payload, meeting_date=dt.date(2026, 12, 1))
    empty_library.watchlists.add("JC", ["NCT02242942"])
    return empty_library, payload


def _export(library, fmt, tmp_path):
    return export_watchlist(library, "JC", fmt, tmp_path / f"out.{fmt}", now=NOW,
                            include_notes=True).read_bytes()


def test_csv_cells_never_start_a_formula(hostile, tmp_path):
    library, payload = hostile
    rows = list(csv.reader(io.StringIO(_export(library, "csv", tmp_path).decode("utf-8-sig"),
                                       newline="")))
    cells = [cell for row in rows[1:] for cell in row]
    assert not [c for c in cells if c.startswith(FORMULA_START)]
    if payload.startswith(FORMULA_START):
        assert "'" + payload in cells  # kept, neutralised with a leading apostrophe


def test_xlsx_cells_are_text_never_formulas(hostile, tmp_path):
    from openpyxl import load_workbook

    library, payload = hostile
    book = load_workbook(io.BytesIO(_export(library, "xlsx", tmp_path)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.value)
                if isinstance(cell.value, str):
                    assert not cell.value.startswith(FORMULA_START), (sheet.title, cell.value)


def test_ris_values_stay_on_one_line(hostile, tmp_path):
    import rispy

    library, payload = hostile
    text = _export(library, "ris", tmp_path).decode()
    lines = text.split("\r\n")
    assert [line for line in lines if line.startswith(("ER  - ", "TY  - "))] == [
        "TY  - DBASE", "ER  - "]
    assert all(line[:2].isupper() and line[2:6] == "  - " for line in text.split("\r\n") if line)
    [record] = rispy.loads(text)
    assert record["type_of_reference"] == "DBASE"


def test_ics_escapes_every_control_character(hostile, tmp_path):
    from icalendar import Calendar

    library, payload = hostile
    data = _export(library, "ics", tmp_path)
    assert b"\r" not in data.replace(b"\r\n", b"")  # no lone CR anywhere
    unfolded = data.replace(b"\r\n ", b"").split(b"\r\n")
    assert unfolded.count(b"BEGIN:VEVENT") == 2  # the meeting and the primary completion
    calendar = Calendar.from_ical(data)
    assert len(list(calendar.walk("VEVENT"))) == 2


def test_markdown_cells_and_headings_cannot_be_broken(hostile, tmp_path):
    library, payload = hostile
    markdown = _export(library, "md", tmp_path).decode()
    lines = markdown.splitlines()
    table = [line for line in lines if line.startswith("|")]
    assert len(table) == 3
    assert len({len(re.findall(r"(?<!\\)\|", line)) for line in table}) == 1  # same cells
    headings = [line for line in lines if line.startswith("#")]
    assert headings[:4] == ["# JC", "## Comparison", "## Trials", headings[3]]
    assert len(headings) == 5  # list, comparison, trials, the trial, references
    for number, line in enumerate(lines[1:], 1):  # no setext underline under any text line
        if line.strip() and set(line.strip()) <= {"=", "-"} and lines[number - 1].strip():
            pytest.fail(f"setext underline at line {number}: {line!r}")
    assert "BEGIN:VEVENT" not in markdown or "a BEGIN:VEVENT" in markdown


def test_control_and_bidi_characters_never_break_or_reverse_an_export(library, tmp_path):
    """A vertical tab pasted from Word used to stop the xlsx export (XML cannot hold it); a
    right-to-left override in a title printed the rest of the line backwards."""
    import io

    from openpyxl import load_workbook

    from tracker.services.exports import export_bytes

    library.notes.add("NCT02242942", "line\x0bvertical tab, form\x0cfeed, \x1b[31mescape")
    trial = library.trials.get("NCT02242942")
    library.trials.update_registry(trial.model_copy(
        update={"brief_title": "evil \u202etxt.exe title", "last_synced_at": None}))
    book = load_workbook(io.BytesIO(export_bytes(library, "CLL – December", "xlsx",
                                                 include_notes=True)))
    cells = [str(c.value) for sheet in book for row in sheet.iter_rows() for c in row
             if c.value is not None]
    assert any("line vertical tab, form feed" in c for c in cells)
    assert not any("\u202e" in c or "\x0b" in c for c in cells)
    for fmt in ("html", "md", "csv"):
        text = export_bytes(library, "CLL – December", fmt, include_notes=True).decode(
            "utf-8-sig")
        assert "\u202e" not in text and "\x0b" not in text, fmt
