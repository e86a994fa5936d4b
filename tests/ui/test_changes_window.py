"""The window after registry changes: card markers and the "changed since …" filter."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fakes.studies import make_study, set_last_update
from tests.ui.test_sync_window import _sync, open_window
from tracker.ui.card_delegate import marker_line

SLIP, CUT, CALM = "NCT02993523", "NCT02242942", "NCT02435849"


@pytest.fixture
def registry(ctgov_server):
    ctgov_server.put_studies([
        make_study(SLIP, acronym="VIALE-A", primary_completion=("2026-06", "ESTIMATED")),
        make_study(CUT, acronym="CLL14", enrollment=(400, "ESTIMATED")),
        make_study(CALM, acronym="ELIANA"),
    ])
    return ctgov_server


def _edit(server, nct_id, change) -> None:
    study = server.study(nct_id)
    change(study["protocolSection"])
    set_last_update(study["protocolSection"]["statusModule"], "2026-02-27")
    server.put_study(study)


@pytest.fixture
def changed_window(qtbot, tmp_path, registry):
    window = open_window(qtbot, tmp_path / "library", registry)
    _sync(qtbot, window, [SLIP, CUT, CALM])
    _edit(registry, SLIP, lambda p: p["statusModule"].update(
        primaryCompletionDateStruct={"date": "2027-08", "type": "ESTIMATED"}))
    _edit(registry, CUT, lambda p: p["designModule"].update(
        enrollmentInfo={"count": 120, "type": "ACTUAL"}))
    _sync(qtbot, window, [SLIP, CUT, CALM])
    qtbot.waitUntil(lambda: window.model.card(SLIP).change_marker != "", timeout=5_000)
    yield window
    window.close()
    window.context.close()


def test_changes_window_card_marker_names_the_most_significant_change(changed_window):
    model = changed_window.model
    assert model.card(SLIP).change_marker == "primary completion +14 months"
    assert model.card(CUT).change_marker == "enrollment -70 %"
    assert model.card(CALM).change_marker == ""


def test_changes_window_marker_is_the_cards_last_line(changed_window):
    line = marker_line(changed_window.model.card(SLIP))
    assert line.startswith("● primary completion +14 months   ")
    assert marker_line(changed_window.model.card(CALM)).startswith("● ") is False


def test_changes_window_changed_since_filter(qtbot, changed_window):
    window = changed_window
    box = window.changed_box
    box.choose("last-sync")
    qtbot.waitUntil(lambda: sorted(window.model.visible_ids()) == sorted([SLIP, CUT]),
                    timeout=5_000)
    from tracker.domain import users_today

    box.choose("date", dt.date(2999, 1, 1))  # a mistyped year stops at today
    assert box.value() == users_today().isoformat()
    qtbot.waitUntil(lambda: sorted(window.model.visible_ids()) == sorted([SLIP, CUT]),
                    timeout=5_000)  # seen today, by the fixture's sync
    assert box.date_edit.isVisible()
    box.choose(None)
    qtbot.waitUntil(lambda: CALM in window.model.visible_ids(), timeout=5_000)
    assert not box.date_edit.isVisible()


def test_changes_window_changed_since_the_lists_meeting(qtbot, changed_window):
    window = changed_window
    library = window.context.library
    library.watchlists.create("AML", meeting_date=dt.date(2020, 1, 1))
    library.watchlists.add("AML", [SLIP, CALM])
    listed = library.watchlists.get("AML")
    combo = window.changed_box.combo
    meeting = combo.model().item(combo.findData("meeting"))
    assert not meeting.isEnabled(), "no list shown: nothing to compare with"
    with qtbot.waitSignal(window.controller.facets_loaded, timeout=5_000):
        window.controller.refresh_facets()
    window.tree.filter_chosen.emit({"watchlist_id": listed.id, "watchlist_name": "AML"})
    assert meeting.isEnabled() and meeting.text() == "Changed since the AML meeting (2020-01-01)"
    window.changed_box.choose("meeting")
    qtbot.waitUntil(lambda: window.model.visible_ids() == [SLIP], timeout=5_000)
    window.tree.filter_chosen.emit({})
    assert not meeting.isEnabled() and window.changed_box.value() is None


def test_a_narrow_card_keeps_its_outcome_whole_and_moves_the_date_below():
    from tracker.ui.card_delegate import place_date

    assert place_date("Primary completion 2027-06", "● now completed", True) == \
        ("Primary completion 2027-06", "● now completed")
    assert place_date("Primary completion 2027-06", "● now completed", False) == \
        ("", "Primary completion 2027-06 · ● now completed")
    assert place_date("Primary completion 2027-06", "", False) == \
        ("", "Primary completion 2027-06")


def test_a_listed_trial_hidden_by_the_changed_filter_is_said_to_be_in_the_list(
        qtbot, changed_window):
    """With a watch list shown and "Changed since the last sync" on, ELIANA (in the list,
    unchanged) is hidden by the filter alone: the pane says so, not that it is outside the
    list; VIALE-A, outside the list, is said to be outside it."""
    from tests.ui.conftest import select_trial, wait_hidden_reason
    from tracker.services import watchlists as lists

    window = changed_window
    made: list = []  # through the window (its database thread), as a user makes a list
    window.controller.change_lists(lists.create_list, "Heme JC", "", dt.date(2020, 1, 1))
    window.controller.change_lists(lists.add_to_list, "Heme JC", [CUT, CALM],
                                   on_done=made.append)
    qtbot.waitUntil(lambda: bool(made), timeout=5_000)
    criteria = {"watchlist_id": made[0].id, "watchlist_name": "Heme JC"}
    # the tree is rebuilt once per change (create, then add): wait for the one with both
    # trials, and look its entry up again before each click (a rebuild deletes the items)
    qtbot.waitUntil(lambda: (found := window.tree.item_for(criteria)) is not None
                    and "(2)" in found.text(0), timeout=5_000)
    item = window.tree.item_for(criteria)
    window.tree.setCurrentItem(item)
    window.tree.itemClicked.emit(item, 0)
    qtbot.waitUntil(lambda: sorted(window.model.visible_ids()) == sorted([CUT, CALM]),
                    timeout=5_000)
    select_trial(qtbot, window, CALM)
    window.changed_box.choose("last-sync")
    wait_hidden_reason(qtbot, window)
    text = window.detail.browser.toPlainText()
    assert ("(NCT02435849) is in the watch list “Heme JC” but hidden by the filter "
            "“changed since the last sync”.") in text
    assert "not in this watch list" not in text
    assert "turn off that filter to see it again" in text
    from tracker.ui.hidden_selection import hidden_words

    unsure = hidden_words(window, None).why()  # the library could not say: no false "not in"
    assert unsure.startswith("is hidden by the filters “the watch list “Heme JC”")
    assert "not in" not in unsure

    window.changed_box.choose(None)
    qtbot.waitUntil(lambda: window.detail.trial_id == CALM, timeout=5_000)
    window.tree.itemClicked.emit(window.tree.item_for({}), 0)  # All trials
    qtbot.waitUntil(lambda: SLIP in window.model.visible_ids(), timeout=5_000)
    select_trial(qtbot, window, SLIP)
    window.tree.itemClicked.emit(window.tree.item_for(criteria), 0)
    wait_hidden_reason(qtbot, window)
    text = window.detail.browser.toPlainText()
    assert "is not in this watch list or filter (the watch list “Heme JC”)" in text
    assert "hidden by" not in text


def test_the_report_shows_its_major_changes_readably(qtbot, changed_window):
    """'Last report…' put the major changes in a message box's details area, about four
    lines high: now they lead a report box that shows many lines at once."""
    from PySide6.QtWidgets import QApplication, QDialog, QTextBrowser

    window = changed_window
    report = window.job_bar.report
    major = [line for line in report.summary_lines() if line.strip().startswith("major:")]
    assert major, "the second sync's report has a major change to show"
    window.job_bar.report_button.click()
    qtbot.waitUntil(lambda: any(isinstance(w, QDialog) and w.isVisible()
                                for w in QApplication.topLevelWidgets()), timeout=5_000)
    dialog = next(w for w in QApplication.topLevelWidgets()
                  if isinstance(w, QDialog) and w.isVisible())
    view = dialog.findChild(QTextBrowser)
    shown = view.toPlainText()
    assert shown.startswith("Major changes")
    assert major[0].strip().removeprefix("major: ") in shown.split("Every trial")[0]
    assert view.height() >= view.fontMetrics().lineSpacing() * 15
    dialog.close()

