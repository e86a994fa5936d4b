"""One rule for what a timeline bar spans (the window's and the handout's)."""

from tracker.domain.timeline import bar_ends


def test_a_bar_spans_start_to_completion_and_falls_back_in_order():
    assert bar_ends("2017", "2020", "2022") == ("2017", "2022")
    assert bar_ends("2017", "2020", None) == ("2017", "2020")
    assert bar_ends(None, "2020", "2022") == ("2020", "2022")
    assert bar_ends("2017", None, None) == ("2017", "2017")
    assert bar_ends(None, None, None) is None
