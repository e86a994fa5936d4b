"""The last sync's (or add's) report: its headline, the major changes where they are seen
at once, and the whole report in a box tall enough to read (a message box's details area
showed about four lines)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTextBrowser, QVBoxLayout

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from tracker.services.sync_report import SyncReport

REPORT_LINES_SHOWN = 18  # the report box shows at least this many lines without scrolling


class SyncReportDialog(QDialog):
    def __init__(self, report: SyncReport, summary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncReportDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle("Last add" if report.kind == "add" else "Last sync")
        self.headline = QLabel(summary)
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report_view = QTextBrowser()
        self.report_view.setHtml(report_html(report))
        lines = self.report_view.fontMetrics().lineSpacing() * REPORT_LINES_SHOWN
        self.report_view.setMinimumHeight(lines)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.report_view, 1)
        layout.addWidget(buttons)
        self.resize(760, self.sizeHint().height())


def report_html(report: SyncReport) -> str:
    """Major changes first (statuses, then the other major ones), then every line."""
    major = report.major_lines()
    parts = []
    if major:
        parts.append(f"<h3>Major changes ({len(major)})</h3><ul>"
                     + "".join(f"<li>{escape(line)}</li>" for line in major) + "</ul>")
    lines = report.summary_lines()[1:]  # the headline is said above the box
    if lines:
        parts.append("<h3>Every trial in this report</h3>"  # wrapped: no sideways scrolling
                     + "".join(f"<p style='margin: 0'>{escape(line.strip())}</p>"
                               for line in lines))
    return "".join(parts) or "<p>Nothing more to report.</p>"
