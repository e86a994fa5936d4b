"""The filter drop-downs show their chosen text whole at every window size, and an empty
result names each filter as a readable phrase (with its date, names quoted)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.ui.conftest import new_watchlist_item
from tracker.domain import users_today


def _boxes(window):
    return (window.phase_box, window.changed_box.combo, window.near_box, window.sort_box)


def _assert_whole(window):
    for box in _boxes(window):
        needed = box.fontMetrics().horizontalAdvance(box.shown_text())
        assert box.width() >= box.sizeHint().width(), (box.shown_text(), box.width())
        assert box.sizeHint().width() > needed + 16, box.shown_text()  # text, then the arrow
        assert box.isVisible() and box.geometry().right() <= box.parentWidget().width()


@pytest.mark.parametrize("width", [1024, 1280, 1600])
def test_every_choice_of_every_filter_shows_whole(qtbot, window, width):
    window.resize(width, 760)
    window.near_box.setEnabled(True)  # as with a home location set
    for box in _boxes(window):
        for index in range(box.count()):
            if box.model().item(index).isEnabled():  # not "since the meeting" without a list
                box.setCurrentIndex(index)
            qtbot.wait(20)
            _assert_whole(window)
    assert window.near_box.shown_text() == "Within 500 km of home"
    window.changed_box.choose("date", dt.date(2026, 11, 3))
    qtbot.wait(20)
    assert window.changed_box.combo.shown_text() == "Changed since"
    assert window.changed_box.date_edit.isVisible()
    _assert_whole(window)


def test_the_meeting_choice_names_the_list_and_fits(qtbot, window):
    window.resize(1024, 760)
    window.controller.library.watchlists.create(
        "aml journal club venetoclax combos", meeting_date=dt.date(2026, 11, 3))
    item = new_watchlist_item(qtbot, window, "Tumor board")  # refreshes the facets
    listed = window.controller.library.watchlists.get("aml journal club venetoclax combos")
    window.tree.filter_chosen.emit({"watchlist_id": listed.id,
                                    "watchlist_name": listed.name})
    window.changed_box.choose("meeting")
    # the list's own order relabels the sort box once the filter has run: wait for its layout
    qtbot.waitUntil(lambda: window.sort_box.shown_text() == "Sort: List order" and all(
        box.width() >= box.sizeHint().width() for box in _boxes(window)), timeout=5_000)
    combo = window.changed_box.combo
    assert combo.itemText(combo.currentIndex()) == (
        "Changed since the aml journal club venetoclax combos meeting (2026-11-03)")
    assert combo.shown_text() == "Changed since the meeting (2026-11-03)"
    _assert_whole(window)
    assert item is not None


def test_an_empty_result_names_each_filter_with_its_date(qtbot, window):
    window.tree.itemClicked.emit(window.tree.item_for({"modality": "bcl2"}), 0)
    qtbot.waitUntil(lambda: window.model.rowCount() < 80, timeout=5_000)
    today = users_today()  # the seeded library was never synced: nothing changed since
    window.changed_box.choose("date", today)
    qtbot.waitUntil(lambda: window.card_stack.currentWidget() is window.empty_state,
                    timeout=5_000)
    assert window.empty_state.label.text() == (
        "<p style='font-size:12pt'>No trials with the filter BCL-2 changed since "
        f"{today}.</p>")


def test_an_empty_result_in_a_list_quotes_its_name(qtbot, window):
    library = window.controller.library
    library.watchlists.create("AML club", meeting_date=dt.date(2020, 1, 1))
    library.watchlists.update("AML club", meeting_date=dt.date(2099, 1, 1))  # the next one
    library.watchlists.add("AML club", ["NCT02993523"])
    new_watchlist_item(qtbot, window, "Tumor board")  # refreshes the facets
    listed = window.controller.library.watchlists.get("AML club")
    item = window.tree.item_for({"watchlist_id": listed.id, "watchlist_name": "AML club"})
    window.tree.setCurrentItem(item)
    window.tree.itemClicked.emit(item, 0)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=5_000)
    window.changed_box.choose("meeting")
    qtbot.waitUntil(lambda: window.card_stack.currentWidget() is window.empty_state,
                    timeout=5_000)
    text = window.empty_state.label.text()
    # the meeting ahead is not a start: since the one before it (as tracker changes and the
    # handouts take it), and the choice says which
    assert ("No trials in the watch list “AML club” changed since the "
            "“AML club” previous meeting (2020-01-01).") in text
    combo = window.changed_box.combo
    assert combo.itemText(combo.currentIndex()) == (
        "Changed since the AML club previous meeting (2020-01-01)")


def test_phase_not_stated_finds_the_studies_without_a_phase(qtbot, window):
    from tracker.store.query import PHASE_NOT_STATED

    box = window.phase_box
    box.setCurrentIndex(box.findData(PHASE_NOT_STATED))
    qtbot.waitUntil(lambda: window.model.row_of("LOCAL-VENAZA-CHINA-RW") is not None
                    and window.model.row_of("NCT02993523") is None, timeout=5_000)


def test_clearing_the_filters_gives_the_phase_box_its_width_back(qtbot, window):
    box = window.phase_box
    wide = box.sizeHint().width()
    box.setCurrentIndex(box.findText("N/A"))
    assert box.sizeHint().width() < wide
    qtbot.waitUntil(lambda: box.width() < wide, timeout=2_000)  # laid out narrow first
    window.clear_search_and_filters()
    assert box.currentText() == "Any phase" and box.sizeHint().width() == wide
    qtbot.waitUntil(lambda: box.width() >= wide, timeout=2_000)


def test_editing_the_meeting_date_updates_the_chosen_meeting_at_once(qtbot, window):
    new_watchlist_item(qtbot, window, "Myeloma club")
    controller, combo = window.controller, window.changed_box.combo

    def meet(day: dt.date) -> None:
        controller.change_lists(lambda lib: lib.watchlists.update("Myeloma club",
                                                                  meeting_date=day))

    meet(dt.date(2026, 11, 15))
    qtbot.waitUntil(lambda: any(w.meeting_date for w in window.watchlists()), timeout=5_000)
    club = next(w for w in window.watchlists() if w.name == "Myeloma club")
    window.tree.itemClicked.emit(window.tree.item_for(
        {"watchlist_id": club.id, "watchlist_name": club.name}), 0)
    window.changed_box.choose("meeting")
    assert combo.itemText(combo.currentIndex()) == (
        "Changed since the Myeloma club meeting (2026-11-15)")
    meet(dt.date(2099, 1, 15))  # the next journal club: the choice follows at once
    qtbot.waitUntil(lambda: combo.itemText(combo.currentIndex()) == (
        "Changed since the Myeloma club previous meeting (2026-11-15)"), timeout=5_000)
