"""The detail pane's registry results after a real sync with the loopback registry: analyses
name the arms they compare, counts of samples sit beside the samples analysed."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QUrl

from tests.fakes.three_arm import KARMMA, three_arm_study
from tests.ui.conftest import select_trial
from tests.ui.test_sync_window import _sync, open_window


@pytest.fixture
def registry(ctgov_server):
    ctgov_server.put_studies([three_arm_study()])
    return ctgov_server


def _open_on(qtbot, window, trial_id: str, wait_for: str) -> str:
    _sync(qtbot, window, [trial_id])
    select_trial(qtbot, window, trial_id)
    qtbot.waitUntil(lambda: wait_for in window.detail.browser.toPlainText(), timeout=5_000)
    return window.detail.browser.toPlainText()


@pytest.fixture
def window(qtbot, tmp_path, registry):
    window = open_window(qtbot, tmp_path / "library", registry)
    yield window
    window.close()
    window.context.close()


def test_detail_analyses_name_the_compared_arms(qtbot, window):
    text = _open_on(qtbot, window, KARMMA, "Analyses posted")
    assert ("Ide-cel 300 and 450 x10^6, “450 vs 300”: OR 2.0 (95% CI 0.9–4.6), p = 0.09; "
            "Fisher Exact") in text
    assert "300 vs 450" not in text  # no order the registry did not give
    assert "Ide-cel 150 vs 450 x10^6: OR 4.4 (95% CI 0.5–36), p = 0.20" in text


def test_detail_counts_of_samples_sit_beside_the_samples_analysed(qtbot, window):
    text = _open_on(qtbot, window, KARMMA, "MRD negativity by sample")
    mrd = text[text.index("MRD negativity by sample"):]
    assert "n = 40 bone marrow samples" in mrd and "n = 33 bone marrow samples" in mrd
    assert "n = 70 participants" not in mrd and "n = 54 participants" not in mrd


def test_card_and_detail_point_to_registry_results_when_the_reviews_quote_none(
        qtbot, window, registry):
    from tests.fakes.three_arm import CARTIFAN
    from tracker.ui.card_delegate import card_headline

    other = "NCT02348216"  # ZUMA-1: curated, never synced here, no figure either
    assert card_headline(window.model.all_cards()[other]) == "No efficacy figure in the reviews"
    registry.put_studies([three_arm_study(), three_arm_study(CARTIFAN)])
    text = _open_on(qtbot, window, CARTIFAN, "Registry results")
    assert ("No efficacy figure from the reviews: the reviews quote none for this trial · "
            "registry results posted (3 measures), shown below.") in text
    qtbot.waitUntil(lambda: window.model.all_cards()[CARTIFAN].results_posted, timeout=5_000)
    assert card_headline(window.model.all_cards()[CARTIFAN]) == \
        "No efficacy figure from the reviews · registry results posted"


def test_detail_references_use_the_headers_rule_for_older_papers(qtbot, window):
    from tracker.ui.detail_html import FOLD_SCHEME

    text = _open_on(qtbot, window, KARMMA, "References")
    assert "Results published" not in text, "the header skips the 2011 paper"
    window.detail.browser.anchorClicked.emit(QUrl(f"{FOLD_SCHEME}:references"))
    qtbot.waitUntil(lambda: "Tichelli" in window.detail.browser.toPlainText(), timeout=5_000)
    text = window.detail.browser.toPlainText()
    assert "Filed as result, published before the study started in 2023: Tichelli A" in text
    assert "Result: Tichelli" not in text


def test_detail_results_with_adverse_events_only_say_so(qtbot, window, registry):
    from tests.fakes.demo_safety import car_t_results

    study = three_arm_study()
    study["resultsSection"] = {"adverseEventsModule": car_t_results()["adverseEventsModule"]}
    registry.put_studies([study])
    text = _open_on(qtbot, window, KARMMA, "Registry results")
    assert "Registry results — no outcome measures; adverse events posted" in text
    assert "No outcome measures posted; adverse events posted (below)." in text
    assert "0 measures" not in text


def test_detail_shows_impossible_counts_as_posted_and_assigns_no_shared_id(qtbot, window,
                                                                          registry):
    from tests.unit.test_impossible_posted_values import STUDY, edge_study

    registry.put_studies([edge_study()])
    text = _open_on(qtbot, window, STUDY, "Serious adverse events")
    assert "5/0 (as posted: affected exceeds at risk)" in text
    assert "%" not in text[text.index("Cytokine release syndrome"):][:80]
    assert text.count("Event counts not assigned: group id EG001 is posted for 2 arms "
                      "(Arm B; Arm C).") == 4, "serious and other events, for both arms"
    assert "not assigned: group id OG000 is posted for 2 arms" in text
    assert "50/10" not in text and "500.0%" not in text


def test_detail_totals_say_total_not_posted_above_events_posted_without_one(qtbot, window,
                                                                            registry):
    """ZUMA-1 posts no arm total of participants with other events, yet lists Neutropenia
    for both arms: the totals say the total is not posted, not that the events are not. An
    arm with no serious total but serious events listed says the same; deaths, posted only
    as totals, stay "not posted"."""
    from tests.fakes.demo_safety import AXI, SOC, car_t_results
    from tests.ui.test_detail_adverse_events import _row_of

    events = car_t_results()["adverseEventsModule"]
    standard_of_care = events["eventGroups"][1]
    del standard_of_care["seriousNumAffected"], standard_of_care["seriousNumAtRisk"]
    study = three_arm_study()
    study["resultsSection"] = {"adverseEventsModule": events}
    registry.put_studies([study])
    text = _open_on(qtbot, window, KARMMA, "Serious adverse events")
    assert "158/170 (92.9%)" in text, "the other events are listed"
    assert _row_of(window, AXI, after="Participants with") == [
        AXI, "85/170 (50.0%)", "total not posted", "not posted"]
    assert _row_of(window, SOC, after="Participants with") == [
        SOC, "total not posted", "total not posted", "not posted"]
