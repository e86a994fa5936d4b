"""Render handout HTML to PDF with Qt's own document and PDF writer (no browser engine)."""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QIODevice, QMarginsF, QSizeF
from PySide6.QtGui import QFont, QPageLayout, QPageSize, QPdfWriter, QTextDocument

from tracker import APP_NAME

RESOLUTION = 96  # lay the document out at screen resolution so point sizes read as on screen


def render_pdf(html: str) -> bytes:
    """A4 pages; each trial section starts on a new page (CSS page-break-before)."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setCreator(APP_NAME)
    writer.setTitle("Trial Tracker handout")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setResolution(RESOLUTION)
    document = QTextDocument()
    document.setDefaultFont(QFont("DejaVu Sans", 10))
    document.setHtml(html)
    page = writer.pageLayout().paintRectPixels(RESOLUTION)
    document.setPageSize(QSizeF(page.width(), page.height()))
    document.print_(writer)
    del writer  # finishes the PDF into the buffer
    buffer.close()
    return bytes(buffer.data())


def render_pdf_without_window(html: str) -> bytes:
    """For the CLI: make sure a (offscreen) Qt GUI application exists, then render."""
    import os

    from PySide6.QtGui import QGuiApplication

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = QGuiApplication.instance() or QGuiApplication(["tracker"])
    try:
        return render_pdf(html)
    finally:
        del app
