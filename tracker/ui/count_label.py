"""The "N of M trials: …" count in the tab bar's corner: it takes the room the tabs leave and
is cut with "…" there, so the tabs stay whole (the tooltip has the count in full)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QLabel, QTabWidget

GAP_PX = 16  # between the last tab and the count


class CountLabel(QLabel):
    def __init__(self) -> None:
        super().__init__("")
        self._tabs: QTabWidget | None = None

    def sit_beside(self, tabs: QTabWidget) -> None:
        """Sit in `tabs`' top-right corner, in the room its tabs leave."""
        self._tabs = tabs
        tabs.setCornerWidget(self, Qt.Corner.TopRightCorner)
        tabs.installEventFilter(self)

    def _room(self) -> int:
        tabs = self._tabs
        if tabs is None:
            return super().sizeHint().width()
        return max(0, tabs.width() - tabs.tabBar().sizeHint().width() - GAP_PX)

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(min(hint.width(), self._room()), hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._tabs and event.type() == QEvent.Type.Resize:
            self.updateGeometry()
        return False

    def paintEvent(self, _event) -> None:
        area = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight,
                                             area.width())
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        painter.drawText(area, int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
                         text)
