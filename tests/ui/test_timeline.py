"""The timeline tab: a legend that is the status breakdown, labels that never sit on each other,
rows that can be told apart, a tooltip per bar and a click that shows the trial in the list."""

from __future__ import annotations

import dataclasses
import datetime as dt

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics

from tracker.domain import Modality, RegistryStatus
from tracker.store import TrialCard
from tracker.ui.timeline_view import HEADER, ROW, TimelineCanvas, row_labels, tooltip_text


def _card(trial_id: str, title: str, start="2019-03", completion="2027-06",
          status=RegistryStatus.RECRUITING) -> TrialCard:
    return TrialCard(num=0, id=trial_id, title=title, subtitle="", status=status,
                     registry_state="found", phase_text="Phase 1", modality=Modality.CAR_T,
                     diseases="MM", headline="", start=start, primary_completion=completion,
                     primary_completion_estimated=True, last_synced_at=None,
                     last_update_posted=None, has_notes=False, changed_in_last_sync=False)


SAME = "BCMA CAR-T cells in relapsed/refractory multiple myeloma, a long registry title"
CARDS = [_card("NCT05577000", SAME), _card("NCT04155749", SAME),
         _card("NCT02993523", "VIALE-A", "2017-02", "2020-01", RegistryStatus.COMPLETED)]


def test_rows_that_would_read_alike_carry_their_id(qapp):
    metrics = QFontMetrics(TimelineCanvas().font())
    labels = row_labels(CARDS, metrics, 200)
    assert len(set(labels)) == 3
    assert labels[0].endswith("(NCT05577000)") and labels[2] == "VIALE-A"
    assert all(metrics.horizontalAdvance(label) <= 200 for label in labels)


def test_a_bar_has_a_tooltip_and_a_click_shows_its_trial(qtbot):
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 300)
    canvas.today = dt.date(2026, 12, 3)
    canvas.set_cards(CARDS)
    first_row = QPoint(400, HEADER + ROW // 2)
    assert canvas.card_at(first_row).id == "NCT02993523"  # sorted by start
    assert canvas.card_at(QPoint(400, HEADER - 5)) is None  # the header is not a bar
    assert "start 2017-02 → completion not given\nprimary completion 2020-01 (estimated)" \
        in tooltip_text(CARDS[2])
    with qtbot.waitSignal(canvas.trial_clicked) as clicked:
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=first_row)
    assert clicked.args == ["NCT02993523"]
    image = canvas.grab()
    assert not image.isNull() and image.height() >= HEADER + 3 * ROW


def test_clicking_a_bar_in_the_window_selects_the_trial_in_the_card_list(qtbot, window):
    window.show_view(window.timeline)
    window.timeline.trial_clicked.emit("NCT02993523")
    assert window.tabs.currentWidget() is window.cards_page
    qtbot.waitUntil(lambda: window.detail.trial_id == "NCT02993523", timeout=5_000)


def test_year_labels_keep_apart_on_a_narrow_timeline():
    from tracker.domain.timeline import year_step

    assert year_step(60, 28) == 1  # a wide window: every year
    assert year_step(30, 28) == 2
    assert year_step(10, 28) == 5  # 800 px wide, 25 years: every fifth year


def test_unregistered_studies_are_not_told_to_sync(qtbot):
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    local = _card("LOCAL-VENAZA-CHINA-RW", "Real-world VEN-AZA", start=None, completion=None,
                  status=None)
    local = dataclasses.replace(local, registry_state="no_registry_record")
    canvas.set_cards([local])
    assert not canvas._cards and "not registered on ClinicalTrials.gov" in \
        canvas.empty_message()
    assert "sync" not in canvas.empty_message().lower()
    assert not canvas._breakdown  # the legend names only the colours of bars drawn
    canvas.set_cards([_card("NCT04000001", "Not synced yet", start=None, completion=None,
                            status=None)])
    assert "sync to fetch start and completion dates" in canvas.empty_message()


def test_a_bar_runs_from_start_to_completion_with_a_mark_at_primary_completion(qtbot):
    """As on the handout (tracker.domain.timeline): the window drew start → primary
    completion, so a trial ended a year or more earlier than on the handout."""
    from PySide6.QtGui import QColor

    from tracker.domain.timeline import BAR_SPAN, PRIMARY_MARK
    from tracker.ui.timeline_view import KEY, LABEL_WIDTH, MARK_COLOUR

    card = dataclasses.replace(_card("NCT02993523", "VIALE-A", "2017-02", "2020-01",
                                     RegistryStatus.COMPLETED),
                               primary_completion_estimated=False, completion="2024-01")
    canvas = TimelineCanvas()
    qtbot.addWidget(canvas)
    canvas.resize(900, 200)
    canvas.today = dt.date(2026, 12, 3)
    canvas.set_cards([card])
    image = canvas.grab().toImage()
    first, last = canvas._span()
    width = canvas.width() - LABEL_WIDTH - 16

    def x_of(day: dt.date) -> int:
        return round(LABEL_WIDTH + width * (day - first).days / (last - first).days)

    y = HEADER + ROW // 2
    background = image.pixelColor(x_of(dt.date(2025, 6, 1)), y)
    assert image.pixelColor(x_of(dt.date(2022, 6, 1)), y) != background, \
        "the bar goes on past the primary completion"
    assert image.pixelColor(x_of(dt.date(2020, 1, 1)), y) == QColor(MARK_COLOUR)
    assert image.pixelColor(x_of(dt.date(2016, 6, 1)), y) == background
    assert BAR_SPAN in KEY and PRIMARY_MARK in KEY and "start → completion" in KEY
