"""The handout's charts: row labels that fit and never read alike, figures beside the dots, and
the timeline's today / meeting labels that never overlap. Widths are measured with Qt's font
metrics for DejaVu Sans (the charts' first font), not with the estimate the charts use."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from tracker.domain import Outcome, Trial
from tracker.services.exports.charts import LABEL, WIDTH, dot_plot, marker_labels, timeline
from tracker.services.exports.handout import build_handout

NOW = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)
SOURCE = {"file": "000_50fe522fa3562aed.txt", "locator": "Table 1"}
SVG = "{http://www.w3.org/2000/svg}"
SAME = "BCMA CAR-T cells in relapsed/refractory MM"
LONG = ("Case series of hypomethylating agent plus venetoclax salvage in adults with "
        "relapsed/refractory ETP-ALL (Agrawal et al, 2025)")
VEN_PEDS = ("Phase 1 study of venetoclax alone or with chemotherapy in pediatric and young "
            "adult patients with relapsed/refractory ALL")
VEN_AML = "Phase 1 study of venetoclax alone or with chemotherapy in adults with AML"


def _responses(orr: str, cr: str) -> list[Outcome]:
    return [Outcome(metric="ORR", value=orr, source=SOURCE),
            Outcome(metric="CR", value=cr, source=SOURCE)]


def _dated(trial_id: str, **fields) -> Trial:
    return Trial(id=trial_id, start_date={"value": "2019-05", "kind": "ACTUAL"},
                 completion_date={"value": "2028-01", "kind": "ESTIMATED"}, **fields)


@pytest.fixture
def chart_list(empty_library):
    trials = [
        _dated("NCT03548207", acronym="CARTITUDE-1", brief_title="Cilta-cel in myeloma",
               outcomes=_responses("97.9%", "82.5%")),
        _dated("LOCAL-HMA-VEN-RR-ETP-ALL-AGRAWAL", brief_title=LONG,
               outcomes=_responses("60%", "40%")),
        *(_dated(f"NCT0394347{n}", brief_title=SAME, outcomes=_responses("70%", "5%"))
          for n in range(3)),
        _dated("NCT03236857", brief_title=VEN_PEDS, outcomes=_responses("45%", "20%")),
        _dated("NCT03236858", brief_title=VEN_AML, outcomes=_responses("50%", "30%")),
    ]
    empty_library.trials.insert(trials)
    empty_library.watchlists.create("Charts", meeting_date=NOW.date() + dt.timedelta(days=3))
    empty_library.watchlists.add("Charts", [t.id for t in trials])
    return build_handout(empty_library, "Charts", now=NOW)


def _texts(svg: str) -> list[tuple[float, float, str, str]]:
    """(x, y, text-anchor, text) of every text element."""
    root = ET.fromstring(svg)
    return [(float(t.get("x")), float(t.get("y")), t.get("text-anchor", "start"), t.text or "")
            for t in root.iter(f"{SVG}text")]


def _row_labels(svg: str) -> list[str]:
    return [text for x, _, anchor, text in _texts(svg) if anchor == "end" and x == LABEL - 4]


def _width(text: str, size: float = 9) -> float:
    from PySide6.QtGui import QFont, QFontMetricsF

    font = QFont("DejaVu Sans")
    font.setPixelSize(round(size * 100))  # measured large, scaled down: no hinting rounding
    return QFontMetricsF(font).horizontalAdvance(text) / 100


@pytest.mark.parametrize("chart", [dot_plot, timeline])
def test_row_labels_fit_prefer_the_acronym_end_with_an_ellipsis_and_never_repeat(
        qapp, chart_list, chart):
    labels = _row_labels(chart(chart_list).svg)
    assert len(labels) == 7
    assert labels[0] == "CARTITUDE-1"
    case_series = labels[1]
    assert case_series.endswith("…") and LONG.startswith(case_series[:-1].rstrip())
    assert len(case_series) > 28  # the room is used, not a fixed 28-character cut
    assert len({label.casefold() for label in labels}) == len(labels), labels
    same = labels[2:5]  # identical titles: told apart by their NCT ids
    assert [label.rsplit(" ", 1)[-1] for label in same] == [
        "(NCT03943470)", "(NCT03943471)", "(NCT03943472)"]
    assert all(label.startswith("BCMA CAR-T cells") for label in same)
    assert "AML" in labels[6]  # the two venetoclax titles differ at their end: it is shown
    for label in labels:
        assert _width(label) <= LABEL - 6, label  # inside the label column
        cut = label.split("…")[0].split()
        assert cut[-1] not in ("in", "of", "or", "with", "plus"), label  # not 'alone or…'


def test_dots_carry_their_figures_where_there_is_room(qapp, chart_list):
    assert "caveat" not in dot_plot(chart_list).caption  # nothing was left out
    texts = _texts(dot_plot(chart_list).svg)
    figures = {text for _, _, _, text in texts if text.endswith("%") and "." in text}
    assert {"97.9%", "82.5%"} <= figures
    row = [(x, anchor, text) for x, _, anchor, text in texts if text in ("97.9%", "82.5%")]
    assert ("end", "82.5%") in [(a, t) for _, a, t in row]  # CR left of its square
    assert ("start", "97.9%") in [(a, t) for _, a, t in row]  # ORR right of its circle
    for x, anchor, text in row:
        left = x - _width(text, 8) if anchor == "end" else x
        assert LABEL <= left and left + _width(text, 8) <= WIDTH


def _boxes(svg: str, names: set[str]) -> dict[str, tuple[float, float, float]]:
    """name -> (left, right, baseline) of the marker labels."""
    found = {}
    for x, y, anchor, text in _texts(svg):
        if text in names:
            width = _width(text)
            left = x - width if anchor == "end" else x
            found[text] = (left, left + width, y)
    return found


@pytest.mark.parametrize("days", [-40, -3, 0, 3, 20, 45, 90, 300])
def test_today_and_meeting_labels_never_overlap_or_run_together(qapp, empty_library, days):
    empty_library.trials.insert([Trial(  # a two-year axis: a few weeks are a few pixels
        id="NCT03548207", acronym="CARTITUDE-1", start_date={"value": "2026-01", "kind": "ACTUAL"},
        completion_date={"value": "2027-06", "kind": "ESTIMATED"})])
    empty_library.watchlists.create("Soon", meeting_date=NOW.date() + dt.timedelta(days=days))
    empty_library.watchlists.add("Soon", ["NCT03548207"])
    chart = timeline(build_handout(empty_library, "Soon", now=NOW))
    boxes = _boxes(chart.svg, {"today", "meeting"})
    (a_left, a_right, a_y), (b_left, b_right, b_y) = boxes.values()
    apart = a_right + 4 <= b_left or b_right + 4 <= a_left  # not read as 'meeting today'
    assert apart or abs(a_y - b_y) >= 9, boxes
    assert all(0 <= left and right <= WIDTH for left, right, _ in boxes.values())


def test_marker_labels_keep_their_descenders_inside_the_picture(qapp, empty_library):
    empty_library.trials.insert([_dated("NCT03548207", acronym="CARTITUDE-1")])
    empty_library.watchlists.create("Soon", meeting_date=NOW.date() + dt.timedelta(days=3))
    empty_library.watchlists.add("Soon", ["NCT03548207"])
    chart = timeline(build_handout(empty_library, "Soon", now=NOW))
    baselines = [y for _, y, _, text in _texts(chart.svg) if text in ("today", "meeting")]
    assert len(baselines) == 2 and all(y + 2 <= chart.height for y in baselines)  # the y of today


def test_marker_labels_near_the_right_edge_go_on_lines_of_their_own(qapp):
    edge = WIDTH - 12
    placed = marker_labels([(edge - 2, "today", "green"), (edge, "meeting", "purple")], 100)
    boxes = []
    for (x, y, anchor), name in zip(placed, ("today", "meeting")):
        left = x - _width(name) if anchor == "end" else x
        boxes.append((left, left + _width(name), y))
        assert 0 <= left and left + _width(name) <= WIDTH
    (_, _, first_y), (_, _, second_y) = boxes
    assert abs(first_y - second_y) >= 9


def test_a_figure_with_a_curators_caveat_is_not_a_bare_dot(qapp, empty_library):
    """CARTITUDE-1's 82.5% is sCR per the curator's caveat: the plot leaves it out (the
    table prints it with its caveat letter) and its caption says one figure was left out."""
    outcomes = [Outcome(metric="ORR", value="97.9%", source=SOURCE),
                Outcome(metric="CR", value="82.5%", source=SOURCE,
                        caveat="82.5% is the stringent complete response (sCR) rate.")]
    trials = [_dated("NCT03548207", acronym="CARTITUDE-1", brief_title="Cilta-cel",
                     outcomes=outcomes),
              _dated("NCT03236858", brief_title=VEN_AML, outcomes=_responses("50%", "30%"))]
    empty_library.trials.insert(trials)
    empty_library.watchlists.create("Charts")
    empty_library.watchlists.add("Charts", [t.id for t in trials])
    chart = dot_plot(build_handout(empty_library, "Charts", now=NOW))
    texts = {text for _, _, _, text in _texts(chart.svg)}
    assert "97.9%" in texts and "82.5%" not in texts
    assert "1 figure with a curator's caveat is not plotted: the table gives it with the " \
        "caveat." in chart.caption


@pytest.mark.parametrize(("start", "end"), [("2024-01", "2027-06"), ("2014-12", "2034-06"),
                                            ("1995-01", "2040-01")])
def test_year_labels_never_run_together(qapp, empty_library, start, end):
    """A reviewer's 20-year timeline printed '201420152016…' as one run of digits: a span too
    long for every year's label labels every 2nd, 5th… year (each year keeps its line)."""
    empty_library.trials.insert([Trial(
        id="NCT02993523", acronym="VIALE-A", start_date={"value": start, "kind": "ACTUAL"},
        completion_date={"value": end, "kind": "ESTIMATED"})])
    empty_library.watchlists.create("Long")
    empty_library.watchlists.add("Long", ["NCT02993523"])
    chart = timeline(build_handout(empty_library, "Long", now=NOW))
    years = sorted((x, text) for x, _, _, text in _texts(chart.svg) if text.isdigit())
    assert years[0][1] <= start[:4] < years[1][1]
    for (left, year), (next_left, _) in zip(years, years[1:]):
        assert left + _width(year) + 4 <= next_left, years


def test_a_row_from_one_cohort_of_several_says_which_and_never_mixes_cohorts(qapp,
                                                                              empty_library):
    """A real-world cohort reports untreated and relapsed/refractory AML: the untreated ORR
    carries a caveat, so the plot shows the relapsed cohort's 52.4%, and its row says "R/R"
    (a reviewer read it as the cohort's result). A CR of the other cohort is not drawn on
    the same row; a trial with one cohort keeps a bare label."""
    untreated, relapsed = "newly diagnosed AML", "relapsed/refractory AML"
    cohorts = [
        Outcome(metric="ORR", value="85.7%", population=untreated, source=SOURCE,
                caveat="85.7% is not a whole-number share of the 29 patients."),
        Outcome(metric="CR", value="61%", population=untreated, source=SOURCE),
        Outcome(metric="ORR", value="52.4%", population=relapsed, source=SOURCE)]
    trials = [_dated("LOCAL-VENAZA-CHINA-RW", brief_title="Real-world venetoclax cohort",
                     outcomes=cohorts),
              _dated("NCT03236858", brief_title=VEN_AML, outcomes=_responses("50%", "30%"))]
    empty_library.trials.insert(trials)
    empty_library.watchlists.create("Charts")
    empty_library.watchlists.add("Charts", [t.id for t in trials])
    svg = dot_plot(build_handout(empty_library, "Charts", now=NOW)).svg
    labels = _row_labels(svg)
    assert labels[0] == "Real-world venetoclax cohort (untreated)"  # its first sound figure
    assert not labels[1].endswith(")")
    figures = {text for _, _, _, text in _texts(svg) if text.endswith("%") and text[0] != "0"}
    assert "61%" in figures and "52.4%" not in figures and "85.7%" not in figures
    cohorts[1] = cohorts[1].model_copy(update={"caveat": "CR/CRi, not CR."})
    empty_library.trials.update_curated("LOCAL-VENAZA-CHINA-RW", trials[0].model_copy(
        update={"outcomes": cohorts}))
    svg = dot_plot(build_handout(empty_library, "Charts", now=NOW)).svg
    assert _row_labels(svg)[0] == "Real-world venetoclax cohort (R/R)"
    figures = {text for _, _, _, text in _texts(svg) if text.endswith("%")}
    assert "52.4%" in figures and "61%" not in figures
