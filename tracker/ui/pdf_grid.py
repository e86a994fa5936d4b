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

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen, QTextOption

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
        self.rule = QPen(QColor("#bbbbbb"), 0.8)
        self.long_words = QTextOption()  # break between words, inside one only if it must
        self.long_words.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)

    def _heights(self, paragraphs, width: float) -> list[tuple[float, int | None]]:
        """Each paragraph's height and how it wraps: between words, or also inside a word
        too long for the column ("responses" in a narrow metric column), never clipped."""
        inner = QRectF(0, 0, width - 2 * PAD, 1e6)
        found = []
        for style, text in paragraphs:
            metrics = self.fonts[style][1]
            box = metrics.boundingRect(inner, _WRAP, text)
            if box.width() > inner.width() + 0.5:
                self.painter.setFont(self.fonts[style][0])
                found.append((self.painter.boundingRect(inner, text, self.long_words).height(),
                              None))
            else:
                found.append((box.height(), _WRAP))
        return found

    def _measure(self, cells) -> tuple[float, list[list[tuple[float, int | None]]]]:
        """The row's height and each paragraph's (measured once, reused when painting)."""
        heights = [self._heights(cell, w) for cell, w in zip(cells, self.columns, strict=True)]
        return max(sum(h for h, _flags in cell) for cell in heights) + 2 * PAD, heights

    def paginate(self, top: float, page_height: float,
                 left: float = 0.0) -> tuple[list[_Page], float]:
        """Pages of rows starting at `top` on the first page; and where the table ends."""
        self.left = left
        header = [[("header", text)] for text in self.grid.headers]
        header_height, header_lines = self._measure(header)
        header_row = (top, header_height, header, header_lines)
        pages: list[list[tuple[float, float, list, list]]] = [[]]
        y = top + header_height
        for cells in self.grid.rows:
            height, lines = self._measure(cells)
            if y + height > page_height and pages[-1]:
                pages.append([])
                y = header_height
            pages[-1].append((y, height, cells, lines))
            y += height
        made = [_Page(self._painter_for(rows, header_row if number == 0
                                        else (0.0, *header_row[1:]), page_height))
                for number, rows in enumerate(pages)]
        return made, y + 8

    def _painter_for(self, rows, header_row, page_height: float) -> Callable[[], None]:
        def paint() -> None:
            self.painter.save()
            self.painter.translate(self.left, 0)
            self.painter.setClipRect(QRectF(0, 0, self.width + 1, page_height))
            self.painter.fillRect(QRectF(0, header_row[0], self.width, header_row[1]),
                                  QColor("#e8edf3"))
            for y, height, cells, lines in (header_row, *rows):
                self._paint_row(cells, lines, y, height)
            self.painter.restore()
        return paint

    def _paint_row(self, cells, lines, y: float, height: float) -> None:
        painter = self.painter
        painter.setPen(self.rule)
        painter.drawRect(QRectF(0, y, self.width, height))
        x = 0.0
        for width in self.columns[:-1]:
            x += width
            painter.drawLine(QPointF(x, y), QPointF(x, y + height))
        x = 0.0
        for cell, heights, width in zip(cells, lines, self.columns, strict=True):
            line_y = y + PAD
            for (style, text), (line_height, flags) in zip(cell, heights, strict=True):
                font, _metrics, colour = self.fonts[style]
                painter.setFont(font)
                painter.setPen(colour)
                box = QRectF(x + PAD, line_y, width - 2 * PAD, line_height)
                if flags is None:
                    painter.drawText(box, text, self.long_words)
                else:
                    painter.drawText(box, flags, text)
                line_y += line_height
            x += width
