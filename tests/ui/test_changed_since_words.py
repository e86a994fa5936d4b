"""The disabled "changed since the meeting" choice gives the reason that holds for what is
shown: no list, a list whose first meeting is still ahead, a list without a meeting date."""

from __future__ import annotations

import datetime as dt


def _meeting_item(window):
    combo = window.changed_box.combo
    return combo.model().item(combo.findData("meeting"))


def _show_list(qtbot, window, name: str) -> None:
    with qtbot.waitSignal(window.controller.facets_loaded, timeout=5_000):
        window.controller.refresh_facets()
    listed = window.context.library.watchlists.get(name)
    window.tree.filter_chosen.emit({"watchlist_id": listed.id, "watchlist_name": name})


def test_a_list_that_has_not_met_yet_says_so(qtbot, window):
    ahead = dt.date.today() + dt.timedelta(days=10)
    window.context.library.watchlists.create("Myeloma club", meeting_date=ahead)
    item = _meeting_item(window)
    assert item.text() == "Changed since the list's meeting (show a watch list first)"
    _show_list(qtbot, window, "Myeloma club")
    assert not item.isEnabled()
    assert item.text() == (f"Changed since the Myeloma club meeting (its first meeting, "
                           f"{ahead.isoformat()}, has not passed yet)")


def test_a_list_without_a_meeting_date_says_so(qtbot, window):
    window.context.library.watchlists.create("No date")
    _show_list(qtbot, window, "No date")
    item = _meeting_item(window)
    assert not item.isEnabled()
    assert item.text() == "Changed since the No date meeting (the list has no meeting date)"
