"""The right-hand pane: the selected trial's document (folding sections) and its notes.

The document tab holds the outcomes, registry results and the folding sections, with the tags
line under it; notes have their own tab ("Notes (2)"), so an empty editor takes no height
from the outcomes.
"""

from __future__ import annotations

from html import escape
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.geo import UnknownPlaceError, resolve_place
from tracker.ui.detail_html import FOLD_SCHEME, OPEN_BY_DEFAULT, detail_html
from tracker.ui.notes_editor import NotesEditor

if TYPE_CHECKING:
    from tracker.domain.geo import Place
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
        self.open_sections: set[str] = set(OPEN_BY_DEFAULT)  # kept from trial to trial
        self.home: Place | None = None
        self._details: TrialDetails | None = None
        self._build_ui()
        self._connect()
        self.show_placeholder()

    def _build_ui(self) -> None:
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("Trial details")
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText("tags, separated by commas (press Enter)")
        self.notes = NotesEditor()
        tags_row = QHBoxLayout()
        tags_row.addWidget(QLabel("<b>Tags</b>"))
        tags_row.addWidget(self.tags_edit, 1)
        document = QWidget()
        document_layout = QVBoxLayout(document)
        document_layout.setContentsMargins(0, 0, 0, 0)
        document_layout.addWidget(self.browser, 1)
        document_layout.addLayout(tags_row)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(document, "Details")
        self.tabs.addTab(self.notes, "Notes")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _connect(self) -> None:
        self.browser.anchorClicked.connect(self._on_browser_anchor_clicked)
        self.tags_edit.editingFinished.connect(self._on_tags_edit_finished)
        self.notes.save_requested.connect(self._on_note_save_requested)

    def set_home(self, home_text: str) -> None:
        """The Preferences' home location, for the nearest recruiting sites."""
        try:
            self.home = resolve_place(home_text) if home_text else None
        except UnknownPlaceError:
            self.home = None
        self._render()

    def set_read_only(self, read_only: bool) -> None:
        """A read-only library: tags and notes are shown, not edited."""
        self._read_only = read_only
        self.tags_edit.setReadOnly(read_only)
        self.notes.set_read_only(read_only)


    def show_placeholder(self) -> None:
        self.trial_id = None
        self._details = None
        self.browser.setHtml("<p style='color:gray'>Select a trial to see its details.</p>")
        self.tags_edit.setEnabled(False)
        self.notes.setEnabled(False)
        self.tabs.setTabText(1, "Notes")

    def show_filtered_out(self, trial_id: str, title: str, searching: bool = True) -> None:
        """The selected trial is not among the results any more: say so, show nothing of it.
        Only a search is called a search; otherwise it is the watch list or filter."""
        self.show_placeholder()
        name = f"{title} ({trial_id})" if title else trial_id
        why, undo = (("is hidden by the current search", "clear the search") if searching else
                     ("is not in this watch list or filter", "choose All trials"))
        self.browser.setHtml(f"<p style='color:gray'>{escape(name)} {why}.</p><p style='color:"
                             f"gray'>Select a trial from the results, or {undo} to see it "
                             "again.</p>")

    def show_details(self, details: TrialDetails) -> None:
        same = self.trial_id == details.trial.id
        self.trial_id = details.trial.id
        self._details = details
        self._render(keep_scroll=same)
        self.tags_edit.setEnabled(True)
        self.tags_edit.setText(", ".join(details.tags))
        self._shown_tags = self.tags_edit.text()
        self.notes.setEnabled(True)
        self.notes.show_notes(details.trial.id, details.notes)
        self._label_notes_tab(len(details.notes))

    def toggle_section(self, key: str) -> None:
        self.open_sections ^= {key}
        self._render(keep_scroll=True)

    def _render(self, keep_scroll: bool = False) -> None:
        if self._details is None:
            return
        scroll = self.browser.verticalScrollBar().value()
        self.browser.setHtml(detail_html(self._details, frozenset(self.open_sections),
                                         self.home))
        if keep_scroll:
            self.browser.verticalScrollBar().setValue(scroll)

    def _label_notes_tab(self, count: int) -> None:
        self.tabs.setTabText(1, f"Notes ({count})" if count else "Notes")

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        """Fold links toggle a section; only web links open (never file:, smb:, javascript:)."""
        if url.scheme() == FOLD_SCHEME:
            self.toggle_section(url.path())
        else:
            open_web_link(url)

    def _on_note_save_requested(self, *_args) -> None:
        if self._details is not None:
            self._label_notes_tab(max(len(self._details.notes), 1))

    def _on_tags_edit_finished(self) -> None:
        """Save when the text changed (editingFinished also fires on every focus change)."""
        if self.trial_id is None or self.tags_edit.text() == getattr(self, "_shown_tags", None):
            return
        self._shown_tags = self.tags_edit.text()
        tags = [t.strip() for t in self.tags_edit.text().split(",") if t.strip()]
        self.tags_edited.emit(self.trial_id, tags)
