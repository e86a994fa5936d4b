"""The menu bar: standard menus, shortcuts shown, the same QActions as the toolbar."""

from __future__ import annotations

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence
from PySide6.QtWidgets import QApplication, QMessageBox

from tests.ui.conftest import select_trial
from tests.ui.helpers import answer_next_question


def _menu_actions(window):
    menus = [window.file_menu, window.edit_menu, window.view_menu, window.library_menu,
             window.help_menu]
    return {action for menu in menus for action in menu.actions()}


def _texts(menu) -> list[str]:
    return [a.text() for a in menu.actions() if a.text()]


def test_standard_menus_with_their_entries(window):
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "View", "Library", "Help"]
    assert _texts(window.file_menu) == ["New watch list…", "Import…", "Export…", "Quit"]
    assert {"Copy NCT id", "Copy citation (AMA)", "Select all trials",
            "Preferences…"} <= set(_texts(window.edit_menu))
    assert {"Cards", "Timeline", "Show detail pane"} <= set(_texts(window.view_menu))
    assert {"Sync", "Add trial…", "Remove trial from library…"} <= set(
        _texts(window.library_menu))
    assert _texts(window.help_menu) == ["Keyboard shortcuts", "Open data folder",
                                        "About Trial Tracker"]
    assert window.quit_action.shortcut() == QKeySequence("Ctrl+Q")


def test_every_toolbar_action_is_a_menu_action_with_its_shortcut(window):
    toolbar_actions = [a for a in window.toolbar.actions() if a.text()]
    assert len(toolbar_actions) == 5
    in_menus = _menu_actions(window)
    for action in toolbar_actions:
        assert action in in_menus, action.text()  # the same object, not a copy
        assert not action.shortcut().isEmpty(), action.text()


def test_sync_from_the_menu_runs_the_toolbar_sync_and_a_dead_registry_gets_a_dialog(
        qtbot, window):
    library_sync = next(a for a in window.library_menu.actions() if a.text() == "Sync")
    assert library_sync is window.sync_action and library_sync.menu() is None  # no submenu
    library_sync.trigger()
    assert window.controller.job is not None  # the sync started
    qtbot.waitUntil(lambda: getattr(window, "failure_box", None) is not None, timeout=20_000)
    box = window.failure_box
    assert box.isVisible() and box.windowTitle() == "Sync stopped"
    assert "127.0.0.1:9" in box.text() or "could not" in box.text().lower()
    assert "Nothing in your library was changed" in box.informativeText()
    assert "not checked" in box.detailedText()  # the technical part behind Details
    assert window.controller.last_report.error in box.detailedText()  # in full, not cut off
    assert "http" not in box.text()  # the request URL is technical: behind Details
    assert box.informativeText().startswith("None of the ")
    box.close()


def test_quit_shortcut_closes_the_window(qtbot, window):
    window.activateWindow()
    window.cards.setFocus()
    qtbot.keyClick(window.cards, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=5_000)


def test_view_menu_switches_views_and_hides_the_detail(qtbot, window):
    window.timeline_view_action.trigger()
    assert window.tabs.currentWidget() is window.timeline
    window.cards_view_action.trigger()
    assert window.tabs.currentWidget() is window.cards_page
    window.tabs.setCurrentWidget(window.timeline)
    assert window.timeline_view_action.isChecked()
    window.detail_action.trigger()
    assert not window.detail.isVisible()
    window.detail_action.trigger()
    assert window.detail.isVisible()


def test_help_about_names_version_and_library_path(window):
    from tracker import __version__

    box = window._on_about()
    assert __version__ in box.text() and str(window.context.library.path) in box.text()
    box.close()
    shortcuts = window._on_shortcuts()
    assert "Ctrl+Q" in shortcuts.text() and "Ctrl+F" in shortcuts.text()
    shortcuts.close()


def test_open_data_folder_and_registry_page_open_urls(qtbot, window):
    opened: list[QUrl] = []

    class Catcher:
        pass

    from PySide6.QtCore import QObject, Slot

    class Handler(QObject):
        @Slot(QUrl)
        def open(self, url):
            opened.append(url)

    handler = Handler()
    for scheme in ("https", "file"):
        QDesktopServices.setUrlHandler(scheme, handler, "open")
    try:
        window.data_folder_action.trigger()
        select_trial(qtbot, window, "NCT02993523")
        window.cards.setFocus()
        qtbot.keyClick(window.cards, Qt.Key.Key_Return)
    finally:
        for scheme in ("https", "file"):
            QDesktopServices.unsetUrlHandler(scheme)
    assert opened[0].toLocalFile() == str(window.context.data_dir)
    assert opened[1].toString() == "https://clinicaltrials.gov/study/NCT02993523"


def test_remove_trial_asks_first_and_removes_from_the_library(qtbot, window):
    library = window.context.library
    select_trial(qtbot, window, "NCT02993523")
    seen: list[str] = []
    answer_next_question(QMessageBox.StandardButton.No, seen)
    window.remove_trial_action.trigger()  # asked once the library says what it would lose
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert library.trials.exists("NCT02993523") and "NCT02993523" in seen[0]
    answer_next_question(QMessageBox.StandardButton.Yes)
    window.remove_trial_action.trigger()
    qtbot.waitUntil(lambda: window.model.row_of("NCT02993523") is None, timeout=5_000)
    assert not library.trials.exists("NCT02993523")
    assert QApplication.activeModalWidget() is None


def test_select_all_and_another_view_slot_in_the_view_menu(qtbot, window):
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QLabel

    window.select_all_action.trigger()
    assert len(window.selected_ids()) == window.model.rowCount() > 100
    inbox_action = QAction("Inbox", window)
    window.add_view_action(inbox_action, QLabel("inbox"), "Inbox")
    texts = [a.text() for a in window.view_menu.actions()]
    assert texts.index("Inbox") == texts.index("Timeline") + 1 < texts.index("Show detail pane")
    inbox_action.trigger()
    assert not window.cards_view_action.isChecked()  # one view at a time
    assert isinstance(window.tabs.currentWidget(), QLabel)
