"""The window tells how to export a list file by its menu, not the CLI's command (which the
CLI keeps) (review s10 §3.6)."""

from __future__ import annotations

import pytest

from tracker.services.importer import ImportFileError, import_file


def test_a_refused_import_names_the_windows_export_menu(qtbot, window, tmp_path):
    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    window.list_actions.import_file(empty)
    qtbot.waitUntil(lambda: getattr(window, "failure_box", None) is not None, timeout=5_000)
    box = window.failure_box
    assert box.text().endswith("is empty: it is not a watch list file; export one with "
                               "File › Export…, format JSON")
    assert "tracker export" not in box.text() and "tracker export" not in (
        window.job_bar.label.toolTip())
    assert "ImportFileError" in box.detailedText()
    box.close()


def test_the_cli_keeps_its_command(tmp_path, context):
    empty = tmp_path / "empty.json"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(ImportFileError, match="export one with `tracker export --format json`"):
        import_file(context.library, empty)
