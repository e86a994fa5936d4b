"""What hides the selected trial, in words: only what does hide it is named."""

from __future__ import annotations

from tracker.domain.hidden_trial import HiddenBy

LIST = "the watch list “Heme JC”"


def test_a_trial_in_the_list_shown_is_said_to_be_in_it_and_hidden_by_the_filter():
    hidden = HiddenBy(filters=("changed since the last sync",), listed_in=(LIST,))
    assert hidden.why() == ("is in the watch list “Heme JC” but hidden by the filter "
                            "“changed since the last sync”")
    assert hidden.undo() == "turn off that filter"


def test_each_thing_that_hides_it_is_named_with_what_undoes_it():
    assert HiddenBy(not_in=(LIST,)).why() == \
        "is not in this watch list or filter (the watch list “Heme JC”)"
    both = HiddenBy(search="cilta", not_in=("CAR-T",))
    assert both.why() == ("is not in this watch list or filter (CAR-T) and is hidden by the "
                          "current search “cilta”")
    assert both.undo() == "clear the search and choose All trials"
    boxes = HiddenBy(search="aml", filters=("Phase 3", "recruiting within 50 km of home"))
    assert boxes.why() == ("is hidden by the current search “aml” and the filters “Phase 3” "
                           "and “recruiting within 50 km of home”")
    assert boxes.undo() == "clear the search and turn off those filters"
