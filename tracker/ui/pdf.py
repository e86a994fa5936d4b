"""Paint a handout into a PDF with Qt's own rich-text engine and PDF writer (no browser).

Pages are painted one by one so each gets a footer (the list's name, "page N of M"). The
comparison table is painted cell by cell with its header row on every page (pdf_grid); the
rest is laid out once by Qt's rich-text engine and cut into pages that keep each trial
section whole (pdf_flow); the charts arrive as SVG and are drawn as vectors where the text
leaves room for them.

Fonts: DejaVu Sans for Latin text, then the CJK font the app ships
(resources/fonts/DroidSansFallbackFull.ttf, Apache-2.0) so Chinese, Japanese and Korean
notes are embedded with their real code points (searchable, copyable) on machines that have
no CJK font installed; see docs/handouts.md.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QMarginsF,
    QRectF,
    QSizeF,
    Qt,
    QUrl,
)
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from tracker import APP_NAME
from tracker.bundled import resources_dir
from tracker.ui.pdf_flow import Slice, block_origin, image_boxes, paginate
from tracker.ui.pdf_grid import GridPainter

RESOLUTION = 96  # lay the document out at screen resolution so point sizes read as on screen
FOOTER_HEIGHT = 22  # pixels at RESOLUTION, below the text area
CJK_FONT_FILE = "DroidSansFallbackFull.ttf"
EDGE = 1.0  # pixels: see _paint_part


@lru_cache(maxsize=1)
def _font_families() -> tuple[str, ...]:
    """DejaVu Sans, then the shipped CJK fallback (registered once per process)."""
    families = ["DejaVu Sans"]
    path = resources_dir() / "fonts" / CJK_FONT_FILE
    if path.is_file():
        font_id = QFontDatabase.addApplicationFont(str(path))
        families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return tuple(families)


# Standard and contextual ligatures off: "efficacy" shaped with the ffi ligature is written
# into the PDF as U+FB03, so a reader searching the handout for "efficacy" would not find it
# and copied text would carry the ligature characters.
_NO_LIGATURES = ("liga", "clig")


def _base_font() -> QFont:
    font = QFont()
    font.setFamilies(list(_font_families()))
    font.setPointSizeF(9.5)
    for feature in _NO_LIGATURES:
        font.setFeature(QFont.Tag(feature), 0)
    return font


def _placeholder() -> QImage:
    """A transparent pixel standing in for a chart in the text; the chart itself is drawn
    over it as vectors (sharp at any zoom, and no megapixel image to encode)."""
    image = QImage(1, 1, QImage.Format.Format_ARGB32)
    image.fill(QColor(0, 0, 0, 0))
    return image


def _document(source, width: float) -> QTextDocument:
    """The rich-text part, laid out once as one long column `width` wide."""
    document = QTextDocument()
    document.setDefaultFont(_base_font())
    blank = _placeholder()
    for name in getattr(source, "images", {}):
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), blank)
    document.setHtml(getattr(source, "html", source))
    block = document.begin()
    while block.isValid():  # keep each paragraph's shaped glyphs from layout to painting:
        block.layout().setCacheEnabled(True)  # Qt would shape all the text a second time
        block = block.next()
    document.setTextWidth(width)
    return document


class _Charts:
    """The handout's SVG charts, drawn where their placeholders sit in the document."""

    def __init__(self, document: QTextDocument, charts: dict):
        from PySide6.QtSvg import QSvgRenderer

        self.boxes = image_boxes(document, set(charts))
        self.renderers = {name: QSvgRenderer(QByteArray(chart.svg.encode()))
                          for name, chart in charts.items() if name in self.boxes}

    def paint(self, painter: QPainter, part: Slice) -> None:
        for name, renderer in self.renderers.items():
            box = self.boxes[name]
            if part.top <= box.top() < part.bottom:
                renderer.render(painter, box)


def render_pdf(source) -> bytes:
    """A4 PDF of a `PrintDocument` (or plain HTML): pages, footers, repeated headers."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setCreator(APP_NAME)
    title = getattr(source, "title", None)  # plain HTML is a str, whose .title is a method
    writer.setTitle(title if isinstance(title, str) else "Trial Tracker handout")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(12, 12, 12, 10), QPageLayout.Unit.Millimeter))
    writer.setResolution(RESOLUTION)
    page = writer.pageLayout().paintRectPixels(RESOLUTION)
    width, text_height = page.width(), page.height() - FOOTER_HEIGHT
    painter = QPainter(writer)
    try:
        grid_pages, rest_top = [], 0.0
        cover = None
        if getattr(source, "grid", None) is not None:
            cover = _plain_document(source.cover_html, QSizeF(width, text_height))
            top = cover.documentLayout().documentSize().height()
            margin = cover.documentMargin()  # the table lines up with the text
            grid = GridPainter(painter, source.grid, width - 2 * margin, _base_font())
            grid_pages, rest_top = grid.paginate(top, text_height, left=margin)
        document = _document(source, width)
        # the rest goes on under the table: its first line where the table ends
        rest_offset = max(rest_top - document.documentMargin(), 0.0)
        parts = paginate(document, text_height - rest_offset, text_height)
        charts = _Charts(document, getattr(source, "images", {}))
        total = max(len(grid_pages), 1) + len(parts) - 1
        footer = getattr(source, "footer", APP_NAME)
        for number in range(total):
            if number:
                writer.newPage()
            if number == 0 and cover is not None:
                cover.drawContents(painter, QRectF(0, 0, width, text_height))
            if number < len(grid_pages):
                grid_pages[number].paint()
            rest_page = number - max(len(grid_pages), 1) + 1
            if rest_page >= 0:
                _paint_part(painter, document, charts, parts[rest_page], width,
                            rest_offset if rest_page == 0 else 0.0)
            _paint_footer(painter, footer, number, total, width, text_height)
    finally:
        painter.end()
    del writer  # finishes the PDF into the buffer
    buffer.close()
    return bytes(buffer.data())


def _plain_document(html: str, page_size: QSizeF) -> QTextDocument:
    document = QTextDocument()
    document.setDefaultFont(_base_font())
    document.setHtml(html)
    document.setPageSize(page_size)
    return document


def _paint_part(painter: QPainter, document: QTextDocument, charts: _Charts, part: Slice,
                width: float, top: float) -> None:
    """The document's rows [part.top, part.bottom) with their top at page height `top`."""
    if part.bottom <= part.top:
        return
    painter.save()
    painter.translate(0, top - part.top)
    painter.setClipRect(QRectF(0, part.top, width, part.bottom - part.top))
    start = part.top
    if part.split is not None:  # Qt would also write the line above into the PDF, hidden
        start = _paint_lines(painter, *part.split, part.bottom)
    context = QAbstractTextDocumentLayout.PaintContext()
    # Qt draws a line that merely touches the area: the line ending at the page's top edge
    # or starting at its bottom edge would be written into the PDF (invisible, but found by
    # search and copy); asking for an area a hair smaller keeps each line on one page only
    context.clip = QRectF(0, start + EDGE, width, part.bottom - start - 2 * EDGE)
    if context.clip.height() > 0:
        document.documentLayout().draw(painter, context)
    charts.paint(painter, part)
    painter.restore()


def _paint_lines(painter: QPainter, block, first: int, bottom: float) -> float:
    """Lines `first`... of a paragraph that began on the page before (those above `bottom`);
    returns where the paragraph ends, for the rest of the page to follow."""
    layout = block.layout()
    origin = block_origin(block)
    painter.save()
    painter.setPen(QColor("black"))  # as the document's own drawing starts
    for number in range(first, layout.lineCount()):
        line = layout.lineAt(number)
        if origin.y() + line.y() >= bottom:
            break
        line.draw(painter, origin)
    painter.restore()
    return block.document().documentLayout().blockBoundingRect(block).bottom()


def _paint_footer(painter: QPainter, footer: str, number: int, total: int, width: float,
                  text_height: float) -> None:
    font = QFont(_base_font())
    font.setPointSizeF(7.5)
    painter.setFont(font)
    painter.setPen(QColor("#555555"))
    line = QRectF(0, text_height + 4, width, FOOTER_HEIGHT - 4)
    painter.drawText(line, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, footer)
    painter.drawText(line, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                     f"Page {number + 1} of {total}")


def render_pdf_without_window(source) -> bytes:
    """For the CLI: make sure a (offscreen) Qt GUI application exists, then render."""
    import os

    from PySide6.QtGui import QGuiApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(["tracker"])
    try:
        return render_pdf(source)
    finally:
        del app
