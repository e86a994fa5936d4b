"""Tags and the disease tree in the library tree; empty results, the sync banner, twins,
the detail pane when a filter hides its trial, and the Add dialog's known ids."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from tests.ui.conftest import select_trial, wait_hidden_reason
from tests.ui.helpers import answer_next_question


def _click(qtbot, window, criteria: dict) -> None:
    item = window.tree.item_for(criteria)
    assert item is not None, criteria
    window.tree.itemClicked.emit(item, 0)


def _tag(qtbot, window, trial_id: str, tags: list[str]) -> None:
    window.controller.set_tags(trial_id, tags)
    qtbot.waitUntil(lambda: all(window.tree.item_for({"tag": t}) is not None for t in tags),
                    timeout=5_000)


def test_tags_branch_counts_filters_renames_and_deletes(qtbot, window):
    _tag(qtbot, window, "NCT02993523", ["journal club", "AML"])
    _tag(qtbot, window, "NCT03548207", ["journal club"])
    qtbot.waitUntil(lambda: window.tree.item_for({"tag": "journal club"}).text(0)
                    == "journal club (2)", timeout=5_000)
    _click(qtbot, window, {"tag": "journal club"})
    qtbot.waitUntil(lambda: sorted(window.model.visible_ids())
                    == ["NCT02993523", "NCT03548207"], timeout=5_000)
    window.tag_actions.rename("journal club", "JC March")
    qtbot.waitUntil(lambda: window.tree.item_for({"tag": "JC March"}) is not None, timeout=5_000)
    assert window.tree.item_for({"tag": "journal club"}) is None
    assert window.context.library.tags.for_trial("NCT03548207") == ["JC March"]
    qtbot.waitUntil(lambda: window.tree.current_criteria == {"tag": "JC March"}, timeout=5_000)
    assert window.model.rowCount() == 2  # still showing the renamed tag
    answer_next_question(QMessageBox.StandardButton.Yes)
    window.tag_actions.delete("JC March")
    qtbot.waitUntil(lambda: window.tree.item_for({"tag": "JC March"}) is None, timeout=5_000)
    qtbot.waitUntil(lambda: window.model.rowCount() > 100, timeout=5_000)  # back to all
    assert window.context.library.tags.for_trial("NCT02993523") == ["AML"]


def test_disease_branch_is_a_tree_whose_counts_roll_up(qtbot, window):
    leukemia = window.tree.item_for({"disease": "Leukemia"})
    codes = [leukemia.child(i).text(0).rsplit(" (", 1)[0] for i in range(leukemia.childCount())]
    assert {"AML", "ALL", "CLL/SLL"} <= set(codes)
    all_item = window.tree.item_for({"disease": "ALL"})
    assert {all_item.child(i).text(0).rsplit(" (", 1)[0] for i in range(all_item.childCount())} \
        >= {"B-ALL", "T-ALL", "LBL"}
    count = int(leukemia.text(0).rsplit("(", 1)[1].rstrip(")"))
    _click(qtbot, window, {"disease": "Leukemia"})
    qtbot.waitUntil(lambda: window.model.rowCount() == count, timeout=5_000)
    labels = [i.text(0).rsplit(" (", 1)[0] for i in window.tree._all_items()]
    assert "hematologic malignancies" not in labels and "SLL" not in labels
    assert labels.count("ALL") == 1 and labels.count("NHL") == 1  # one entry per disease
    lbcl = window.tree.item_for({"disease": "LBCL"})
    assert window.tree.item_for({"disease": "DLBCL"}).parent() is lbcl


def test_an_empty_result_says_so_and_clears(qtbot, window):
    _click(qtbot, window, {"modality": "bispecific"})
    qtbot.waitUntil(lambda: window.model.rowCount() < 20, timeout=5_000)
    qtbot.keyClicks(window.search_box, "zzqx")
    qtbot.waitUntil(lambda: window.card_stack.currentWidget() is window.empty_state,
                    timeout=5_000)
    text = window.empty_state.label.text()
    assert "No trials with the filter Bispecific match “zzqx”." in text
    assert "<a " not in text  # one way to clear: the button, not a link beside it too
    assert window.empty_state.clear_button.text() == "Clear search and filters"
    window.empty_state.clear_button.click()
    qtbot.waitUntil(lambda: window.model.rowCount() > 100, timeout=5_000)
    assert window.card_stack.currentWidget() is window.cards
    assert window.search_box.text() == "" and window.tree.current_criteria == {}


def test_never_synced_library_says_so_once_in_a_banner(qtbot, window):
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=5_000)
    assert "Not synced yet" in window.banner.label.text()
    window.banner.button.click()
    assert window.controller.job is not None  # Sync now started the sync
    window.controller.cancel_job()
    qtbot.waitUntil(lambda: window.controller.job is None, timeout=20_000)
    qtbot.waitUntil(lambda: not window.runner.running, timeout=5_000)


def test_cards_with_the_same_title_are_told_apart(window):
    titles = [window.model.title_text(window.model.card(i)) for i in
              ("NCT05577000", "NCT04155749", "NCT03943472", "NCT04272151")]
    assert len(set(titles)) == 4
    assert titles[1] == "BCMA CAR-T cells in relapsed/refractory MM — Arcellx"


def test_detail_pane_says_when_a_search_hides_the_selected_trial(qtbot, window):
    select_trial(qtbot, window, "NCT02993523")
    window.search_box.setText("cilta")
    wait_hidden_reason(qtbot, window)
    text = window.detail.browser.toPlainText()
    assert "VIALE-A" in text and "hidden by the current search" in text
    assert not window.detail.notes.isEnabled()


def test_add_dialog_says_an_id_is_already_in_the_library(qtbot, window):
    from tracker.ui.dialogs.add_trial import AddTrialDialog

    dialog = AddTrialDialog(window.context, window.runner, window)
    qtbot.addWidget(dialog)
    dialog.ids_edit.setPlainText("nct02993523")
    qtbot.waitUntil(lambda: "Already in the library" in dialog.message.text(), timeout=5_000)
    assert "NCT02993523 (VIALE-A)" in dialog.message.text()
    dialog._on_accepted()
    assert dialog.chosen_ids == [] and dialog.result() == 0  # stays open, nothing to add
    dialog.ids_edit.setPlainText("NCT02993523 NCT09999999")
    qtbot.waitUntil(lambda: "looks up the other one" in dialog.message.text(), timeout=5_000)
    dialog._on_accepted()
    assert dialog.chosen_ids == ["NCT02993523", "NCT09999999"]  # each accounted for in the report


def test_twins_use_a_field_that_differs_between_them(seeded_library):
    from tracker.services.browse import distinctions

    seeded_library.database.execute("UPDATE trials SET sponsor = 'AbbVie'")  # same for all
    cards = seeded_library.cards.all_cards()
    found = distinctions(seeded_library, cards)
    twins = ["NCT05577000", "NCT04155749", "NCT03943472", "NCT04272151"]
    assert len({found[i] for i in twins}) == 4 and found["NCT04155749"] == "Arcellx"


def test_trials_without_a_registry_record_are_not_called_unsynced(qtbot, window):
    item = window.tree.item_for({"status": "state:no_registry_record"})
    assert item is not None and item.text(0).startswith("No registry record (")
    unsynced = window.tree.item_for({"status": "state:never_synced"})
    assert unsynced.text(0).startswith("Not synced yet (")
    window.tree.itemClicked.emit(item, 0)
    qtbot.waitUntil(lambda: 0 < window.model.rowCount() < 100, timeout=5_000)
    assert all(i.startswith("LOCAL-") for i in window.model.visible_ids())
