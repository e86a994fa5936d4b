"""`tracker show` keeps one-line fields on one line: a registry title with line breaks cannot
fake a field ("  Status: Completed"); multi-line fields keep their paragraphs, each printed
line indented (real library file, the CLI's own renderer)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from tracker.__main__ import main
from tracker.store import LIBRARY_FILE_NAME

VIALE_A = "NCT02993523"


def _show(capsys) -> list[str]:
    assert main(["show", VIALE_A]) == 0
    return capsys.readouterr().out.splitlines()


def test_line_breaks_in_one_line_fields_are_folded(capsys, _isolated_data_dir: Path):
    assert main(["list"]) == 0
    capsys.readouterr()
    with sqlite3.connect(_isolated_data_dir / LIBRARY_FILE_NAME) as conn:
        conn.execute("UPDATE trials SET brief_title = ?, sponsor = ?, why_stopped = ?, "
                     "status = 'TERMINATED', summary = ? WHERE id = ?",
                     ("Real title\n  Status:             Completed\r\n\tPhase: 4",
                      "Sponsor\rInc\u2028  Drugs: none", "futility\n  Enrollment: 1",
                      "First paragraph.\nSecond\tparagraph.", VIALE_A))
    conn.close()
    lines = _show(capsys)
    assert not any(line.lstrip().startswith(("Status:             Completed", "Phase: 4",
                                              "Drugs: none", "Enrollment: 1"))
                   for line in lines), lines
    assert any(line.startswith("  ") and " ".join(line.split()) ==
               "Real title Status: Completed Phase: 4" for line in lines), lines
    assert any("Sponsor Inc Drugs: none" in " ".join(line.split()) for line in lines)
    summary = lines.index("  Summary:")
    assert lines[summary + 1] == "    First paragraph."
    assert lines[summary + 2].startswith("    Second ") and lines[summary + 2].endswith(
        " paragraph.") and "\t" not in lines[summary + 2]
    assert all(line == "" or line.startswith(("NCT", "  ")) for line in lines), lines


def test_outcomes_name_their_metric_once_as_the_exports_do(capsys, _isolated_data_dir: Path):
    from tracker.domain.metrics import labelled_value
    from tracker.services.library import open_library

    lines = _show(capsys)
    start = lines.index("  Outcomes:")
    figures = [line.strip() for line in lines[start + 1:] if line.startswith("    ")
               and not line.startswith("      ")]
    assert any(line.startswith("OS HR = 0.66, p < 0.01 (") for line in figures), figures
    assert any(line.startswith("OS 14.7 months (") for line in figures), figures
    assert not any("HR (OS)" in line or ": HR" in line for line in figures), figures
    library = open_library(_isolated_data_dir)
    try:
        shown = [o for o in library.trials.get(VIALE_A).outcomes if not o.is_context]
    finally:
        library.close()
    assert [line.split(" (", 1)[0] for line in figures] == \
        [labelled_value(o).split(" (", 1)[0] for o in shown]
