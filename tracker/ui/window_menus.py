"""The window's actions and its menu bar. Every toolbar action is one of these QAction objects
and sits in a menu too, so its shortcut is shown there; the menus hold no logic of their own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QActionGroup, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar

from tracker.ui.resources import icon

if TYPE_CHECKING:
    from tracker.ui.main_window import MainWindow

Key = QKeySequence.StandardKey


def make_action(window: MainWindow, text: str, icon_name: str | None, shortcut, slot,
                *, tip: str | None = None) -> QAction:
    action = QAction(icon(icon_name) if icon_name else icon("none"), text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


def create_actions(window: MainWindow) -> None:
    """Create every action as an attribute of the window (slots live on the window)."""
    w = window
    a = make_action
    w.new_list_action = a(w, "New watch list…", None, "Ctrl+Shift+N",
                          lambda: w.list_actions.new_list())
    w.import_action = a(w, "Import…", "import", "Ctrl+I", lambda: w.list_actions.import_file(),
                        tip="Import a watch list file shared by a colleague")
    w.export_action = a(w, "Export…", "export", "Ctrl+E", lambda: w.list_actions.export(
        w.tree.current_criteria.get("watchlist_name")), tip="Export a watch list")
    w.quit_action = a(w, "Quit", None, "Ctrl+Q", w.close)
    w.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
    w.copy_action = a(w, "Copy NCT id", None, Key.Copy, w._on_copy_ids)
    w.copy_citation_action = a(w, "Copy citation (AMA)", None, "Ctrl+Shift+C",
                               lambda: w._on_copy_citation("ama"))
    w.copy_nlm_action = a(w, "Copy citation (NLM/Vancouver)", None, None,
                          lambda: w._on_copy_citation("nlm"))
    w.select_all_action = a(w, "Select all trials", None, Key.SelectAll, w._on_select_all)
    w.search_action = a(w, "Find…", None, Key.Find, w.focus_search)
    # Linux has no standard Preferences key; Ctrl+, is what most desktop apps use
    prefs_key = Key.Preferences if QKeySequence.keyBindings(Key.Preferences) else "Ctrl+,"
    w.prefs_action = a(w, "Preferences…", "preferences", prefs_key, w._on_preferences)
    w.prefs_action.setMenuRole(QAction.MenuRole.PreferencesRole)
    w.cards_view_action = a(w, "Cards", None, "Ctrl+1", lambda: w.show_view(w.cards_page))
    w.timeline_view_action = a(w, "Timeline", None, "Ctrl+2", lambda: w.show_view(w.timeline))
    w.view_group = QActionGroup(w)
    for action in (w.cards_view_action, w.timeline_view_action):
        action.setCheckable(True)
        w.view_group.addAction(action)
    w.cards_view_action.setChecked(True)
    w.detail_action = a(w, "Show detail pane", None, "Ctrl+Shift+D", w._on_toggle_detail)
    w.detail_action.setCheckable(True)
    w.detail_action.setChecked(True)
    w.sync_action = a(w, "Sync", "sync", "Ctrl+R", w._on_sync_all,
                      tip="Check every trial against ClinicalTrials.gov")
    w.sync_selected_action = a(w, "Sync selected", None, "Ctrl+Shift+R", w._on_sync_selected)
    w.sync_shown_action = a(w, "Sync shown trials", None, None, w._on_sync_shown)
    w.add_action = a(w, "Add trial…", "add", "Ctrl+N", w._on_add_trial,
                     tip="Add trials by NCT id or from a registry search")
    w.remove_trial_action = a(w, "Remove trial from library…", None, "Ctrl+Delete",
                              w._on_remove_trials)
    w.add_to_list_action = a(w, "Add to watch list…", None, "Ctrl+L",
                             lambda: w.list_actions.add_selected())
    w.remove_from_list_action = a(w, "Remove from watch list…", None, Key.Delete,
                                  w._on_remove_from_list)
    w.remove_from_list_action.setEnabled(False)  # until a watch list is shown
    w.open_registry_action = a(w, "Open registry page", None, "Return", w._on_open_registry)
    w.open_registry_action.setShortcuts([QKeySequence("Return"), QKeySequence("Enter")])
    w.shortcuts_action = a(w, "Keyboard shortcuts", None, Key.HelpContents, w._on_shortcuts)
    w.data_folder_action = a(w, "Open data folder", None, None, w._on_open_data_folder)
    w.about_action = a(w, "About Trial Tracker", None, None, w._on_about)
    w.about_action.setMenuRole(QAction.MenuRole.AboutRole)
    w.sync_menu = QMenu(w)  # the toolbar Sync button's drop-down (the Library menu lists all)
    w.sync_menu.addActions([w.sync_action, w.sync_selected_action, w.sync_shown_action])
    # Keys that act on the cards only: in the notes editor or the search box Ctrl+C, Ctrl+A,
    # Delete, Ctrl+Delete and Enter keep their text meaning.
    for action in (w.copy_action, w.select_all_action, w.remove_from_list_action,
                   w.remove_trial_action, w.open_registry_action):
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        w.cards.addAction(action)


def build_menu_bar(window: MainWindow) -> QMenuBar:
    w = window
    bar = w.menuBar()
    w.file_menu = _menu(bar, "&File", [w.new_list_action, None, w.import_action,
                                        w.export_action, None, w.quit_action])
    w.edit_menu = _menu(bar, "&Edit", [w.copy_action, w.copy_citation_action, w.copy_nlm_action,
                                        None, w.select_all_action, w.search_action, None,
                                        w.prefs_action])
    w.view_menu = _menu(bar, "&View", [w.cards_view_action, w.timeline_view_action])
    # Further views (the discovery inbox) go here, before this separator: add_view_action().
    w.view_menu_end = w.view_menu.addSeparator()
    w.view_menu.addAction(w.detail_action)
    w.library_menu = _menu(bar, "&Library", [w.sync_action, w.sync_selected_action,
                                              w.sync_shown_action, None, w.add_action,
                                              w.remove_trial_action, None,
                                              w.add_to_list_action, w.remove_from_list_action,
                                              w.open_registry_action])
    w.help_menu = _menu(bar, "&Help", [w.shortcuts_action, w.data_folder_action, None,
                                        w.about_action])
    return bar


def _menu(bar: QMenuBar, title: str, actions: list[QAction | None]) -> QMenu:
    menu = bar.addMenu(title)
    for action in actions:
        if action is None:
            menu.addSeparator()
        else:
            menu.addAction(action)
    return menu


def shortcut_rows(window: MainWindow) -> list[tuple[str, str, str]]:
    """(menu, action, shortcut) for every menu action that has a shortcut: the Help list is
    built from the actions themselves, so it cannot drift from what the keys do."""
    rows = []
    for menu in (window.file_menu, window.edit_menu, window.view_menu, window.library_menu,
                 window.help_menu):
        for action in menu.actions():
            keys = ", ".join(k.toString(QKeySequence.SequenceFormat.NativeText)
                             for k in action.shortcuts())
            if keys and action.text():
                rows.append((menu.title().replace("&", ""), action.text().rstrip("…"), keys))
    inbox = getattr(window, "inbox", None)  # the inbox page's own keys
    for action in inbox.view.actions() if inbox is not None else ():
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        if keys and action.text():
            rows.append(("Inbox", action.text(), keys))
    rows += [("Cards", "Move between cards", "↑ ↓ Page Up/Down Home End"),
             ("Library tree", "Combine with another section's entry (CAR-T + Myeloma)",
              "Ctrl-click, Ctrl+Space"),
             ("Window", "Next pane (tree → cards → detail)", "Tab")]
    return rows
