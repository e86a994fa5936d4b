"""The export dialog suggests a readable file name ("AML – December.pdf"); only characters
Windows, macOS or Linux refuse are replaced (review s10, cosmetic)."""

from __future__ import annotations

import pytest

from tracker.domain import WatchList
from tracker.domain.file_names import file_stem
from tracker.ui.dialogs.watchlist_dialogs import ExportDialog


@pytest.mark.parametrize(("name", "stem"), [
    ("AML – December", "AML – December"),
    ("CLL/SLL: 2026?", "CLL-SLL- 2026-"),
    ('Heme <JC> "club" | \\ *', "Heme -JC- -club- - - -"),
    ("  ..hidden.  ", "hidden"),
    ("CON", "CON-"),
    ("lpt1.notes", "lpt1.notes-"),
    ("tab\there", "tab-here"),
    ("///", "---"),
    ("", "watch-list"),
])
def test_a_file_stem_keeps_the_name_readable(name, stem):
    assert file_stem(name) == stem


def test_the_export_dialog_suggests_the_lists_name_as_typed(qtbot, tmp_path):
    dialog = ExportDialog([WatchList(name="AML – December")], "AML – December",
                          folder=tmp_path)
    qtbot.addWidget(dialog)
    assert dialog.path == tmp_path / "AML – December.pdf"
    dialog.format_box.setCurrentIndex(dialog.format_box.findData("xlsx"))
    assert dialog.path == tmp_path / "AML – December.xlsx"
