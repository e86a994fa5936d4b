"""The right-hand pane: the selected trial's document, its tags and the notes editor."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tracker.ui.detail_html import detail_html
from tracker.ui.notes_editor import NotesEditor

if TYPE_CHECKING:
    from tracker.services.details import TrialDetails


WEB_SCHEMES = frozenset({"http", "https"})


def open_web_link(url: QUrl) -> bool:
    """Open a link from the detail view in the browser, only if it is a web address: a
    registry record can carry any URL, and file:, smb: or javascript: links must do nothing."""
    if url.scheme().lower() not in WEB_SCHEMES or not url.host():
        return False
    return QDesktopServices.openUrl(url)


class DetailPane(QWidget):
    tags_edited = Signal(str, list)  # trial id, the new tag list

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.trial_id: str | None = None
        self._build_ui()
        self._connect()
        self.show_placeholder()

    def _build_ui(self) -> None:
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("tags, separated by commas (press Enter)")
        self.notes = NotesEditor()
        tags_row = QHBoxLayout()
        tags_row.addWidget(QLabel("<b>Tags</b>"))
        tags_row.addWidget(self.tags_edit, 1)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 4, 0, 0)
        lower_layout.addLayout(tags_row)
        lower_layout.addWidget(self.notes, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.splitter)

    def _connect(self) -> None:
        self.browser.anchorClicked.connect(open_web_link)
        self.tags_edit.editingFinished.connect(self._on_tags_edit_finished)

    def set_read_only(self, read_only: bool) -> None:
        """A read-only library: tags and notes are shown, not edited."""
        self._read_only = read_only
        self.tags_edit.setReadOnly(read_only)
        self.notes.set_read_only(read_only)

    def show_placeholder(self) -> None:
        self.trial_id = None
        self.browser.setHtml("<p style='color:gray'>Select a trial to see its details.</p>")
        self.tags_edit.setEnabled(False)
        self.notes.setEnabled(False)

    def show_filtered_out(self, trial_id: str, title: str) -> None:
        """The selected trial is not among the results any more: say so, show nothing of it."""
        self.show_placeholder()
        name = f"{title} ({trial_id})" if title else trial_id
        self.browser.setHtml(f"<p style='color:gray'>{escape(name)} is hidden by the current "
                             "search or filter.</p><p style='color:gray'>Select a trial from the "
                             "results, or clear the search to see it again.</p>")

    def show_details(self, details: TrialDetails) -> None:
        self.trial_id = details.trial.id
        scroll = self.browser.verticalScrollBar().value()
        same = self.browser.property("trial_id") == details.trial.id
        self.browser.setHtml(detail_html(details))
        self.browser.setProperty("trial_id", details.trial.id)
        if same:
            self.browser.verticalScrollBar().setValue(scroll)
        self.tags_edit.setEnabled(True)
        self.tags_edit.setText(", ".join(details.tags))
        self._shown_tags = self.tags_edit.text()
        self.notes.setEnabled(True)
        self.notes.show_notes(details.trial.id, details.notes)

    def _on_tags_edit_finished(self) -> None:
        """Save when the text changed (editingFinished also fires on every focus change)."""
        if self.trial_id is None or self.tags_edit.text() == getattr(self, "_shown_tags", None):
            return
        self._shown_tags = self.tags_edit.text()
        tags = [t.strip() for t in self.tags_edit.text().split(",") if t.strip()]
        self.tags_edited.emit(self.trial_id, tags)
