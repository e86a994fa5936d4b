"""Outside the comparison table a figure the review printed wrong never looks like a sound
one: `tracker show`, the handout's trial sections (Markdown, HTML/PDF) mark it right after
the figure, without the bold of a sound figure, and the xlsx Outcomes sheet says so in its
own column, with no Number for a misprint (a pivot never takes it) and a mislabel classed
under what it measures."""

from __future__ import annotations

import io

import pytest

from tests.unit.test_exports import NOW
from tracker.services.exports import export_bytes
from tracker.services.library import refresh_curated

LIST = "Print faults"
CLL14, ZUMA7, KARMMA = "NCT02242942", "NCT03391466", "NCT03361748"
MISPRINT = "misprint in the review: see caveat"
EFS = "labelled PFS by the review; measures EFS"


@pytest.fixture
def club(empty_library):
    refresh_curated(empty_library)
    empty_library.watchlists.create(LIST)
    empty_library.watchlists.add(LIST, [CLL14, ZUMA7, KARMMA])
    return empty_library


def test_the_trial_sections_mark_the_figure_and_keep_sound_ones_bold(club):
    markdown = export_bytes(club, LIST, "md", now=NOW).decode().split("## Trials", 1)[1]
    assert f"- PFS 76.2% *({MISPRINT})* (6 years; venetoclax + obinutuzumab;" in markdown
    assert f"- PFS 41% *({EFS})* (24 months;" in markdown
    assert "**76.2%**" not in markdown and "**41%**" not in markdown
    assert "- PFS **27.3%** (12 months;" in markdown  # KarMMa: read with care, no fault
    html = export_bytes(club, LIST, "html", now=NOW).decode().split("<h2>Trials", 1)[1]
    assert f"PFS 76.2% <i>({MISPRINT})</i> <span class='muted'>(6 years" in html
    assert f"PFS 41% <i>({EFS})</i>" in html and "<b>76.2%</b>" not in html


def test_the_xlsx_outcomes_sheet_says_which_figures_are_printed_wrong(club):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export_bytes(club, LIST, "xlsx", now=NOW)))["Outcomes"]
    header = [c.value for c in sheet[1]]
    rows = {(r[0], r[header.index("Value")]): dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)}
    misprint, mislabel = rows[(CLL14, "76.2%")], rows[(ZUMA7, "41%")]
    assert misprint["Print fault"] == MISPRINT and misprint["Number"] is None
    assert misprint["Metric (vocabulary)"] == "PFS"
    assert mislabel["Print fault"] == EFS and mislabel["Number"] == 41
    assert (mislabel["Metric (vocabulary)"], mislabel["Metric (as printed)"]) == ("EFS", "PFS")
    sound = rows[(KARMMA, "27.3%")]  # caveated, read with care
    assert sound["Print fault"] in ("", None) and sound["Number"] == 27.3


def test_tracker_show_marks_the_figure_on_its_line(capsys, _isolated_data_dir):
    from tracker.__main__ import main

    assert main(["show", CLL14]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"    PFS 76.2% ({MISPRINT}) (venetoclax + obinutuzumab / ")
               for line in lines)
    assert any(line.startswith("    uMRD") and "misprint" not in line for line in lines)
    assert main(["show", ZUMA7]) == 0
    assert f"    PFS 41% ({EFS}) (axicabtagene ciloleucel / " in capsys.readouterr().out


def test_tracker_show_json_gives_the_print_fault(capsys, _isolated_data_dir):
    import json

    from tracker.__main__ import main

    assert main(["show", "--json", ZUMA7]) == 0
    data = json.loads(capsys.readouterr().out)
    trial = data[0] if isinstance(data, list) else data
    faults = {o["value"]: o["print_fault"] for o in trial["outcomes"]}
    assert faults["41%"]["kind"] == "mislabel" and faults["41%"]["measures"] == "EFS"
    assert faults["61%"] is None
