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

from collections.abc import Callable
from functools import lru_cache, partial

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


def _document(html: str, images, width: float) -> QTextDocument:
    """A rich-text part, laid out once as one long column `width` wide."""
    document = QTextDocument()
    document.setDefaultFont(_base_font())
    blank = _placeholder()
    for name in images:
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name), blank)
    document.setHtml(html)
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


Page = tuple[bool, list[Callable[[], None]]]  # landscape?, what is painted on it


def _page_layout(landscape: bool) -> QPageLayout:
    orientation = (QPageLayout.Orientation.Landscape if landscape
                   else QPageLayout.Orientation.Portrait)
    return QPageLayout(QPageSize(QPageSize.PageSizeId.A4), orientation,
                       QMarginsF(12, 12, 12, 10), QPageLayout.Unit.Millimeter)


@lru_cache(maxsize=2)
def _text_area(landscape: bool) -> tuple[float, float]:
    """Width and height (pixels at RESOLUTION) for text, above the footer."""
    page = _page_layout(landscape).paintRectPixels(RESOLUTION)
    return page.width(), page.height() - FOOTER_HEIGHT


def render_pdf(source) -> bytes:
    """A4 PDF of a `PrintDocument` (or plain HTML): pages, footers, repeated headers. A
    comparison table too wide for a portrait page is printed on landscape pages, with its
    notes; the trials' sections follow on portrait pages."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setCreator(APP_NAME)
    title = getattr(source, "title", None)  # plain HTML is a str, whose .title is a method
    writer.setTitle(title if isinstance(title, str) else "Trial Tracker handout")
    grid = getattr(source, "grid", None)
    writer.setPageLayout(_page_layout(grid is not None and grid.landscape))
    writer.setResolution(RESOLUTION)
    painter = QPainter(writer)
    try:
        pages, top = _table_pages(painter, grid, source.cover_html) if grid is not None else (
            [], 0.0)
        notes = getattr(source, "table_notes_html", "")
        if notes:  # the table's notes under it, on its pages
            pages = _flow_on(pages, top, painter, notes, {})
        rest = getattr(source, "html", source), getattr(source, "images", {})
        if pages and pages[-1][0]:  # a landscape table: the rest on new, portrait pages
            pages += _flow_on([], 0.0, painter, *rest)
        else:  # the rest goes on under the table: its first line where the table ends
            pages = _flow_on(pages, top, painter, *rest)
        footer = getattr(source, "footer", APP_NAME)
        for number, (landscape, paints) in enumerate(pages):
            if number:
                if landscape != pages[number - 1][0]:
                    writer.setPageLayout(_page_layout(landscape))  # applies from newPage
                writer.newPage()
            for paint in paints:
                paint()
            _paint_footer(painter, footer, number, len(pages), *_text_area(landscape))
    finally:
        painter.end()
    del writer  # finishes the PDF into the buffer
    buffer.close()
    return bytes(buffer.data())


def _table_pages(painter: QPainter, grid, cover_html: str) -> tuple[list[Page], float]:
    """The cover (title block) and the comparison table, its header row on every page; and
    where the table ends on its last page."""
    width, text_height = _text_area(grid.landscape)
    cover = _plain_document(cover_html, QSizeF(width, text_height))
    top = cover.documentLayout().documentSize().height()
    margin = cover.documentMargin()  # the table lines up with the text
    table = GridPainter(painter, grid, width - 2 * margin, _base_font())
    grid_pages, end = table.paginate(top, text_height, left=margin)
    pages: list[Page] = [(grid.landscape, [page.paint]) for page in grid_pages]
    pages[0][1].insert(0, lambda: cover.drawContents(painter, QRectF(0, 0, width, text_height)))
    return pages, end


def _flow_on(pages: list[Page], top: float, painter: QPainter, html: str,
             images: dict) -> list[Page]:
    """`pages` followed by rich text cut into pages of the same orientation (sections kept
    whole), its first part on the last of `pages` from height `top` down."""
    landscape = pages[-1][0] if pages else False
    width, text_height = _text_area(landscape)
    document = _document(html, images, width)
    offset = max(top - document.documentMargin(), 0.0)
    parts = paginate(document, text_height - offset, text_height)
    charts = _Charts(document, images)
    flowed: list[Page] = [
        (landscape, [partial(_paint_part, painter, document, charts, part, width,
                             offset if number == 0 else 0.0)])
        for number, part in enumerate(parts)]
    if pages and flowed:
        pages[-1][1].extend(flowed[0][1])
        return pages + flowed[1:]
    return pages + flowed


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
