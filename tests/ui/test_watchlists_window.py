"""Watch lists in the window: create, drag cards onto a list, reorder, export, import, delete."""

from __future__ import annotations

from PySide6.QtCore import QPointF, Qt, QTimer
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QMessageBox

from tracker.services import watchlists as lists


def _create(qtbot, window, name: str, ids: list[str] | None = None) -> None:
    window.controller.change_lists(lists.create_list, name)
    qtbot.waitUntil(lambda: window.tree.item_for(_criteria(window, name)) is not None,
                    timeout=5_000)
    if ids:
        window.list_actions.add_to(name, ids)
        qtbot.waitUntil(lambda: len(window.context.library.watchlists.get(name).trial_ids)
                        == len(ids), timeout=5_000)


def _criteria(window, name: str) -> dict:
    found = [w for w in window.watchlists() if w.name == name]
    return {"watchlist_id": found[0].id, "watchlist_name": name} if found else {"none": 1}


def test_dropping_cards_on_a_list_adds_them(qtbot, window):
    _create(qtbot, window, "CLL – December")
    rows = [window.model.row_of("NCT02242942"), window.model.row_of("NCT02005471")]
    mime = window.model.mimeData([window.model.index(r) for r in rows])
    item = window.tree.item_for(_criteria(window, "CLL – December"))
    window.tree.scrollToItem(item)
    point = QPointF(window.tree.visualItemRect(item).center())
    event = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.tree.dropEvent(event)
    qtbot.waitUntil(lambda: window.context.library.watchlists.get("CLL – December").trial_ids
                    == ("NCT02242942", "NCT02005471"), timeout=5_000)
    qtbot.waitUntil(lambda: "(2)" in window.tree.item_for(
        _criteria(window, "CLL – December")).text(0), timeout=5_000)


def test_clicking_a_list_shows_its_trials_in_list_order_and_moves_reorder(qtbot, window):
    _create(qtbot, window, "Myeloma", ["NCT03548207", "NCT03361748"])
    item = window.tree.item_for(_criteria(window, "Myeloma"))
    window.tree.itemClicked.emit(item, 0)
    qtbot.waitUntil(lambda: window.model.visible_ids() == ["NCT03548207", "NCT03361748"],
                    timeout=5_000)
    window.list_actions.move("Myeloma", ["NCT03361748"], -1)
    qtbot.waitUntil(lambda: window.model.visible_ids() == ["NCT03361748", "NCT03548207"],
                    timeout=5_000)


def test_export_from_the_window_writes_a_pdf_handout(qtbot, window, tmp_path):
    from pypdf import PdfReader

    _create(qtbot, window, "AML", ["NCT02993523", "LOCAL-VENAZA-CHINA-RW"])
    target = tmp_path / "aml.pdf"
    done = []
    window.controller.export("AML", "pdf", target, on_done=done.append)
    qtbot.waitUntil(lambda: done == [target], timeout=10_000)
    reader = PdfReader(str(target))
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "NCT02993523" in text and "LOCAL-VENAZA-CHINA-RW" in text and "Comparison" in text
    assert f"Page 1 of {len(reader.pages)}" in text and "AML · Trial Tracker handout" in text


def test_import_from_the_window_adds_the_list(qtbot, window, tmp_path):
    from tracker.services.exports import export_watchlist

    _create(qtbot, window, "Shared", ["NCT02435849"])
    path = export_watchlist(window.context.library, "Shared", "json", tmp_path / "s.json")
    window.list_actions.delete_list("Shared", confirm=False)
    qtbot.waitUntil(lambda: window.context.library.watchlists.all() == [], timeout=5_000)
    window.list_actions.import_file(path)
    qtbot.waitUntil(lambda: "imported watch list" in window.job_bar.label.text(), timeout=5_000)
    assert window.context.library.watchlists.get("Shared").trial_ids == ("NCT02435849",)


def test_delete_asks_for_confirmation_and_keeps_trials(qtbot, window):
    _create(qtbot, window, "Temporary", ["NCT02435849"])
    count = window.context.library.trials.count()

    def answer(button):
        box = next(w for w in QApplication.topLevelWidgets()
                   if isinstance(w, QMessageBox) and w.isVisible())
        box.button(button).click()

    QTimer.singleShot(200, lambda: answer(QMessageBox.StandardButton.No))
    window.list_actions.delete_list("Temporary")
    assert window.context.library.watchlists.get("Temporary").name == "Temporary"
    QTimer.singleShot(200, lambda: answer(QMessageBox.StandardButton.Yes))
    window.list_actions.delete_list("Temporary")
    qtbot.waitUntil(lambda: window.context.library.watchlists.all() == [], timeout=5_000)
    assert window.context.library.trials.count() == count


def test_renaming_or_deleting_the_shown_list_keeps_the_filter_sensible(qtbot, window):
    _create(qtbot, window, "CLL / Dec", ["NCT02242942"])
    item = window.tree.item_for(_criteria(window, "CLL / Dec"))
    window.tree.itemClicked.emit(item, 0)
    qtbot.waitUntil(lambda: window.model.visible_ids() == ["NCT02242942"], timeout=5_000)
    window.controller.change_lists(lists.edit_list, "CLL / Dec", "CLL – January", "", None)
    qtbot.waitUntil(lambda: window.tree.current_criteria.get("watchlist_name")
                    == "CLL – January", timeout=5_000)
    window.list_actions.delete_list("CLL – January", confirm=False)
    qtbot.waitUntil(lambda: window.tree.current_criteria == {}, timeout=5_000)
    qtbot.waitUntil(lambda: window.model.rowCount() > 100, timeout=5_000)


def test_a_watch_list_says_it_is_in_list_order_and_is(qtbot, window):
    """In a watch list the first sort choice shows the list's saved order; it says so."""
    from tests.ui.conftest import new_watchlist_item

    item = new_watchlist_item(qtbot, window, "Tumor board")
    saved = ["NCT02993523", "NCT02435849", "NCT02242942"]  # VIALE-A, ELIANA, CLL14: not A-Z
    window.context.library.watchlists.add("Tumor board", saved)
    window.tree.setCurrentItem(item)
    window.tree.itemClicked.emit(item, 0)
    qtbot.waitUntil(lambda: window.model.visible_ids() == saved, timeout=5_000)
    assert window.sort_box.shown_text() == "Sort: List order"
    window.tree.itemClicked.emit(window.tree.topLevelItem(0), 0)  # All trials
    qtbot.waitUntil(lambda: window.model.rowCount() > 100, timeout=5_000)
    assert window.sort_box.shown_text() == "Sort: Title"


def test_removing_one_trial_from_a_list_asks_in_the_singular(qtbot, window):
    from PySide6.QtWidgets import QMessageBox

    from tests.ui.conftest import new_watchlist_item, select_trial
    from tests.ui.helpers import answer_next_question

    item = new_watchlist_item(qtbot, window, "Tumor board")
    window.context.library.watchlists.add("Tumor board", ["NCT02993523", "NCT02435849"])
    window.tree.setCurrentItem(item)
    window.tree.itemClicked.emit(item, 0)
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=5_000)
    select_trial(qtbot, window, "NCT02993523")
    seen = []
    answer_next_question(QMessageBox.StandardButton.No, seen)
    window.remove_from_list_action.trigger()
    assert seen == ["Remove 1 trial from “Tumor board”? It stays in the library."]


def _answer_export_dialog(seen: dict, path=None) -> None:
    """When the export dialog opens: note its suggested file, then export to `path` or
    cancel."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tracker.ui.dialogs.watchlist_dialogs import ExportDialog

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ExportDialog):
            QTimer.singleShot(20, poll)
            return
        seen["suggested"] = dialog.path_edit.text()
        if path is None:
            dialog.reject()
            return
        dialog.format_box.setCurrentIndex(dialog.format_box.findData("csv"))
        dialog.path_edit.setText(str(path))
        dialog.accept()

    QTimer.singleShot(20, poll)


def test_export_after_a_restart_suggests_the_last_folder_used(qtbot, window, tmp_path):
    from tracker.context import build_context
    from tracker.ui.main_window import MainWindow

    _create(qtbot, window, "AML", ["NCT02993523"])
    folder = tmp_path / "handouts"
    folder.mkdir()
    seen: dict = {}
    _answer_export_dialog(seen, folder / "aml.csv")
    window.list_actions.export("AML")
    qtbot.waitUntil(lambda: (folder / "aml.csv").exists()
                    and window.job_bar.label.text().startswith("Exported"), timeout=10_000)
    data_dir = window.context.data_dir
    window.close()  # a restart: a new window on the same data folder
    context = build_context(data_dir, api_url="http://127.0.0.1:9/api/v2")
    again = MainWindow(context)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.controller.shown_request > 0, timeout=10_000)
    qtbot.waitUntil(lambda: any(w.name == "AML" for w in again.watchlists()), timeout=5_000)
    _answer_export_dialog(seen)
    again.list_actions.export("AML")
    assert seen["suggested"] == str(folder / "AML.pdf")
    again.close()
    context.close()
