"""The inbox in the window: tree entry, checks off the GUI thread, accept/dismiss, dialog."""

from __future__ import annotations

import json

import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer

from tests.fakes.faults import Fault
from tests.fakes.filters import posted_study
from tests.fakes.studies import make_study
from tracker.context import build_context
from tracker.domain import users_today
from tracker.domain.searches import SavedSearch, SearchCriteria
from tracker.services.discovery import DiscoveryService


@pytest.fixture
def registry(ctgov_server):
    ctgov_server.put_studies([
        posted_study(make_study("NCT06200001", interventions=("Ciltacabtagene autoleucel",),
                                conditions=("Multiple Myeloma",), title="Cilta-cel in first "
                                "relapse", sponsor="Janssen"), "2025-01-10"),
        posted_study(make_study("NCT06200002", interventions=("Anti-BCMA CAR-T cells",),
                                conditions=("Multiple Myeloma",)), "2025-01-12"),
        posted_study(make_study("NCT06200003", interventions=("Daratumumab",),
                                conditions=("Multiple Myeloma",)), "2025-01-12"),
    ])
    return ctgov_server


@pytest.fixture
def inbox_window(qtbot, tmp_path, registry):
    from tracker.ui.main_window import MainWindow

    data_dir = tmp_path / "library"
    data_dir.mkdir()
    (data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    context = build_context(data_dir, api_url=registry.base_url)
    service = DiscoveryService(context.library)
    for search in service.searches.all():
        service.searches.set_paused(search.name, True)
    service.searches.add(SavedSearch(name="Myeloma CAR-T", criteria=SearchCriteria(
        condition="myeloma", term='cel OR "CAR-T"')))
    context.library.watchlists.create("Myeloma club")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.inbox.tree_entry() is not None, timeout=10_000)
    yield window
    # pytest-qt closes and deletes the window before this runs (a test that left a dialog
    # open over it sees it deleted now): wait for queued results only while it is alive
    alive = lambda: shiboken6.isValid(window)  # noqa: E731
    if alive():
        qtbot.waitUntil(lambda: not alive() or not window.runner.running, timeout=10_000)
        qtbot.wait(50)
    if alive():
        window.close()
    context.close()


def check(qtbot, window):
    reports = []
    window.inbox.check_finished.connect(reports.append)
    with qtbot.waitSignals([window.inbox.check_finished, window.inbox.inbox_loaded],
                           timeout=15_000, order="strict"):
        window.inbox.check()
    window.inbox.check_finished.disconnect(reports.append)
    return reports[0]


def test_inbox_window_check_fills_tree_entry_cards_and_status_bar(qtbot, inbox_window,
                                                                  registry):
    window = inbox_window
    assert window.inbox.tree_entry().text(0) == "Inbox (0)"
    assert window.tree.indexOfTopLevelItem(window.inbox.tree_entry()) == 1
    report = check(qtbot, window)
    assert report.new == 2
    qtbot.waitUntil(lambda: window.inbox.tree_entry().text(0) == "Inbox (2)", timeout=5_000)
    assert "Inbox (2)" in window.job_bar.label.text()
    assert len([r for r in registry.requests if r.path.endswith("/studies")]) == 1
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.tree.visualItemRect(window.inbox.tree_entry()).center())
    assert window.tabs.currentWidget() is window.inbox.view
    cards = window.inbox.view.model.all_cards()
    assert set(cards) == {"NCT06200001", "NCT06200002"}
    assert cards["NCT06200001"].headline == \
        "Proposed CAR-T: Ciltacabtagene autoleucel in interventions"
    assert cards["NCT06200002"].searches == "Myeloma CAR-T"


def test_inbox_window_accept_to_watchlist_and_dismiss_with_shortcut(qtbot, inbox_window):
    window = inbox_window
    check(qtbot, window)
    view = window.inbox.view
    window.inbox.show_page()
    qtbot.waitUntil(lambda: view.list_box.count() == 2, timeout=5_000)
    view.list_box.setCurrentText("Myeloma club")
    view.cards.setCurrentIndex(view.model.index(view.model.row_of("NCT06200001")))
    assert "Ciltacabtagene autoleucel" in view.info.text()
    assert "clinicaltrials.gov/study/NCT06200001" in view.info.text()
    assert "Last update posted</b> 2025-01-15" in view.info.text()
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    qtbot.waitUntil(lambda: window.model.card("NCT06200001") is not None, timeout=5_000)
    library = window.context.library
    assert library.watchlists.get("Myeloma club").trial_ids == ("NCT06200001",)
    assert library.trials.get("NCT06200001").modality.value == "car-t"
    accepted = library.trials.get("NCT06200001")  # fetched as Add trial does, in a job
    assert accepted.last_synced_at is not None and library.versions.latest("NCT06200001")
    view.cards.setCurrentIndex(view.model.index(0))
    view.cards.setFocus()
    qtbot.keyClick(view.cards, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5_000)
    qtbot.waitUntil(lambda: window.inbox.tree_entry().text(0) == "Inbox (0)", timeout=5_000)
    again = check(qtbot, window).searches[0]  # asks only for studies posted since today-1
    assert (again.requests, again.found, again.tally.new) == (1, 0, 0)
    assert view.model.rowCount() == 0


def test_inbox_window_cancelled_check_changes_nothing(qtbot, inbox_window, registry):
    window = inbox_window
    registry.inject(Fault.SLOW, delay=3.0)
    with qtbot.waitSignal(window.inbox.check_finished, timeout=15_000) as blocker:
        window.inbox.check()
        qtbot.waitUntil(lambda: window.job_bar.cancel_button.isVisible(), timeout=5_000)
        qtbot.wait(200)
        qtbot.mouseClick(window.job_bar.cancel_button, Qt.MouseButton.LeftButton)
    report = blocker.args[0]
    assert report.cancelled and report.searches[0].tally is None
    assert "cancelled" in window.job_bar.label.text()
    service = DiscoveryService(window.context.library)
    assert service.items() == []
    assert service.searches.get("Myeloma CAR-T").last_checked_on is None


def test_saved_searches_dialog_from_the_tree_validates_before_saving(qtbot, inbox_window,
                                                                     registry):
    from tracker.ui.dialogs.saved_searches import SavedSearchesDialog, SearchEditor

    window = inbox_window
    entry = window.inbox.tree_entry()
    child = entry.child(0)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton,
                     pos=window.tree.visualItemRect(child).center())
    dialog = window.inbox.dialog
    assert isinstance(dialog, SavedSearchesDialog)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 14, timeout=5_000)
    editor = SearchEditor(None, dialog)
    from PySide6.QtWidgets import QLabel
    assert editor.findChild(QLabel, "statusScope").text().startswith(
        "None ticked: open studies only (not completed")
    editor.name_edit.setText("Broken")
    editor.term_edit.setText('GPRC5D "CAR T')
    editor.save()
    assert editor.problem.text().startswith('⚠ The Text field has an unclosed quote (")')
    assert editor.result_search is None
    editor.term_edit.setText('GPRC5D AND "CAR T"')
    editor.phase_boxes[next(iter(editor.phase_boxes))].setChecked(True)
    editor.place_edit.setText("Atlantis")
    editor.save()
    assert editor.problem.text().startswith("⚠ Near: unknown place: 'Atlantis'")
    editor.place_edit.setText("Boston")
    editor.save()
    assert editor.result_search.criteria.term == 'GPRC5D AND "CAR T"'
    assert editor.result_search.criteria.near.lat == pytest.approx(42.36)
    assert registry.requests == []
    dialog.select_name("Myeloma CAR-T")
    row = [s.name for s in dialog.searches].index("Myeloma CAR-T")
    assert dialog.table.item(row, 1).text() == "active"
    qtbot.mouseClick(dialog.buttons["pause"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.table.item(row, 1).text() == "paused", timeout=5_000)
    dialog.delete_names(["Myeloma CAR-T"])
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 13, timeout=5_000)
    dialog.close()


def test_inbox_window_sync_then_check(qtbot, inbox_window, registry):
    window = inbox_window
    with qtbot.waitSignal(window.controller.job_finished, timeout=30_000):
        window.inbox.sync_and_check_action.trigger()
    with qtbot.waitSignal(window.inbox.check_finished, timeout=15_000) as blocker:
        pass
    assert blocker.args[0].new == 2
    paths = [r.params for r in registry.requests if r.path.endswith("/studies")]
    assert "filter.ids" in paths[0] and "query.cond" in paths[-1]
    qtbot.waitUntil(lambda: window.inbox.tree_entry().text(0) == "Inbox (2)", timeout=5_000)


def test_inbox_window_failed_check_says_why_in_the_status_bar(qtbot, inbox_window, registry):
    window = inbox_window
    registry.inject(Fault.BAD_REQUEST, body="Bad Request: query.term has an unknown area")
    report = check(qtbot, window)
    assert not report.ok
    text = window.job_bar.label.text()
    assert text.startswith("⚠") and "refused this search (400)" in text
    assert "query.term has an unknown area" in text and "Inbox (0)" in text
    assert window.inbox.tree_entry().text(0) == "Inbox (0)"


def test_inbox_window_enter_in_the_tree_opens_the_inbox_and_the_dialog(qtbot, inbox_window):
    window = inbox_window
    window.tree.setFocus()
    window.tree.setCurrentItem(window.inbox.tree_entry())
    qtbot.keyClick(window.tree, Qt.Key.Key_Return)
    assert window.tabs.currentWidget() is window.inbox.view
    window.tree.setFocus()
    window.tree.setCurrentItem(window.inbox.tree_entry().child(0))
    qtbot.keyClick(window.tree, Qt.Key.Key_Return)
    assert window.inbox.dialog.isVisible()
    window.inbox.dialog.close()


def test_inbox_window_menus_reach_the_inbox_checks_and_searches(qtbot, inbox_window):
    window = inbox_window
    view_texts = [a.text() for a in window.view_menu.actions()]
    assert view_texts.index("Inbox") == view_texts.index("Timeline") + 1
    library_texts = [a.text() for a in window.library_menu.actions()]
    for text in ("Check saved searches", "Sync and check saved searches", "Saved searches…"):
        assert text in library_texts
    window.inbox.view_action.trigger()
    assert window.tabs.currentWidget() is window.inbox.view
    assert not window.cards_view_action.isChecked()
    window.cards_view_action.trigger()
    assert window.tabs.currentWidget() is window.cards_page


def test_inbox_window_on_a_read_only_library_can_look_but_not_triage(qtbot, tmp_path):
    from tracker.ui.main_window import MainWindow

    build_context(tmp_path / "lib").close()
    context = build_context(tmp_path / "lib", read_only=True)
    try:
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: window.inbox.tree_entry() is not None, timeout=10_000)
        view = window.inbox.view
        assert not any(w.isEnabled() for w in (view.accept_button, view.dismiss_button,
                                                 view.check_button))
        assert not window.inbox.check_action.isEnabled()
        window.inbox.open_searches()
        qtbot.waitUntil(lambda: window.inbox.dialog.table.rowCount() == 13, timeout=5_000)
        assert not window.inbox.dialog.buttons["new"].isEnabled()
        window.inbox.dialog.close()
        qtbot.waitUntil(lambda: not window.runner.running, timeout=5_000)
        window.close()
    finally:
        context.close()


def test_inbox_stays_truthful_through_add_accept_and_empty(qtbot, inbox_window):
    """The panes describe only what is selected; a study added through Add trial leaves the
    inbox at once; Accept says in words what happened; an empty inbox says so and hides the
    "N of M trials" counter."""
    from tests.ui.conftest import select_trial
    from tracker.ui.inbox_view import EMPTY_TEXT

    window = inbox_window
    check(qtbot, window)
    select_trial(qtbot, window, "NCT02993523")  # a library trial in the right-hand pane
    view = window.inbox.view
    window.inbox.show_page()
    assert window.count_label.isHidden()
    assert "VIALE-A" not in window.detail.browser.toPlainText()
    view.cards.setCurrentIndex(view.model.index(view.model.row_of("NCT06200001")))
    assert "NCT06200001" in window.detail.browser.toPlainText()
    with qtbot.waitSignal(window.inbox.inbox_loaded, timeout=20_000):
        window.controller.add_trials(["NCT06200002"])  # as Add trial does
    assert view.model.row_of("NCT06200002") is None and window.inbox.count == 1
    assert view.title.text().startswith("<b>Inbox (1)</b>")
    assert "VIALE-A" not in window.detail.browser.toPlainText()  # the sync re-selected it
    assert "NCT06200001" in window.detail.browser.toPlainText()
    assert "NCT06200001" in view.info.text()
    view.list_box.setCurrentText("Myeloma club")
    qtbot.mouseClick(view.accept_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5_000)
    assert window.job_bar.label.text() == ("Added Cilta-cel in first relapse (NCT06200001) to "
                                           "the library and to “Myeloma club”. It is out of "
                                           "the inbox.")
    assert "NCT06200001" not in view.info.text()  # the strip does not describe it any more
    assert view.stack.currentWidget() is view.empty and view.empty.text() == EMPTY_TEXT
    assert view.info.text() == "" and window.count_label.isHidden()
    assert "Nothing new from your saved searches" in window.detail.browser.toPlainText()
    window.tabs.setCurrentIndex(0)
    assert not window.count_label.isHidden()
    qtbot.waitUntil(lambda: "VIALE-A" in window.detail.browser.toPlainText(), timeout=5_000)


def test_accept_sentence_names_what_happened_to_each_study():
    from tracker.services.discovery import AcceptResult
    from tracker.ui.inbox_words import accepted_sentence

    titles = {"NCT06200001": "Cilta-cel", "NCT06200002": "BCMA CAR-T"}
    assert accepted_sentence(AcceptResult(["NCT06200001"], ["NCT06200002"], "Myeloma club"),
                             titles) == (
        "Added Cilta-cel (NCT06200001) to the library and to “Myeloma club”. BCMA CAR-T "
        "(NCT06200002) was already in the library; now also in “Myeloma club”. Both are out of "
        "the inbox.")
    assert accepted_sentence(AcceptResult([], ["NCT06200002"]), {}) == (
        "NCT06200002 was already in the library. It is out of the inbox.")


def test_the_inbox_page_writes_the_detail_pane_once(qtbot, inbox_window, monkeypatch):
    """Opening the inbox describes it in the right-hand pane in one go: no placeholder is
    drawn first and then replaced (a flash, and twice the work)."""
    window = inbox_window
    written = []
    set_html = window.detail.browser.setHtml
    monkeypatch.setattr(window.detail.browser, "setHtml",
                        lambda html: written.append(html) or set_html(html))
    window.inbox.show_page()
    assert len(written) == 1
    assert "Nothing new from your saved searches" in window.detail.browser.toPlainText()
    assert window.detail.trial_id is None and not window.detail.tags_edit.isEnabled()


def test_inbox_card_and_pane_say_why_a_study_is_in_the_inbox():
    from tracker.domain import Modality
    from tracker.domain.inbox import InboxItem
    from tracker.ui.inbox_view import inbox_card, item_html

    def item(reason: str) -> InboxItem:
        return InboxItem("NCT06200009", "A title", None, (), None, None, "2023-02-01", (), (),
                         ("Myeloma CAR-T",), Modality.CAR_T, "", Modality.CAR_T,
                         "2025-01-20T10:00:00+00:00", reason)

    updated = item("updated:2025-01-19")
    assert inbox_card(updated, 0).found_because == "now matches: updated 2025-01-19"
    assert "(now matches: updated 2025-01-19)" in item_html(updated)
    assert inbox_card(item("posted"), 0).found_because == "newly posted 2023-02-01"
    assert inbox_card(item("first-check"), 0).found_because == ""  # the card shows the date
    assert "(found by the first check)" in item_html(item("first-check"))


def test_accept_sentence_says_which_studies_are_not_synced_and_why_in_short():
    """A study the registry did not give is named as not synced yet, with the reason cut
    short for the status bar (its tooltip has it whole); the service's side of it is tested
    against the loopback registry in tests/unit/test_inbox_accept.py."""
    from tracker.services.discovery import AcceptResult
    from tracker.ui.inbox_words import REASON_CHARS, accepted_sentence

    why = ("the registry refused GET http://127.0.0.1:1/api/v2/studies?filter.ids=NCT06200001"
           "&fields=<3 fields>&pageSize=1000 (400): Bad Request")
    result = AcceptResult(["NCT06200001"], [], None, {"NCT06200001": why})
    said = accepted_sentence(result, {"NCT06200001": "Cilta-cel in first relapse"})
    assert said.startswith("Added Cilta-cel in first relapse (NCT06200001) to the library. "
                           "Cilta-cel in first relapse (NCT06200001) not synced yet (the "
                           "registry refused")
    assert said.endswith("…): the next sync fetches it. It is out of the inbox.")
    assert why[:REASON_CHARS - 1] in said and why not in said
    assert result.not_synced_text().endswith(f"({why}); the next sync fetches it")


def test_inbox_study_is_described_for_triage_in_card_strip_and_pane(qtbot, inbox_window):
    """What the search record holds is shown: the card's facts line (one line taller than a
    library card), the strip, and the right-hand pane with dates, sites and the summary."""
    from tracker.ui.card_delegate import CARD_HEIGHT

    window = inbox_window
    check(qtbot, window)
    view = window.inbox.view
    window.inbox.show_page()
    view.cards.setCurrentIndex(view.model.index(view.model.row_of("NCT06200001")))
    card = view.model.card("NCT06200001")
    assert card.facts.startswith("1 site") and "enrollment 120 (estimated)" in card.facts
    assert "primary completion 2026-06 (est., overdue)" in card.facts  # recruiting, passed
    index = view.model.index(view.model.row_of("NCT06200001"))
    option = view.cards.viewOptions() if hasattr(view.cards, "viewOptions") else None
    if option is None:
        from PySide6.QtWidgets import QStyleOptionViewItem
        option = QStyleOptionViewItem()
        option.font = view.cards.font()
    assert view.cards.itemDelegate().sizeHint(option, index).height() > CARD_HEIGHT
    assert "enrollment 120 (estimated)" in view.info.text()
    # dated by the registry's last update (what a reader cites), not by the day of the check
    assert card.last_update == "last update posted 2025-01-15"
    assert "<b>Last update posted</b> 2025-01-15" in view.info.text()
    pane = " ".join(window.detail.browser.toPlainText().split())
    for words in ("Cilta-cel in first relapse", "Enrollment 120 (estimated)",
                  "Start 2023-01", "Primary completion 2026-06 (est., overdue)",
                  "Sponsor Janssen",
                  "Summary. A study of NCT06200001.", "Last update posted 2025-01-15",
                  f"The inbox's copy of the registry record was fetched {users_today()}"):
        assert words in pane, words
    assert "as of" not in pane and "as of" not in view.info.text()


def test_dismiss_can_be_undone_and_dismissed_studies_restored(qtbot, inbox_window):
    """Delete dismisses; the status bar's Undo (and Edit → Undo dismiss, Ctrl+Z) bring the
    study back; Show dismissed lists what was dismissed, and Restore brings it back."""
    window = inbox_window
    check(qtbot, window)
    view = window.inbox.view
    window.inbox.show_page()
    view.cards.setCurrentIndex(view.model.index(view.model.row_of("NCT06200001")))
    view.cards.setFocus()
    with qtbot.waitSignal(window.inbox.dismissed, timeout=5_000):
        qtbot.keyClick(view.cards, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    label = window.job_bar.label.text()
    assert "Dismissed Cilta-cel in first relapse (NCT06200001) from the inbox" in label
    assert "href='undo-dismiss'>Undo</a>" in label
    assert window.inbox.undo_dismiss_action.isEnabled()
    assert window.inbox.undo_dismiss_action in window.edit_menu.actions()
    with qtbot.waitSignal(window.inbox.restored, timeout=5_000):
        window.job_bar.label.linkActivated.emit("undo-dismiss")  # the link in the status bar
    qtbot.waitUntil(lambda: view.model.row_of("NCT06200001") is not None, timeout=5_000)
    assert window.job_bar.label.text().startswith("Restored Cilta-cel in first relapse")
    assert not window.inbox.undo_dismiss_action.isEnabled()
    # Ctrl+Z on the inbox does the same
    view.cards.setCurrentIndex(view.model.index(view.model.row_of("NCT06200002")))
    view.cards.setFocus()
    with qtbot.waitSignal(window.inbox.dismissed, timeout=5_000):
        qtbot.keyClick(view.cards, Qt.Key.Key_Delete)
    with qtbot.waitSignal(window.inbox.restored, timeout=5_000):
        qtbot.keyClick(view.cards, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5_000)
    # dismissed, then listed and restored from the list
    view.cards.setCurrentIndex(view.model.index(view.model.row_of("NCT06200002")))
    with qtbot.waitSignal(window.inbox.dismissed, timeout=5_000):
        qtbot.mouseClick(view.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5_000)
    with qtbot.waitSignal(window.inbox.inbox_loaded, timeout=5_000):
        window.inbox.show_dismissed_action.trigger()
    assert view.showing_dismissed and view.dismiss_button.text() == "Restore"
    assert not view.accept_button.isEnabled()
    assert [view.model.index(r).data(Qt.ItemDataRole.DisplayRole).split("(")[-1]
            for r in range(view.model.rowCount())] == ["NCT06200002)"]
    assert view.title.text().startswith("<b>Dismissed (1)</b>")
    assert window.inbox.tree_entry().text(0) == "Inbox (1)"  # the inbox's count, still
    view.cards.setCurrentIndex(view.model.index(0))
    assert "dismissed 20" in window.detail.browser.toPlainText()
    with qtbot.waitSignal(window.inbox.restored, timeout=5_000):
        qtbot.mouseClick(view.dismiss_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5_000)
    assert view.empty.text() == "Nothing dismissed."
    with qtbot.waitSignal(window.inbox.inbox_loaded, timeout=5_000):
        qtbot.mouseClick(view.dismissed_button, Qt.MouseButton.LeftButton)
    assert not view.showing_dismissed and view.model.rowCount() == 2
    assert view.accept_button.isEnabled()


def test_a_refused_add_keeps_the_window_and_says_why(qtbot, inbox_window, registry):
    """The registry refuses an Add (400): the window stays, the failure dialog says what
    happened, and the ids typed come back in the Add dialog once it is closed."""
    from tracker.ui.dialogs.add_trial import AddTrialDialog

    window = inbox_window
    registry.inject(Fault.BAD_REQUEST, times=5, path="filter.ids")
    window.controller.add_trials(["NCT06200001"])
    qtbot.waitUntil(lambda: window.controller.job is None, timeout=10_000)
    box = window.failure_box
    assert box.isVisible() and window.isVisible()
    assert box.text().startswith("Adding trials stopped. The registry refused (400)")
    opened: list[str] = []

    def answer_the_add_dialog() -> None:  # it runs modal (exec), so answer it from a timer
        dialog = getattr(window, "add_dialog", None)
        if isinstance(dialog, AddTrialDialog) and dialog.isVisible():
            opened.append(dialog.ids_edit.toPlainText())
            dialog.reject()
        else:
            QTimer.singleShot(20, answer_the_add_dialog)

    answer_the_add_dialog()
    box.done(0)
    qtbot.waitUntil(lambda: bool(opened), timeout=5_000)
    assert opened == ["NCT06200001"] and window.isVisible()


def test_a_check_whose_library_file_was_moved_says_not_saved(qtbot, inbox_window, registry):
    """As a sync into a moved file: the status bar and a dialog say what happened and what
    to do, not 'Checked … new in the inbox'."""
    window = inbox_window
    path = window.context.library.path
    moved = path.with_name("moved.sqlite3")
    registry.clear_log()
    registry.inject(Fault.SLOW, times=1, delay=0.5)  # the file moves while the answer waits
    window.inbox.check()
    qtbot.waitUntil(lambda: bool(registry.requests), timeout=10_000)
    path.rename(moved)
    qtbot.waitUntil(lambda: getattr(window, "failure_box", None) is not None, timeout=20_000)
    report = window.inbox.last_report
    line = (f"The library file {path} was moved or deleted while checking saved searches, so "
            "this check's findings were not saved there; open the library where it is now, or "
            "check again.")
    assert not report.ok and report.headline() == line
    assert window.job_bar.label.text() == f"⚠ {line}"
    box = window.failure_box
    assert box.windowTitle() == "Check not saved" and box.text() == line
    assert not path.exists()  # nothing made where the library was
    box.done(0)
    qtbot.waitUntil(lambda: not window.runner.running, timeout=10_000)
    moved.rename(path)  # back where it was, so the window closes on its own file


def _library_from_before_the_open_scope_rule(data_dir) -> None:
    """A library as the last release left it (schema 9: saved searches without statuses then
    followed every status): two shipped searches and one of the user's, one with statuses."""
    import sqlite3

    from tracker.store import LIBRARY_FILE_NAME
    from tracker.store.migrations import migrate

    path = data_dir / LIBRARY_FILE_NAME
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=9)
    conn.execute("DELETE FROM saved_searches WHERE position > 1")
    conn.execute("INSERT INTO saved_searches (name, criteria, position, created_at) VALUES "
                 "('Sonro MCL', '{\"intervention\": \"sonrotoclax\"}', 5, '2026-11-01'), "
                 "('Recruiting AML', '{\"condition\": \"AML\", \"statuses\": [\"RECRUITING\"]}',"
                 " 6, '2026-11-01')")
    conn.close()


def _open_window(qtbot, data_dir):
    from tracker.ui.main_window import MainWindow

    context = build_context(data_dir, api_url="http://127.0.0.1:9")
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.inbox.tree_entry() is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not window.runner.running, timeout=10_000)
    return window, context


def test_searches_narrowed_by_the_upgrade_are_named_once_above_the_panes(qtbot, tmp_path):
    data_dir = tmp_path / "library"
    data_dir.mkdir()
    _library_from_before_the_open_scope_rule(data_dir)
    window, context = _open_window(qtbot, data_dir)
    notice = window.inbox.scope_notice
    assert notice.isVisible()
    text = notice.label.text()
    assert text.startswith("<b>3 saved searches now follow open studies only</b> (not "
                           "completed, terminated, withdrawn or of unknown status): saved "
                           "before this version without statuses, they followed every "
                           "status until now: ")
    names = "“BCL-2 inhibitors: CLL/SLL”, “BCL-2 inhibitors: AML”, “Sonro MCL”"
    assert f"until now: {names}." in text
    assert "Recruiting AML" not in text  # it names its statuses: nothing changed for it
    assert "choose Edit and press All statuses (in a terminal: tracker searches edit NAME " \
        "--all-statuses)" in text
    notice.label.linkActivated.emit("saved-searches")  # the link opens the dialog
    qtbot.waitUntil(lambda: window.inbox.dialog.isVisible(), timeout=5_000)
    window.inbox.dialog.reject()
    notice.button.click()
    assert not notice.isVisible()
    window.close()
    context.close()
    window, context = _open_window(qtbot, data_dir)  # shown once: not after a restart
    assert not window.inbox.scope_notice.isVisible()
    window.close()
    context.close()


def test_a_new_library_gets_no_saved_search_notice(qtbot, tmp_path):
    window, context = _open_window(qtbot, tmp_path)
    assert not window.inbox.scope_notice.isVisible()
    window.close()
    context.close()


def test_inbox_pane_and_card_say_why_a_study_stopped_and_call_no_site_recruiting():
    import dataclasses

    from tracker.domain import Modality, RegistryStatus
    from tracker.domain.inbox import InboxItem, summarize_sites
    from tracker.ui.inbox_view import inbox_card
    from tracker.ui.inbox_words import inbox_study_html

    sites = summarize_sites([("Charité", "Berlin", "Germany", "RECRUITING", 52.52, 13.4)],
                            (52.52, 13.4), study_recruits=False)
    item = InboxItem("NCT06200009", "A title", None, (), RegistryStatus.SUSPENDED, None,
                     "2023-02-01", (), (), ("Myeloma CAR-T",), Modality.CAR_T, "",
                     Modality.CAR_T, "2025-01-20T10:00:00+00:00", "posted", sites=sites,
                     why_stopped="Manufacturing hold")
    html = inbox_study_html(item)
    assert "Why stopped" in html and "Manufacturing hold" in html
    assert ("1 site, nearest site under 1 km (listed as recruiting; the study is not): "
            "Charité, Berlin") in html
    assert "(1 recruiting)" not in html
    assert inbox_card(item, 0).facts.startswith("why stopped: Manufacturing hold")
    running = dataclasses.replace(item, status=RegistryStatus.RECRUITING, why_stopped=None)
    assert "why stopped" not in inbox_card(running, 0).facts.lower()


def test_the_search_editor_widens_a_search_to_every_status_in_one_press(qtbot):
    from tracker.domain import RegistryStatus
    from tracker.ui.dialogs.saved_searches import SearchEditor

    narrowed = SavedSearch(name="BCMA", criteria=SearchCriteria(term="BCMA"))
    editor = SearchEditor(narrowed)
    qtbot.addWidget(editor)
    qtbot.mouseClick(editor.all_statuses_button, Qt.MouseButton.LeftButton)
    editor.save()
    assert set(editor.result_search.criteria.statuses) == set(RegistryStatus)
    assert editor.result_search.criteria.term == "BCMA", "the rest is kept"
    qtbot.mouseClick(editor.open_only_button, Qt.MouseButton.LeftButton)
    editor.save()
    assert editor.result_search.criteria.statuses == ()


def test_inbox_window_shows_studies_a_cli_check_found(qtbot, inbox_window, registry):
    """`tracker searches check` run in a terminal while the window is open: the window's
    inbox fills when the window is activated again."""
    import subprocess
    import sys

    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    window = inbox_window
    assert window.inbox.count == 0
    done = subprocess.run([sys.executable, "-m", "tracker", "--data-dir",
                           str(window.context.data_dir), "--api-url", registry.base_url,
                           "searches", "check"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))
    qtbot.waitUntil(lambda: window.inbox.count == 2, timeout=10_000)
    assert window.tabs.tabText(window.inbox.page_index) == "Inbox (2)"


def test_no_outside_change_is_read_while_the_windows_own_inbox_job_writes(qtbot, inbox_window,
                                                                          registry):
    """The inbox's check writes on its own connection: while it runs, what changes in the
    library is the window's own doing, not another program's (no reload every few seconds)."""
    import sqlite3

    window = inbox_window
    qtbot.waitUntil(lambda: window.controller.seen_version is not None, timeout=10_000)
    qtbot.waitUntil(lambda: not window.runner.running, timeout=10_000)
    seen: list[str] = []
    window.controller.changed_elsewhere.connect(lambda: seen.append("reload"))
    registry.latency = 1.0
    assert window.inbox.check() is not None
    conn = sqlite3.connect(window.context.library.path)  # a write while the job runs
    conn.execute("UPDATE trials SET summary = 'edited' WHERE id = 'NCT02993523'")
    conn.commit()
    conn.close()
    window.outside_changes.check()
    qtbot.wait(300)
    assert window.inbox.job is not None and seen == []
    registry.latency = 0
    qtbot.waitUntil(lambda: window.inbox.job is None, timeout=20_000)


def test_inbox_card_strip_and_pane_call_a_passed_estimate_of_a_running_study_overdue():
    """The one rule of the cards and the detail pane (`views.passed_estimate` for a study
    `under_way`), against the user's day: a recruiting study's estimated dates it has passed
    are overdue; a completed study's leftover estimates, an actual date and a date still
    ahead are not."""
    import dataclasses
    import datetime as dt

    from tracker.domain import Modality, PartialDate, RegistryStatus
    from tracker.domain.inbox import InboxItem
    from tracker.ui.inbox_view import inbox_card, item_html
    from tracker.ui.inbox_words import inbox_study_html

    running = InboxItem("NCT06200009", "A title", None, (), RegistryStatus.RECRUITING, None,
                        "2024-02-01", (), (), ("Myeloma CAR-T",), Modality.CAR_T, "",
                        Modality.CAR_T, "2025-01-20T10:00:00+00:00", "posted",
                        start=PartialDate(value="2025-03", kind="ESTIMATED"),
                        primary_completion=PartialDate(value="2026-06", kind="ESTIMATED"))
    day = dt.date(2026, 7, 1)
    card = inbox_card(running, 0, day).facts
    assert "start 2025-03 (est., overdue) · primary completion 2026-06 (est., overdue)" in card
    assert "primary completion 2026-06 (est., overdue)" in item_html(running, day)
    pane = inbox_study_html(running, day)
    assert "2025-03 (est., overdue)" in pane and "2026-06 (est., overdue)" in pane
    assert "overdue" not in inbox_card(running, 0, dt.date(2025, 3, 31)).facts  # not yet
    actual = dataclasses.replace(running, start=PartialDate(value="2025-03", kind="ACTUAL"))
    assert "start 2025-03 ·" in inbox_card(actual, 0, day).facts
    completed = dataclasses.replace(running, status=RegistryStatus.COMPLETED)
    for text in (inbox_card(completed, 0, day).facts, item_html(completed, day),
                 inbox_study_html(completed, day)):
        assert "overdue" not in text and "2026-06 (est.)" in text


def test_inbox_window_check_names_an_inbox_study_that_changed_and_its_new_status(
        qtbot, inbox_window, registry):
    """A study the search no longer finds (it closed) is asked for by id; the status bar
    says a study stopped, and its account of the check (the tooltip) names it and its new
    status."""
    import datetime as dt

    window = inbox_window
    check(qtbot, window)
    today = dt.datetime.now(dt.UTC).date().isoformat()  # within the next check's window
    registry.set_status("NCT06200001", "TERMINATED", last_update=today,
                        why_stopped="Sponsor decision")
    check(qtbot, window)
    assert window.job_bar.label.text() == ("Checked 1 saved search: 0 new in the inbox; 1 inbox "
                                           "study terminated (hover for details); Inbox (2)")
    assert ("1 other inbox study changed in the registry (asked for by id): NCT06200001 → "
            "Terminated (why stopped: Sponsor decision)"
            ) in window.job_bar.label.toolTip().splitlines()
    # its search follows open studies only: the card and the pane say it no longer matches
    because = f"no longer matches: Terminated (updated {today})"
    card = window.inbox.view.model.card("NCT06200001")  # its last line dates the record
    assert (card.found_because, card.last_update) == ("no longer matches: Terminated",
                                                      f"last update posted {today}")
    window.inbox.show_page()
    view = window.inbox.view
    view.cards.setCurrentIndex(view.model.index(view.model.row_of("NCT06200001")))
    assert f"Found by Myeloma CAR-T ({because})" in " ".join(
        window.detail.browser.toPlainText().split())


def test_inbox_window_check_names_a_study_found_again_and_what_changed(
        qtbot, inbox_window, registry):
    """The search finds NCT06200001 again with its primary completion moved: the status
    bar's account of the check (its tooltip) names it and the change, and its card says
    it still matches (it matched all along) rather than that it now matches."""
    import datetime as dt

    window = inbox_window
    check(qtbot, window)
    today = dt.datetime.now(dt.UTC).date().isoformat()  # within the next check's window
    registry.put_studies([posted_study(make_study(
        "NCT06200001", interventions=("Ciltacabtagene autoleucel",),
        conditions=("Multiple Myeloma",), title="Cilta-cel in first relapse", sponsor="Janssen",
        primary_completion=("2027-03", "ESTIMATED"), last_update=today), "2025-01-10")])
    check(qtbot, window)
    assert "; 1 inbox study changed (hover for details); Inbox (2)" in \
        window.job_bar.label.text()
    assert ("1 inbox study changed in the registry (found again by a search): NCT06200001: "
            "primary completion +9 months") in window.job_bar.label.toolTip().splitlines()
    card = window.inbox.view.model.card("NCT06200001")
    assert card.found_because == "still matches: updated"  # the card's last line dates it
    assert_card_says_whole(window, card.found_because)


def assert_card_says_whole(window, text: str) -> None:
    """The card is painted with `text` in a space it fits (it was cut in a fixed third of
    a card: "still matches: updated 2026-1…")."""
    from PySide6.QtGui import QFontMetrics

    from tracker.ui.inbox_view import InboxCardDelegate

    painted = []
    window.resize(1400, 900)
    window.inbox.show_page()
    original = InboxCardDelegate._text
    try:
        InboxCardDelegate._text = staticmethod(
            lambda painter, font, colour, rect, said, *align: painted.append(
                (QFontMetrics(font).horizontalAdvance(said), rect.width(), said)))
        window.inbox.view.cards.viewport().grab()
    finally:
        InboxCardDelegate._text = staticmethod(original)
    [(needed, room, _said)] = [entry for entry in painted if entry[2] == text]
    assert room >= needed
