"""The count and the empty state say what narrows the cards, in sentences that read for every
combination of search, watch list, tag, tree entries and filter boxes (review s10 §3.2)."""

from __future__ import annotations

import pytest

from tests.ui.conftest import new_watchlist_item
from tracker.ui.narrowing_words import Narrowing, count_text, no_match_text

SINCE = "changed since 2026-11-03"


@pytest.mark.parametrize(("narrowing", "words"), [
    (Narrowing(search="ZUMA-1"), "No trials match “ZUMA-1”."),
    (Narrowing(entries=("BCL-2",)), "No trials with the filter BCL-2."),
    (Narrowing(entries=("BCL-2", "Phase 3")), "No trials with the filters BCL-2 and Phase 3."),
    (Narrowing(lists=("AML – December",)), "No trials in the watch list “AML – December”."),
    (Narrowing(lists=("AML – December",), conditions=(SINCE,)),
     "No trials in the watch list “AML – December” changed since 2026-11-03."),
    (Narrowing(search="ZUMA-1", lists=("AML – December",)),
     "No trials in the watch list “AML – December” match “ZUMA-1”."),
    (Narrowing(search="venetoclax", entries=("BCL-2",), conditions=(SINCE,)),
     "No trials with the filter BCL-2, changed since 2026-11-03, match “venetoclax”."),
    (Narrowing(tags=("journal club",), entries=("Bispecific",)),
     "No trials tagged “journal club” with the filter Bispecific."),
    (Narrowing(), "No trials in this view."),
])
def test_the_empty_state_reads_for_every_combination(narrowing, words):
    assert no_match_text(narrowing) == words


@pytest.mark.parametrize(("narrowing", "words"), [
    (Narrowing(entries=("CAR-T", "MM")), "15 of 117 trials: CAR-T + MM"),
    (Narrowing(entries=("CAR-T",)), "15 of 117 trials"),
    (Narrowing(search="venetoclax"), "15 of 117 trials"),
    (Narrowing(search="venetoclax", lists=("AML – December",)),
     "15 of 117 trials: watch list “AML – December” + search “venetoclax”"),
    (Narrowing(lists=("AML – December",), conditions=(SINCE,)),
     "15 of 117 trials: watch list “AML – December” + changed since 2026-11-03"),
    (Narrowing(lists=("A" * 40,), tags=("x",)),
     f"15 of 117 trials: watch list “{'A' * 29}…” + tag “x”"),
])
def test_the_count_names_what_is_combined(narrowing, words):
    assert count_text(15, 117, narrowing) == words


def test_a_search_in_a_watch_list_is_said_in_the_count_and_the_empty_state(qtbot, window):
    item = new_watchlist_item(qtbot, window, "AML – December")
    window.list_actions.add_to("AML – December", ["NCT02993523"])
    window.tree.setCurrentItem(item)
    window.tree.itemClicked.emit(item, 0)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5_000)
    qtbot.keyClicks(window.search_box, "ZUMA-1")
    qtbot.waitUntil(lambda: window.card_stack.currentWidget() is window.empty_state,
                    timeout=5_000)
    assert window.count_label.text() == (
        "0 of 117 trials: watch list “AML – December” + search “ZUMA-1”")
    assert "No trials in the watch list “AML – December” match “ZUMA-1”." in (
        window.empty_state.label.text())


def test_a_long_count_leaves_the_tabs_whole_at_1024_wide(qtbot, window):
    window.resize(1024, 700)
    item = new_watchlist_item(qtbot, window, "AML – December journal club, venetoclax combos")
    window.tree.setCurrentItem(item)
    window.tree.itemClicked.emit(item, 0)
    qtbot.keyClicks(window.search_box, "azacitidine maintenance")
    qtbot.waitUntil(lambda: "search “azacitidine" in window.count_label.text()
                    and window.card_stack.currentWidget() is window.empty_state, timeout=5_000)
    qtbot.wait(50)
    bar = window.tabs.tabBar()
    assert bar.width() >= bar.sizeHint().width()  # no tab cut or scrolled away
    assert window.count_label.toolTip().startswith(  # names in full
        "0 of 117 trials: watch list “AML – December journal club, venetoclax combos”")
    assert window.count_label.width() < window.count_label.fontMetrics().horizontalAdvance(
        window.count_label.text())  # cut with "…" in the room left
