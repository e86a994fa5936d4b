"""How library-tree entries combine (Ctrl-click): one entry per section, sections ANDed."""

from __future__ import annotations

from tracker.ui.tree_criteria import part_with, parts, replaced, toggled

CAR_T = {"modality": "car-t"}
MYELOMA = {"disease": "MM"}
LIST = {"watchlist_id": 3, "watchlist_name": "Myeloma club"}


def test_an_entry_of_another_section_is_added():
    assert toggled(CAR_T, MYELOMA) == {"modality": "car-t", "disease": "MM"}
    assert toggled(toggled(CAR_T, MYELOMA), LIST) == CAR_T | MYELOMA | LIST


def test_an_entry_of_the_same_section_replaces_the_one_chosen_there():
    assert toggled(CAR_T | MYELOMA, {"modality": "bispecific"}) == {
        "modality": "bispecific", "disease": "MM"}
    exact = {"disease": "Plasma cell", "disease_exact": True}
    assert toggled(CAR_T | exact, MYELOMA) == CAR_T | MYELOMA  # no stale disease_exact
    assert toggled(CAR_T | MYELOMA, exact) == CAR_T | exact


def test_a_chosen_entry_is_taken_out_and_all_trials_clears():
    assert toggled(CAR_T | MYELOMA, MYELOMA) == CAR_T
    assert toggled(CAR_T, CAR_T) == {}
    assert toggled(CAR_T | MYELOMA | LIST, {}) == {}
    # the group entry is not the same entry as "Plasma cell, unspecified"
    assert toggled({"disease": "Plasma cell"}, {"disease": "Plasma cell", "disease_exact": True}
                   ) == {"disease": "Plasma cell", "disease_exact": True}


def test_parts_come_in_tree_order_and_name_their_section():
    combined = {"tag": "phase 3 read", "disease": "MM", "modality": "car-t"} | LIST
    assert parts(combined) == [CAR_T, MYELOMA, LIST, {"tag": "phase 3 read"}]
    assert part_with(combined, "watchlist_id") == LIST
    assert part_with(CAR_T, "watchlist_id") == {}
    assert parts({}) == []


def test_a_renamed_or_deleted_entry_keeps_the_others():
    combined = CAR_T | {"tag": "old"}
    assert replaced(combined, {"tag": "old"}, {"tag": "new"}) == CAR_T | {"tag": "new"}
    assert replaced(combined, {"tag": "old"}, {}) == CAR_T
    assert replaced(CAR_T | LIST, LIST, LIST | {"watchlist_name": "Renamed"}) == (
        CAR_T | {"watchlist_id": 3, "watchlist_name": "Renamed"})
    assert replaced(CAR_T, {"tag": "other"}, {}) == CAR_T  # not shown: unchanged
