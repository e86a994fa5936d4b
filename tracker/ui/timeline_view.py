"""A timeline of the trials in the current filter: start -> primary completion, by status."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import QScrollArea, QSizePolicy, QWidget

from tracker.ui.formatting import status_colour, status_label

if TYPE_CHECKING:
    from tracker.store import TrialCard

ROW = 18
LABEL_WIDTH = 170
HEADER = 64
MAX_ROWS = 400


def _date(value: str | None) -> dt.date | None:
    if not value:
        return None
    parts = [int(p) for p in value.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


class TimelineCanvas(QWidget):
    """Paints one bar per dated trial, a year axis, today's line and a status breakdown."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._cards: list[TrialCard] = []
        self._undated = 0
        self._breakdown: Counter = Counter()
        self._modalities: Counter = Counter()
        self.today = dt.date.today()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Minimum)

    def set_cards(self, cards: list[TrialCard]) -> None:
        dated = [c for c in cards if _date(c.start) or _date(c.primary_completion)]
        dated.sort(key=lambda c: (_date(c.start) or _date(c.primary_completion), c.title))
        self._cards = dated[:MAX_ROWS]
        self._undated = len(cards) - len(dated)
        self._breakdown = Counter(status_label(c.status, c.registry_state) for c in cards)
        self._modalities = Counter(c.modality.label for c in cards)
        self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(800, HEADER + ROW * max(len(self._cards), 1) + 40)

    def _span(self) -> tuple[dt.date, dt.date]:
        dates = [d for c in self._cards for d in (_date(c.start), _date(c.primary_completion)) if d]
        dates.append(self.today)
        return dt.date(min(dates).year, 1, 1), dt.date(max(dates).year + 1, 1, 1)

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.Text)
        painter.setPen(text)
        self._paint_breakdown(painter)
        if not self._cards:
            painter.drawText(10, HEADER + 14, "No trial in this view has registry dates yet: "
                             "sync to fetch start and completion dates.")
            return
        first, last = self._span()
        left, width = LABEL_WIDTH, max(self.width() - LABEL_WIDTH - 16, 100)
        days = (last - first).days

        def x_of(day: dt.date) -> float:
            return left + width * (day - first).days / days

        self._paint_axis(painter, first, last, x_of, text)
        for row, card in enumerate(self._cards):
            self._paint_bar(painter, row, card, x_of, text)
        pen = QPen(QColor("#d32f2f"), 2, Qt.PenStyle.DashLine)
        painter.setPen(pen)
        today_x = x_of(self.today)
        painter.drawLine(int(today_x), HEADER - 8, int(today_x), self.height())
        label_x = int(today_x) + 3 if today_x < self.width() - 50 else int(today_x) - 40
        painter.drawText(label_x, HEADER - 10, "today")

    def _paint_breakdown(self, painter: QPainter) -> None:
        status = ", ".join(f"{name} {n}" for name, n in self._breakdown.most_common())
        modality = ", ".join(f"{name} {n}" for name, n in self._modalities.most_common())
        painter.drawText(8, 16, f"By status: {status or '—'}")
        painter.drawText(8, 34, f"By modality: {modality or '—'}"
                         + (f"   ({self._undated} without dates not shown)" if self._undated else ""))

    def _paint_axis(self, painter, first: dt.date, last: dt.date, x_of, colour: QColor) -> None:
        grid = QColor(colour)
        grid.setAlpha(40)
        step = max(1, (last.year - first.year) // 12)
        for year in range(first.year, last.year + 1, step):
            x = x_of(dt.date(year, 1, 1))
            painter.setPen(grid)
            painter.drawLine(int(x), HEADER - 4, int(x), self.height())
            painter.setPen(colour)
            painter.drawText(int(x) + 2, HEADER - 10, str(year))

    def _paint_bar(self, painter: QPainter, row: int, card: TrialCard, x_of, colour) -> None:
        y = HEADER + row * ROW
        metrics = QFontMetrics(painter.font())
        painter.setPen(colour)
        label = metrics.elidedText(card.title, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 8)
        painter.drawText(4, y + ROW - 5, label)
        start = _date(card.start) or _date(card.primary_completion)
        end = _date(card.primary_completion) or start
        bar = QRectF(x_of(start), y + 3, max(x_of(end) - x_of(start), 4), ROW - 6)
        fill = status_colour(card.status, card.registry_state)
        if card.primary_completion_estimated:
            fill.setAlpha(150)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(fill)
        painter.drawRoundedRect(bar, 3, 3)


class TimelineView(QScrollArea):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.canvas = TimelineCanvas()
        self.setWidget(self.canvas)
        self.setWidgetResizable(True)

    def set_cards(self, cards: list[TrialCard]) -> None:
        self.canvas.set_cards(cards)
