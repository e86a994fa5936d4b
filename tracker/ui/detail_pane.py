"""The right-hand pane: the selected trial's document (folding sections) and its notes.

The document tab holds the outcomes, registry results and the folding sections, with the tags
line under it; notes have their own tab ("Notes (2)"), so an empty editor takes no height
from the outcomes.
"""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer, QUrl, Signal
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
from tracker.domain.hidden_trial import HiddenBy
from tracker.domain.words import named_trial, typed_tags
from tracker.ui.detail_html import FOLD_SCHEME, OPEN_BY_DEFAULT, TERMS_SCHEME, detail_html
from tracker.ui.notes_editor import NotesEditor

if TYPE_CHECKING:
    from tracker.domain.geo import Place
    from tracker.services.details import TrialDetails

WEB_SCHEMES = frozenset({"http", "https"})
#: Below this view width the outcomes table has one column: three would break words.
NARROW_VIEW_PX = 440
TAGS_PLACEHOLDER = "tags, separated by commas (press Enter)"


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
        #: per trial id, its adverse event lists shown with every term (`terms_key`)
        self.terms_in_full: dict[str, set[str]] = {}
        self.home: Place | None = None
        self._details: TrialDetails | None = None
        self._narrow = False  # the document shown was laid out for a narrow view
        self._build_ui()
        self._connect()
        self.show_placeholder()

    def _build_ui(self) -> None:
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setAccessibleName("Trial details")
        self.tags_edit = QLineEdit()
        self.tags_edit.setPlaceholderText(TAGS_PLACEHOLDER)
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

    def show_placeholder(self, html: str = "<p style='color:gray'>Select a trial to see its "
                         "details.</p>") -> None:
        """No library trial on show: `html` says why (by default, to select one)."""
        self._show_message(html, "Select a trial to write notes on it.")

    def show_inbox_study(self, html: str) -> None:
        """An inbox study is described: it is not in the library, so it can have no tags or
        notes yet; the disabled fields say how to get them."""
        self._show_message(html, "Accept this study into the library to write notes on it.",
                           tags_hint="Accept the study into the library to tag it")

    def show_filtered_out(self, trial_id: str, title: str, hidden: HiddenBy) -> None:
        """The selected trial is not among the results any more: say what hides it (the
        search, the watch list or tree choice, a filter box, or several), show nothing of it."""
        plain = named_trial(trial_id, title)
        self._show_message(f"<p style='color:gray'>{escape(plain)} {escape(hidden.why())}.</p>"
                           "<p style='color:gray'>Select a trial from the results, or "
                           f"{escape(hidden.undo())} to see it again.</p>",
                           f"{plain} is not among the results: its notes show again when it "
                           "is shown and selected.")

    def show_leaving(self, trial_id: str, title: str) -> None:
        """The selected trial has just left the results; what hides it is being asked of the
        library (`show_filtered_out` follows): its details and notes are not shown meanwhile."""
        plain = named_trial(trial_id, title)
        self._show_message(f"<p style='color:gray'>{escape(plain)} is not among the "
                           "results.</p>", f"{plain} is not among the results: its notes show "
                           "again when it is shown and selected.")

    def show_removed(self, trial_id: str, title: str, kept_in: str = "") -> None:
        """The trial shown was removed from the library (here or by another program): the
        pane says so and nothing can be typed for it any more."""
        plain = named_trial(trial_id, title)
        name = escape(plain)
        kept = (f" Its notes were written to {escape(kept_in)}." if kept_in else "")
        self._show_message(f"<p><b>{name} was removed from the library.</b>{kept}</p>"
                           "<p style='color:gray'>Adding it again brings back its registry "
                           "data and, for a trial of the curated library, its review "
                           "figures; not its notes, tags or watch lists. Select a trial to "
                           "see its details.</p>",
                           f"{plain} was removed from the library: notes cannot be added.",
                           keep_edits=False)  # its tags went with it
        self.notes.trials_removed([trial_id])

    def _show_message(self, html: str, notes_text: str, keep_edits: bool = True,
                      tags_hint: str = "") -> None:
        """No trial on show: a message in the document, tags and notes emptied and closed
        (what was typed is sent to be saved first); `tags_hint`: why there are no tags to
        edit, in the disabled field and its tooltip."""
        if keep_edits:
            self._on_tags_edit_finished()
        self.trial_id = None
        self._details = None
        self.browser.setHtml(html)
        self.tags_edit.blockSignals(True)  # not a tag edit: nothing to save
        self.tags_edit.clear()
        self.tags_edit.blockSignals(False)
        self._shown_tags = ""
        self.tags_edit.setEnabled(False)
        self.tags_edit.setPlaceholderText(tags_hint or TAGS_PLACEHOLDER)
        self.tags_edit.setToolTip(tags_hint)
        self.notes.show_nothing(notes_text)
        self.tabs.setTabText(1, "Notes")

    def show_details(self, details: TrialDetails) -> None:
        same = self.trial_id == details.trial.id
        self.trial_id = details.trial.id
        self._details = details
        self._render(keep_scroll=same)
        self.tags_edit.setEnabled(True)
        self.tags_edit.setPlaceholderText(TAGS_PLACEHOLDER)
        self.tags_edit.setToolTip("")
        self.tags_edit.setText(", ".join(details.tags))
        self._shown_tags = self.tags_edit.text()
        self.notes.show_notes(details.trial.id, details.notes, details.trial.display_title)
        self._label_notes_tab(len(details.notes))

    def toggle_section(self, key: str) -> None:
        """Fold or unfold a section where it is: the header stays where it was clicked, and
        an opened section whose body would start below the view is scrolled up into it."""
        opening = key not in self.open_sections
        self.open_sections ^= {key}
        self._render(keep_scroll=True)
        if opening:
            self._reveal_section(key)

    def toggle_terms(self, key: str) -> None:
        """List every term of one arm's serious or other events in place, or shorten the
        list again; kept for this trial (group ids repeat from trial to trial)."""
        if self.trial_id is None:
            return
        self.terms_in_full.setdefault(self.trial_id, set()).symmetric_difference_update({key})
        self._render(keep_scroll=True)

    def _section_span(self, key: str) -> tuple[float, float] | None:
        """Top of the section's header and top of whatever follows it (document pixels)."""
        document = self.browser.document()
        layout = document.documentLayout()
        top = None
        block = document.begin()
        while block.isValid():
            names = block.charFormat().anchorNames() + [  # an empty <a name> lands on the block
                name for fragment in _fragments(block)
                for name in fragment.charFormat().anchorNames()]
            if any(name.startswith("section-") for name in names):
                y = layout.blockBoundingRect(block).top()
                if top is not None:
                    return top, y
                if f"section-{key}" in names:
                    top = y
            block = block.next()
        return (top, layout.documentSize().height()) if top is not None else None

    def _reveal_section(self, key: str) -> None:
        span = self._section_span(key)
        if span is None:
            return
        top, end = span
        bar = self.browser.verticalScrollBar()
        bottom = bar.value() + self.browser.viewport().height()
        if end > bottom:  # its body runs off the bottom: show as much as fits, header too
            self._scroll_to(max(bar.value(), min(int(end) - self.browser.viewport().height(),
                                                 int(top))))

    def _scroll_to(self, value: int) -> None:
        """Scroll once the new document is laid out: the range grows as the layout does, and
        a value set before that would be cut down to a shorter range."""
        self.browser.document().documentLayout().documentSize()  # lays the document out
        bar = self.browser.verticalScrollBar()
        bar.setValue(value)
        QTimer.singleShot(0, bar, lambda: bar.setValue(value))

    def _render(self, keep_scroll: bool = False) -> None:
        if self._details is None:
            return
        scroll = self.browser.verticalScrollBar().value()
        self._narrow = self._is_narrow()
        in_full = frozenset(self.terms_in_full.get(self._details.trial.id, ()))
        self.browser.setHtml(detail_html(self._details, frozenset(self.open_sections),
                                         self.home, self._narrow, in_full))
        if keep_scroll:
            self._scroll_to(scroll)

    def _is_narrow(self) -> bool:
        return self.browser.viewport().width() < NARROW_VIEW_PX

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        QTimer.singleShot(0, self, self._follow_width)  # once the view has its new width

    def _follow_width(self) -> None:
        """Narrowed or widened past NARROW_VIEW_PX: the document is laid out again."""
        if self._details is not None and self._is_narrow() != self._narrow:
            self._render(keep_scroll=True)

    def _label_notes_tab(self, count: int) -> None:
        self.tabs.setTabText(1, f"Notes ({count})" if count else "Notes")

    def _on_browser_anchor_clicked(self, url: QUrl) -> None:
        """Fold links toggle a section, term links an adverse event list; only web links
        open (never file:, smb:, javascript:)."""
        if url.scheme() == FOLD_SCHEME:
            self.toggle_section(url.path())
        elif url.scheme() == TERMS_SCHEME:
            self.toggle_terms(url.path())
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
        tags = typed_tags([self.tags_edit.text()])
        self.tags_edited.emit(self.trial_id, tags)


def _fragments(block):
    """The text fragments of one block of the document."""
    iterator = block.begin()
    while not iterator.atEnd():
        fragment = iterator.fragment()
        if fragment.isValid():
            yield fragment
        iterator += 1
