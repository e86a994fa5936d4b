"""The handouts write the registry dates as the detail pane does: an estimated date a trial
still under way has passed reads "(est., overdue)", judged on the handout's own (local) day;
the CSV and xlsx name such dates in a column of their own and keep the date cells dates."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import time

import pytest

from tracker.domain import Trial
from tracker.services.exports import export_bytes
from tracker.services.exports.handout import build_handout

LIST = "Overdue club"
NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)
PASSED = {"value": "2026-06", "kind": "ESTIMATED"}
AHEAD = {"value": "2028-03", "kind": "ESTIMATED"}
OVERDUE = "Primary completion 2026-06 (est., overdue)"


def _trial(trial_id: str, acronym: str, status: str) -> Trial:
    return Trial(id=trial_id, acronym=acronym, brief_title=f"{acronym} study", status=status,
                 registry_state="found", start_date={"value": "2023-01", "kind": "ACTUAL"},
                 primary_completion_date=PASSED, completion_date=AHEAD)


@pytest.fixture
def library(empty_library):
    empty_library.trials.insert([_trial("NCT05000001", "RUNNING", "RECRUITING"),
                                 _trial("NCT05000002", "DONE", "COMPLETED")])
    empty_library.watchlists.create(LIST)
    empty_library.watchlists.add(LIST, ["NCT05000001", "NCT05000002"])
    return empty_library


def _running_dates(now: dt.datetime, library) -> str:
    """The RUNNING trial's dates line in the Markdown handout made at `now`."""
    markdown = export_bytes(library, LIST, "md", now=now).decode()
    section = markdown.split("### RUNNING", 1)[1].split("### DONE", 1)[0]
    return next(line for line in section.splitlines() if "Primary completion" in line)


def _pdf_text(library) -> str:
    from pypdf import PdfReader

    from tracker.ui.pdf import render_pdf

    data = export_bytes(library, LIST, "pdf", now=NOW, pdf_renderer=render_pdf)
    return " ".join(" ".join(page.extract_text().split()) for page in
                    PdfReader(io.BytesIO(data)).pages)


def test_each_handout_marks_the_estimate_a_running_trial_has_passed(qapp, library):
    markdown = export_bytes(library, LIST, "md", now=NOW).decode()
    assert ("Start 2023-01 · Primary completion **2026-06 (est., overdue)** · Completion "
            "2028-03 (est.)") in markdown
    html = export_bytes(library, LIST, "html", now=NOW).decode()
    assert "Primary completion <b>2026-06 (est., overdue)</b> · Completion 2028-03 (est.)" \
        in html
    pdf = _pdf_text(library)
    assert OVERDUE in pdf
    for text in (markdown, html, pdf):  # a completed trial's leftover estimate is not late
        assert "Primary completion 2026-06 (est.) · Completion 2028-03 (est.)" in text
        assert text.count("(est., overdue)") == 1


def test_the_handouts_day_decides_and_it_is_the_users_local_day(library):
    june_30_noon = dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC)
    assert "overdue" not in _running_dates(june_30_noon, library)  # its last day
    july_1st_noon = dt.datetime(2026, 7, 1, 12, tzinfo=dt.UTC)
    assert "**2026-06 (est., overdue)**" in _running_dates(july_1st_noon, library)
    saved = os.environ.get("TZ", "UTC")
    os.environ["TZ"] = "LOCAL-14"  # UTC+14 (POSIX signs are reversed): noon UTC on June 30th
    time.tzset()  # is July 1st on the user's calendar
    try:
        assert build_handout(library, LIST, now=june_30_noon).day == dt.date(2026, 7, 1)
        assert "**2026-06 (est., overdue)**" in _running_dates(june_30_noon, library)
    finally:
        os.environ["TZ"] = saved
        time.tzset()


def test_csv_and_xlsx_name_overdue_estimates_in_their_own_column(library):
    from openpyxl import load_workbook

    text = export_bytes(library, LIST, "csv", now=NOW).decode("utf-8-sig")
    rows = {r["Acronym"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}
    assert rows["RUNNING"]["Overdue Estimates"] == "Primary completion 2026-06"
    assert rows["DONE"]["Overdue Estimates"] == ""
    assert rows["RUNNING"]["Primary Completion Date"] == "2026-06"  # still sorts as a date
    assert rows["RUNNING"]["Primary Completion Date Type"] == "ESTIMATED"

    book = load_workbook(io.BytesIO(export_bytes(library, LIST, "xlsx", now=NOW)))
    sheet = book["Trials"]
    header = [c.value for c in sheet[1]]
    trials = {r[1]: dict(zip(header, r, strict=True))
              for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert trials["RUNNING"]["Overdue estimates"] == "Primary completion 2026-06"
    assert trials["DONE"]["Overdue estimates"] in ("", None)
    assert trials["RUNNING"]["Primary completion date"] == dt.datetime(2026, 6, 1)
    later = export_bytes(library, LIST, "xlsx", now=dt.datetime(2026, 6, 30, 12, tzinfo=dt.UTC))
    sheet = load_workbook(io.BytesIO(later))["Trials"]
    assert all(r[header.index("Overdue estimates")] in ("", None)
               for r in sheet.iter_rows(min_row=2, values_only=True))
