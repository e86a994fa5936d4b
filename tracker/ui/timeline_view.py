"""A timeline of the trials in the current filter, by status. Each bar runs from the start to
the completion with a mark at the primary completion (tracker.domain.timeline: the handout
draws the same).

The header holds a colour legend that is also the status breakdown (a swatch, the status, its
count), the modality breakdown, a key saying what a bar spans, and a line of its own for
"today", so no label sits on another.
Each row's label is the trial's name, shortened to the label column; two rows that would read
alike get their NCT id. Hovering a bar shows the trial and its dates; clicking it emits
`trial_clicked` with the trial's id.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QToolTip, QWidget

from tracker.domain.timeline import BAR_SPAN, PRIMARY_MARK, bar_ends, year_step
from tracker.ui.formatting import status_colour, status_label

if TYPE_CHECKING:
    from tracker.store import TrialCard

ROW = 18
LABEL_WIDTH = 230
LEGEND_Y, MODALITY_Y, KEY_Y, TODAY_Y, YEARS_Y = 16, 34, 52, 70, 86
HEADER = 94
MARK_COLOUR = "#c0392b"  # the primary completion's mark, as on the handout
#: what a bar, its mark and a paler bar mean, on the header line of its own
KEY = (f"Bar: {BAR_SPAN} · red mark: {PRIMARY_MARK} · paler bar: a completion date "
       "is estimated")
MAX_ROWS = 400
SWATCH = 10


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _ends(card: TrialCard) -> tuple[dt.date, dt.date] | None:
    return bar_ends(_date(card.start), _date(card.primary_completion), _date(card.completion))


def row_labels(cards: list[TrialCard], metrics: QFontMetrics, width: int) -> list[str]:
    """Each card's name cut to `width` pixels; names that would read alike carry their id."""
    cut = [metrics.elidedText(c.title, Qt.TextElideMode.ElideRight, width) for c in cards]
    seen = Counter(cut)
    return [label if seen[label] == 1 else
            metrics.elidedText(c.title, Qt.TextElideMode.ElideMiddle,
                               width - metrics.horizontalAdvance(f" ({c.id})")) + f" ({c.id})"
            for label, c in zip(cut, cards, strict=True)]




class TimelineCanvas(QWidget):
    """Paints one bar per dated trial, a year axis, today's line and a status legend."""

    trial_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards: list[TrialCard] = []
        self._labels: list[str] = []
        self._undated = 0
        self._unregistered = False
        self._breakdown: Counter = Counter()
        self._colours: dict[str, QColor] = {}
        self._modalities: Counter = Counter()
        self.today = dt.date.today()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)
        self.setMouseTracking(True)

    def set_cards(self, cards: list[TrialCard]) -> None:
        dated = [c for c in cards if _ends(c)]
        dated.sort(key=lambda c: (_ends(c)[0], c.title))
        self._cards = dated[:MAX_ROWS]
        self._labels = row_labels(self._cards, QFontMetrics(self.font()), LABEL_WIDTH - 8)
        self._undated = len(cards) - len(dated)
        self._unregistered = bool(cards) and all(
            c.registry_state == "no_registry_record" for c in cards)
        drawn = self._cards  # the legend names the colours of the bars shown
        self._breakdown = Counter(status_label(c.status, c.registry_state) for c in drawn)
        self._colours = {status_label(c.status, c.registry_state):
                         status_colour(c.status, c.registry_state) for c in drawn}
        self._modalities = Counter(c.modality.label for c in cards)
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(800, HEADER + ROW * max(len(self._cards), 1) + 40)

    def card_at(self, point: QPoint) -> TrialCard | None:
        row = (point.y() - HEADER) // ROW
        return self._cards[row] if point.y() >= HEADER and 0 <= row < len(self._cards) else None

    def _span(self) -> tuple[dt.date, dt.date]:
        dates = [d for c in self._cards for d in (*_ends(c), _date(c.primary_completion)) if d]
        dates.append(self.today)
        return dt.date(min(dates).year, 1, 1), dt.date(max(dates).year + 1, 1, 1)

    def empty_message(self) -> str:
        """What the view says when it has no bar to draw."""
        if self._unregistered:
            return ("These studies are not registered on ClinicalTrials.gov, so there are no "
                    "registry dates to draw.")
        return ("No trial in this view has registry dates yet: sync to fetch start and "
                "completion dates.")

    # -- painting ---------------------------------------------------------------------------------
    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.Text)
        painter.setPen(text)
        self._paint_legend(painter, text)
        if not self._cards:
            painter.drawText(QRectF(10, HEADER, max(self.width() - 20, 100), 60),
                             int(Qt.TextFlag.TextWordWrap), self.empty_message())
            return
        first, last = self._span()
        left, width = LABEL_WIDTH, max(self.width() - LABEL_WIDTH - 16, 100)
        days = (last - first).days

        def x_of(day: dt.date) -> float:
            return left + width * (day - first).days / days

        self._paint_axis(painter, first, last, x_of, text)
        for row, card in enumerate(self._cards):
            self._paint_bar(painter, row, card, x_of, text)
        self._paint_today(painter, x_of(self.today))

    def _paint_legend(self, painter: QPainter, text: QColor) -> None:
        """Swatch, status and count for each status shown (the bars' colours), then the
        modality breakdown; cut with "…" where the window is too narrow."""
        metrics = QFontMetrics(painter.font())
        x = 8
        for name, count in self._breakdown.most_common():
            entry = f"{name} {count}"
            if x + SWATCH + 4 + metrics.horizontalAdvance(entry) > self.width() - 8:
                painter.drawText(x, LEGEND_Y, "…")
                break
            painter.fillRect(QRectF(x, LEGEND_Y - SWATCH, SWATCH, SWATCH),
                             self._colours.get(name, text))
            painter.drawText(x + SWATCH + 4, LEGEND_Y, entry)
            x += SWATCH + 4 + metrics.horizontalAdvance(entry) + 14
        modality = ", ".join(f"{name} {n}" for name, n in self._modalities.most_common())
        line = (f"By modality: {modality or '—'}"
                + (f"   ({self._undated} without dates not shown)" if self._undated else ""))
        painter.drawText(8, MODALITY_Y, metrics.elidedText(
            line, Qt.TextElideMode.ElideRight, max(self.width() - 16, 40)))
        if self._cards:
            painter.drawText(8, KEY_Y, metrics.elidedText(
                KEY, Qt.TextElideMode.ElideRight, max(self.width() - 16, 40)))

    def _paint_axis(self, painter, first: dt.date, last: dt.date, x_of, colour: QColor) -> None:
        grid = QColor(colour)
        grid.setAlpha(40)
        label_width = QFontMetrics(painter.font()).horizontalAdvance("2000")
        step = year_step(x_of(dt.date(first.year + 1, 1, 1)) - x_of(dt.date(first.year, 1, 1)),
                         label_width)
        for year in range(first.year, last.year + 1, step):
            x = x_of(dt.date(year, 1, 1))
            painter.setPen(grid)
            painter.drawLine(int(x), HEADER - 4, int(x), self.height())
            if x + 2 + label_width <= self.width():  # a year label is drawn whole or not at all
                painter.setPen(colour)
                painter.drawText(int(x) + 2, YEARS_Y, str(year))

    def _paint_today(self, painter: QPainter, today_x: float) -> None:
        """Today's line, labelled on its own header line (never over a year label)."""
        painter.setPen(QPen(QColor("#d32f2f"), 2, Qt.PenStyle.DashLine))
        painter.drawLine(int(today_x), TODAY_Y + 4, int(today_x), self.height())
        label_width = QFontMetrics(painter.font()).horizontalAdvance("today")
        label_x = int(today_x) + 3 if today_x + label_width + 6 < self.width() else \
            int(today_x) - label_width - 3
        painter.drawText(label_x, TODAY_Y, "today")

    def _paint_bar(self, painter: QPainter, row: int, card: TrialCard, x_of, colour) -> None:
        y = HEADER + row * ROW
        painter.setPen(colour)
        painter.drawText(4, y + ROW - 5, self._labels[row])
        start, end = _ends(card)
        bar = QRectF(x_of(start), y + 3, max(x_of(end) - x_of(start), 4), ROW - 6)
        fill = status_colour(card.status, card.registry_state)
        if card.primary_completion_estimated or card.completion_estimated:
            fill.setAlpha(150)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(bar, 3, 3)
        primary = _date(card.primary_completion)
        if primary is not None:
            painter.setBrush(QColor(MARK_COLOUR))
            painter.drawRect(QRectF(x_of(primary) - 1.5, y + 1, 3, ROW - 2))

    # -- hover and click ----------------------------------------------------------------------------
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            card = self.card_at(event.pos())
            if card is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), tooltip_text(card), self)
            return True
        return super().event(event)

    def mouseReleaseEvent(self, event) -> None:
        card = self.card_at(event.position().toPoint())
        if card is not None and event.button() == Qt.MouseButton.LeftButton:
            self.trial_clicked.emit(card.id)
        super().mouseReleaseEvent(event)


def tooltip_text(card: TrialCard) -> str:
    """'VIALE-A (NCT02993523) / Completed / start 2017-02 → completion 2022-03 / primary
    completion 2020-01 (estimated)': the bar's two ends, then its mark."""
    def when(day: str | None, estimated: bool) -> str:
        return f"{day}{' (estimated)' if estimated else ''}" if day else "not given"

    return (f"{card.title} ({card.id})\n{status_label(card.status, card.registry_state)}\n"
            f"start {card.start or 'not given'} → completion "
            f"{when(card.completion, card.completion_estimated)}\n"
            f"primary completion "
            f"{when(card.primary_completion, card.primary_completion_estimated)}\n"
            "Click to show it in the list")


class TimelineView(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = TimelineCanvas()
        self.trial_clicked = self.canvas.trial_clicked
        self.setWidget(self.canvas)
        self.setWidgetResizable(True)

    def set_cards(self, cards: list[TrialCard]) -> None:
        self.canvas.set_cards(cards)
