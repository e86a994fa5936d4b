"""Card painting details a reviewer found at 1024×700: twins' distinction, the no-figure line."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont

from tracker.ui.card_delegate import headline_font_for, meta_text
from tracker.ui.trial_model import TrialRole
from tracker.ui.window_layout import TREE_MIN_WIDTH


def _index(window, trial_id):
    window.model.show_only(list(window.model.all_cards()))
    return window.model.index(window.model.row_of(trial_id), 0)


def test_a_twins_distinction_is_on_the_metadata_line_not_after_the_title(window):
    index = _index(window, "NCT04155749")
    assert index.data(TrialRole.TITLE_TEXT) == "BCMA CAR-T cells in relapsed/refractory MM"
    assert index.data(TrialRole.DISTINCTION) == "Arcellx"
    card = index.data(TrialRole.CARD)
    assert meta_text(card, "Arcellx").startswith("NCT04155749 · Arcellx · ")
    # screen readers still hear the whole title with its distinction
    assert "— Arcellx" in index.data(Qt.ItemDataRole.AccessibleTextRole)


def test_an_acronym_card_keeps_its_brief_title_on_the_title_line(window):
    index = _index(window, "NCT02993523")
    assert index.data(TrialRole.TITLE_TEXT).startswith("VIALE-A — ")
    assert index.data(TrialRole.DISTINCTION) == ""


def test_no_efficacy_line_is_italic_lighter_and_smaller_than_a_reported_figure():
    base = QFont()
    base.setPointSizeF(10)
    reported, absent = headline_font_for(base, True), headline_font_for(base, False)
    assert reported.bold() and not reported.italic()
    assert absent.italic() and not absent.bold()
    assert absent.pointSizeF() < base.pointSizeF()


def test_the_tree_pane_can_shrink_at_1024_wide(qtbot, window):
    assert window.tree.minimumWidth() == TREE_MIN_WIDTH <= 160
    window.resize(1024, 700)
    qtbot.waitExposed(window)
    sizes = window.splitter.sizes()
    window.splitter.setSizes([TREE_MIN_WIDTH, sizes[1] + sizes[0] - TREE_MIN_WIDTH, sizes[2]])
    qtbot.waitUntil(lambda: window.splitter.sizes()[0] == TREE_MIN_WIDTH, timeout=3_000)


def _children_counts(item):
    import re

    return {item.child(i).text(0).rsplit(" (", 1)[0]:
            int(re.search(r"\((\d+)\)$", item.child(i).text(0)).group(1))
            for i in range(item.childCount())}


def test_a_group_shows_its_trials_filed_at_the_group_only_as_unspecified(qtbot, window):
    all_item = window.tree.item_for({"disease": "ALL"})
    total = int(all_item.text(0).rsplit("(", 1)[1].rstrip(")"))
    children = _children_counts(all_item)
    assert "ALL, unspecified" in children
    assert sum(children.values()) >= total  # a trial in two subtypes counts in both
    unspecified = window.tree.item_for({"disease": "ALL", "disease_exact": True})
    window.tree.itemClicked.emit(unspecified, 0)
    qtbot.waitUntil(lambda: window.model.rowCount() == children["ALL, unspecified"],
                    timeout=5_000)
    for trial_id in window.model.visible_ids():
        codes = {c.strip() for c in window.model.card(trial_id).diseases.split(",")}
        assert "ALL" in codes and not codes & {"B-ALL", "T-ALL", "ETP-ALL", "LBL"}, codes


def test_the_myeloid_group_does_not_promise_what_it_may_not_hold(window):
    item = window.tree.item_for({"disease": "Myeloid"})
    assert item is not None and not item.text(0).startswith("MDS / MPN")
    assert item.text(0).startswith("Myeloid neoplasms")


def test_expanded_branches_stay_expanded_after_a_reload(qtbot, window):
    all_item = window.tree.item_for({"disease": "ALL"})
    assert not all_item.isExpanded()
    all_item.setExpanded(True)
    window.tree.item_for({"disease": "Leukemia"}).setExpanded(True)
    window.tree.item_for({"disease": "Lymphoma"}).setExpanded(False)
    window.controller.reload()
    qtbot.waitUntil(lambda: window.tree.item_for({"disease": "ALL"}) is not all_item,
                    timeout=10_000)
    assert window.tree.item_for({"disease": "ALL"}).isExpanded()
    assert not window.tree.item_for({"disease": "Lymphoma"}).isExpanded()
