"""Keyboard: Tab order, the current card on focus, watch-list actions in the Library menu."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.ui.conftest import new_watchlist_item


def test_tab_order_runs_search_filters_tree_cards_detail(window):
    expected = [window.search_box, window.phase_box, window.changed_box.combo,
                window.near_box, window.sort_box, window.tree, window.cards,
                window.detail.browser]
    seen, widget = [], window.search_box
    for _step in range(500):  # the focus chain is a ring: walk it once from the search box
        if widget in expected and widget not in seen:
            seen.append(widget)
        widget = widget.nextInFocusChain()
        if widget is window.search_box:
            break
    assert seen == expected, [w.accessibleName() for w in seen]


def test_tabbing_onto_the_cards_makes_the_first_card_current(qtbot, window):
    window.activateWindow()
    window.tree.setFocus()
    assert not window.cards.currentIndex().isValid()
    window.cards.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(lambda: window.cards.currentIndex().isValid(), timeout=3_000)
    assert window.cards.currentIndex().row() == 0
    assert window.cards.selectionModel().isSelected(window.cards.currentIndex())


def test_remove_from_watch_list_is_only_enabled_with_a_watch_list_shown(qtbot, window):
    assert not window.remove_from_list_action.isEnabled()
    add = window.add_to_list_action
    assert add in window.library_menu.actions() and not add.shortcut().isEmpty()
    window.tree.itemClicked.emit(new_watchlist_item(qtbot, window, "Tumor board"), 0)
    qtbot.waitUntil(window.remove_from_list_action.isEnabled, timeout=5_000)
    window.tree.itemClicked.emit(window.tree.item_for({}), 0)
    qtbot.waitUntil(lambda: not window.remove_from_list_action.isEnabled(), timeout=5_000)
