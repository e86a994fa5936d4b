"""Paint a handout into a PDF with Qt's own rich-text engine and PDF writer (no browser).

Pages are painted one by one so each gets a footer (the list's name, "page N of M"); tables
repeat their header rows on every page (Qt honours `<thead>`); the charts arrive as SVG and
are drawn into high-resolution images the document shows.

Fonts: DejaVu Sans for Latin text, then the CJK font the app ships
(resources/fonts/DroidSansFallbackFull.ttf, Apache-2.0) so Chinese, Japanese and Korean
notes are embedded with their real code points (searchable, copyable) on machines that have
no CJK font installed; see docs/handouts.md.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, QSizeF, Qt, QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextBlock,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)

from tracker import APP_NAME
from tracker.bundled import resources_dir
from tracker.ui.pdf_grid import GridPainter

RESOLUTION = 96  # lay the document out at screen resolution so point sizes read as on screen
FOOTER_HEIGHT = 22  # pixels at RESOLUTION, below the text area
CHART_SCALE = 3  # chart images are drawn at 3x so they print sharply
CJK_FONT_FILE = "DroidSansFallbackFull.ttf"


@lru_cache(maxsize=1)
def _font_families() -> tuple[str, ...]:
    """DejaVu Sans, then the shipped CJK fallback (registered once per process)."""
    families = ["DejaVu Sans"]
    path = resources_dir() / "fonts" / CJK_FONT_FILE
    if path.is_file():
        font_id = QFontDatabase.addApplicationFont(str(path))
        families += QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    return tuple(families)


def _base_font() -> QFont:
    font = QFont()
    font.setFamilies(list(_font_families()))
    font.setPointSizeF(9.5)
    return font


def _chart_image(svg: str, width: int, height: int) -> QImage:
    from PySide6.QtSvg import QSvgRenderer

    image = QImage(width * CHART_SCALE, height * CHART_SCALE, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    QSvgRenderer(QByteArray(svg.encode())).render(painter)
    painter.end()
    return image


def _document(source, page_size: QSizeF, first_top: float = 0.0) -> QTextDocument:
    """The rich-text part; `first_top` leaves room at the top of its first page (the end of
    the comparison table painted on the same page)."""
    document = QTextDocument()
    document.setDefaultFont(_base_font())
    for name, chart in getattr(source, "images", {}).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(name),
                             _chart_image(chart.svg, chart.width, chart.height))
    html = getattr(source, "html", source)
    if first_top:  # Qt ignores a first block's top margin: an invisible image holds the room
        spacer = QImage(1, 1, QImage.Format.Format_ARGB32)
        spacer.fill(QColor(0, 0, 0, 0))
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl("spacer:top"),
                             spacer)
        html = html.replace("<body>", "<body><p style='margin:0'><img src='spacer:top' "
                            f"width='1' height='{max(int(first_top) - 6, 1)}'></p>", 1)
    document.setHtml(html)
    document.setPageSize(page_size)
    for _attempt in range(2):  # a moved section can shift later ones: check once more
        if not _keep_sections_together(document, page_size.height()):
            break
    return document


def _sections(document: QTextDocument) -> list[tuple[QTextBlock, float, float]]:
    """Each trial section (an h3 heading up to the next h3 or h2): first block, top, bottom.
    An h2 directly above an h3 ("Trials") belongs to that section, so it is never left alone
    at a page foot. Only headings and the blocks before them are measured (it is quick)."""
    layout = document.documentLayout()
    found: list[list] = []
    heading, previous = None, None  # an h2 whose next block may open a section
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        if level and found and found[-1][0] is not None and previous is not None:
            found[-1][2] = layout.blockBoundingRect(previous).bottom()
        if level == 3:
            first = heading or block
            found.append([first, layout.blockBoundingRect(first).top(), 0.0])
        elif level in (1, 2):
            found.append([None, 0.0, 0.0])  # a section ends at the next h2
        heading = block if level in (1, 2) else None
        previous = block
        block = block.next()
    if found and found[-1][0] is not None and previous is not None:
        found[-1][2] = layout.blockBoundingRect(previous).bottom()
    return [(b, top, bottom) for b, top, bottom in found if b is not None]


def _keep_sections_together(document: QTextDocument, page_height: float) -> bool:
    """Start on a new page every section that would straddle a page end but fits on one
    page; the shift each move causes is carried forward so one layout pass suffices."""
    moves, shift = [], 0.0
    for block, top, bottom in _sections(document):
        top, bottom = top + shift, bottom + shift
        if bottom - top > page_height * 0.95:
            continue  # longer than a page: it has to break somewhere
        if int(top // page_height) != int((bottom - 1) // page_height):
            moves.append(block)
            shift += page_height * (int(top // page_height) + 1) - top
    cursor = QTextCursor(document)
    cursor.beginEditBlock()  # one relayout for all moves, not one per move
    for block in moves:
        block_format = block.blockFormat()
        block_format.setPageBreakPolicy(QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore)
        cursor.setPosition(block.position())
        cursor.setBlockFormat(block_format)
    cursor.endEditBlock()
    return bool(moves)


def render_pdf(source) -> bytes:
    """A4 PDF of a `PrintDocument` (or plain HTML): pages, footers, repeated headers."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setCreator(APP_NAME)
    writer.setTitle(getattr(source, "title", "Trial Tracker handout"))
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
        document = _document(source, QSizeF(width, text_height), first_top=rest_top)
        total = max(len(grid_pages), 1) + document.pageCount() - 1
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
                _paint_page(painter, document, rest_page, width, text_height)
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


def _paint_page(painter: QPainter, document: QTextDocument, number: int, width: float,
                text_height: float) -> None:
    painter.save()
    painter.translate(0, -number * text_height)
    document.drawContents(painter, QRectF(0, number * text_height, width, text_height))
    painter.restore()


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
