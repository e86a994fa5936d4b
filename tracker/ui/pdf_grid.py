"""Paint the handout's comparison table straight onto PDF pages.

Qt's rich-text engine needs seconds to lay out and paint a 1,000-row table; measuring each
cell's paragraphs with font metrics and drawing them is a fraction of that. The table keeps
the look of the HTML one: bold header row repeated at the top of every page, grey rules,
the trial facts in the first column, one column per metric; a row never splits across pages
(a row taller than a page is clipped at the page end, which no curated trial comes near).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen

PAD = 3.0
_WRAP = int(Qt.TextFlag.TextWordWrap) | int(Qt.AlignmentFlag.AlignLeft)
_STYLES = {  # style: (point size, bold, italic, colour)
    "header": (8.0, True, False, "#222222"),
    "title": (8.0, True, False, "#222222"),
    "value": (8.0, True, False, "#222222"),
    "small": (7.0, False, False, "#555555"),
    "italic": (7.0, False, True, "#555555"),
}


@dataclass
class _Page:
    paint: Callable[[], None]


class GridPainter:
    def __init__(self, painter: QPainter, grid, width: float, base_font: QFont | None = None):
        self.painter = painter
        self.grid = grid
        self.columns = [width * share for share in grid.widths]
        self.width = sum(self.columns)
        self.left = 0.0
        self.fonts = {}
        for style, (size, bold, italic, colour) in _STYLES.items():
            font = QFont(base_font) if base_font is not None else QFont()
            font.setPointSizeF(size)
            font.setBold(bold)
            font.setItalic(italic)
            self.fonts[style] = (font, QFontMetricsF(font, painter.device()), QColor(colour))

    def _height(self, paragraphs, width: float) -> float:
        total = 0.0
        for style, text in paragraphs:
            metrics = self.fonts[style][1]
            total += metrics.boundingRect(QRectF(0, 0, width - 2 * PAD, 1e6), _WRAP,
                                          text).height()
        return total + 2 * PAD

    def _row_height(self, cells) -> float:
        return max(self._height(cell, w) for cell, w in zip(cells, self.columns, strict=True))

    def paginate(self, top: float, page_height: float,
                 left: float = 0.0) -> tuple[list[_Page], float]:
        """Pages of rows starting at `top` on the first page; and where the table ends."""
        self.left = left
        header = [[("header", text)] for text in self.grid.headers]
        header_height = self._row_height(header)
        pages: list[list[tuple[float, float, list]]] = [[]]
        y = top + header_height
        for cells in self.grid.rows:
            height = self._row_height(cells)
            if y + height > page_height and pages[-1]:
                pages.append([])
                y = header_height
            pages[-1].append((y, height, cells))
            y += height
        tops = [top] + [0.0] * (len(pages) - 1)
        made = [_Page(self._painter_for(rows, page_top, header, header_height, page_height))
                for rows, page_top in zip(pages, tops, strict=True)]
        return made, y + 8

    def _painter_for(self, rows, top: float, header, header_height: float,
                     page_height: float) -> Callable[[], None]:
        def paint() -> None:
            self.painter.save()
            self.painter.translate(self.left, 0)
            self.painter.setClipRect(QRectF(0, 0, self.width + 1, page_height))
            self.painter.fillRect(QRectF(0, top, self.width, header_height), QColor("#e8edf3"))
            self._paint_row(header, top, header_height)
            for y, height, cells in rows:
                self._paint_row(cells, y, height)
            self.painter.restore()
        return paint

    def _paint_row(self, cells, y: float, height: float) -> None:
        painter = self.painter
        x = 0.0
        painter.setPen(QPen(QColor("#bbbbbb"), 0.8))
        painter.drawRect(QRectF(0, y, self.width, height))
        for cell, width in zip(cells, self.columns, strict=True):
            if x:
                painter.setPen(QPen(QColor("#bbbbbb"), 0.8))
                painter.drawLine(x, y, x, y + height)
            line_y = y + PAD
            for style, text in cell:
                font, metrics, colour = self.fonts[style]
                box = metrics.boundingRect(QRectF(0, 0, width - 2 * PAD, 1e6), _WRAP, text)
                painter.setFont(font)
                painter.setPen(colour)
                painter.drawText(QRectF(x + PAD, line_y, width - 2 * PAD, box.height()),
                                 _WRAP, text)
                line_y += box.height()
            x += width
