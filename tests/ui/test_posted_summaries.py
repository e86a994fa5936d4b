"""A folded posted section's one-line summary names each arm beside its figure, cut short
enough that four arms still fit a line."""

from __future__ import annotations

from tracker.domain.adverse_events import AdverseEvents, EventGroup, Proportion
from tracker.ui.detail_posted import SUMMARY_ARM_MAX, adverse_events_summary

LONG_ARM = "Cohort B: Lisocabtagene maraleucel 100 x10^6 CAR+ T cells after bridging therapy"


def test_serious_shares_name_their_arms_and_long_names_are_cut_at_a_word():
    events = AdverseEvents(groups=(
        EventGroup("EG000", "Venetoclax + Azacitidine", serious=Proportion(235, 283)),
        EventGroup("EG001", LONG_ARM, serious=Proportion(10, 40))))
    summary = adverse_events_summary(events)
    assert summary.startswith("serious in 83.0% (Venetoclax + Azacitidine) vs 25.0% (Cohort B:")
    long_name = summary[summary.index("25.0% (") + 7:-1]
    assert long_name.endswith(" …") and len(long_name) <= SUMMARY_ARM_MAX
    assert LONG_ARM.startswith(long_name.removesuffix(" …"))


def test_an_arm_without_a_share_gives_the_term_counts_instead():
    events = AdverseEvents(groups=(EventGroup("EG000", "Arm A", serious=Proportion(3, None)),))
    assert adverse_events_summary(events) == "0 serious terms, 0 other"
