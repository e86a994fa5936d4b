"""Ctrl-click in the library tree combines entries of different sections (CAR-T + myeloma)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tracker.store import TrialQuery

CAR_T = {"modality": "car-t"}
MYELOMA = {"disease": "MM"}
CTRL = Qt.KeyboardModifier.ControlModifier


def _click(qtbot, window, criteria: dict, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    item = window.tree.item_for(criteria)
    assert item is not None, criteria
    window.tree.scrollToItem(item)
    qtbot.mouseClick(window.tree.viewport(), Qt.MouseButton.LeftButton, modifier,
                     window.tree.visualItemRect(item).center())


def _shown(qtbot, window, query: TrialQuery, context) -> set[str]:
    expected = {t.id for t in context.library.trials.list(query, with_outcomes=False)}
    qtbot.waitUntil(lambda: set(window.model.visible_ids()) == expected, timeout=5_000)
    return expected


def _selected(window) -> list[dict]:
    return [item.data(0, Qt.ItemDataRole.UserRole + 1) for item in window.tree.selectedItems()]


def test_ctrl_click_shows_car_t_trials_in_myeloma_and_says_so(qtbot, window, context):
    _click(qtbot, window, CAR_T)
    car_t = _shown(qtbot, window, TrialQuery(modality="car-t"), context)
    _click(qtbot, window, MYELOMA, CTRL)
    both = _shown(qtbot, window, TrialQuery(modality="car-t", disease="MM"), context)
    assert both and both < car_t  # narrower than CAR-T alone, and not empty
    assert all(window.model.card(i).modality.value == "car-t" for i in both)
    assert sorted(map(str, _selected(window))) == sorted(map(str, [CAR_T, MYELOMA]))
    assert window.count_label.text() == f"{len(both)} of 117 trials: CAR-T + MM"

    _click(qtbot, window, MYELOMA, CTRL)  # taken out again
    assert _shown(qtbot, window, TrialQuery(modality="car-t"), context) == car_t
    assert _selected(window) == [CAR_T]
    assert window.count_label.text() == f"{len(car_t)} of 117 trials"


def test_a_plain_click_after_a_combination_shows_one_entry(qtbot, window, context):
    _click(qtbot, window, CAR_T)
    _click(qtbot, window, MYELOMA, CTRL)
    _shown(qtbot, window, TrialQuery(modality="car-t", disease="MM"), context)
    _click(qtbot, window, {"modality": "bispecific"})
    _shown(qtbot, window, TrialQuery(modality="bispecific"), context)
    assert _selected(window) == [{"modality": "bispecific"}]
    _click(qtbot, window, MYELOMA, CTRL)  # a Ctrl-click in the same section replaces
    _click(qtbot, window, CAR_T, CTRL)
    _shown(qtbot, window, TrialQuery(modality="car-t", disease="MM"), context)
    assert window.tree.current_criteria == CAR_T | MYELOMA


def test_ctrl_space_combines_from_the_keyboard(qtbot, window, context):
    _click(qtbot, window, CAR_T)
    window.tree.setFocus()
    below = window.tree.itemBelow(window.tree.item_for(CAR_T))
    qtbot.keyClick(window.tree, Qt.Key.Key_Down, CTRL)  # moves without filtering
    assert window.tree.currentItem() is below
    _shown(qtbot, window, TrialQuery(modality="car-t"), context)
    target = window.tree.item_for(MYELOMA)
    for _ in range(60):  # Ctrl+↓ down to the myeloma entry, the CAR-T cards staying shown
        if window.tree.currentItem() is target:
            break
        qtbot.keyClick(window.tree, Qt.Key.Key_Down, CTRL)
    assert window.tree.currentItem() is target and window.tree.current_criteria == CAR_T
    qtbot.keyClick(window.tree, Qt.Key.Key_Space, CTRL)
    _shown(qtbot, window, TrialQuery(modality="car-t", disease="MM"), context)
    assert window.tree.current_criteria == CAR_T | MYELOMA


def test_an_empty_combination_names_every_entry(qtbot, window, context):
    context.library.tags.add("NCT02435849", ["journal club"])  # ELIANA: CAR-T, not bispecific
    window.controller.reload()
    qtbot.waitUntil(lambda: window.tree.item_for({"tag": "journal club"}) is not None,
                    timeout=5_000)
    _click(qtbot, window, {"modality": "bispecific"})
    _click(qtbot, window, {"tag": "journal club"}, CTRL)
    qtbot.waitUntil(lambda: window.card_stack.currentWidget() is window.empty_state,
                    timeout=5_000)
    message = window.empty_state.label.text()
    assert "No trials tagged “journal club” with the filter Bispecific." in message


def test_renaming_a_combined_tag_keeps_the_combination(qtbot, window, context):
    context.library.tags.add("NCT05182385", ["venetoclax read"])  # blinatumomab + venetoclax
    window.controller.reload()
    qtbot.waitUntil(lambda: window.tree.item_for({"tag": "venetoclax read"}) is not None,
                    timeout=5_000)
    _click(qtbot, window, {"modality": "bcl2"})
    _click(qtbot, window, {"tag": "venetoclax read"}, CTRL)
    _shown(qtbot, window, TrialQuery(modality="bcl2", tag="venetoclax read"), context)
    window.tag_actions.rename("venetoclax read", "ven read")
    qtbot.waitUntil(lambda: window.tree.current_criteria == {"modality": "bcl2",
                                                             "tag": "ven read"}, timeout=5_000)
    assert _shown(qtbot, window, TrialQuery(modality="bcl2", tag="ven read"), context) == {
        "NCT05182385"}


def test_ctrl_a_in_the_tree_highlights_only_what_is_shown(qtbot, window, context):
    _click(qtbot, window, CAR_T)
    window.tree.setFocus()
    qtbot.keyClick(window.tree, Qt.Key.Key_A, CTRL)
    assert _selected(window) == [CAR_T] and window.tree.current_criteria == CAR_T
