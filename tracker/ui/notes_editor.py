"""Edit a trial's notes: pick a note, type, and it is saved as you type and when you leave."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.words import named_trial

if TYPE_CHECKING:
    from tracker.domain import Note

_WRITE_TEXT = "Write a note… it is saved as you type."
SAVE_DELAY_MS = 600
RETRY_MS = 5000  # a save that failed (a lock, a full disk) is tried again this often


@dataclass
class _Unsaved:
    """A save that failed: what to send again, and why it failed."""

    trial_id: str
    note_id: int | None
    draft: str
    text: str
    message: str
    retry: bool


class NotesEditor(QWidget):
    """Emits `save_requested(trial_id, note_id or None, draft, text)`; the window saves it
    off-thread. A new note is named by `draft` until the first save returns its id; the saver
    on the single database thread maps later saves of the same draft to that note.

    A save that fails (`save_failed`) is not forgotten: the text stays in the editor (or comes
    back when its trial is shown again), the failure is shown, and it is sent again every
    RETRY_MS until it is saved. On a read-only library nothing can be edited."""

    save_requested = Signal(str, object, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._trial_id: str | None = None
        self._note_id: int | None = None
        self._dirty = False
        self._draft = uuid.uuid4().hex  # names a new note until its first save gives it an id
        self._notes: list[Note] = []
        self._unsaved: dict[str, _Unsaved] = {}  # draft -> its failed save
        self._read_only = False
        self._read_only_text = "This library is read-only: notes cannot be added."
        self._removed: set[str] = set()  # trials removed while this window was open
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._retry_timer = QTimer(self)
        self._retry_timer.setInterval(RETRY_MS)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.note_list = QListWidget()
        self.note_list.setMaximumHeight(80)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(_WRITE_TEXT)
        self.new_button = QPushButton("New note")
        self.state_label = QLabel("")
        self.title_label = QLabel("<b>Notes</b>")  # whose notes: "Notes on CLL14 (NCT…)"
        self.title_label.setTextFormat(Qt.TextFormat.RichText)
        self.title_label.setWordWrap(True)
        header = QHBoxLayout()
        header.addWidget(self.title_label, 1)
        header.addWidget(self.state_label)
        header.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.note_list)
        layout.addWidget(self.editor, 1)

    def _connect(self) -> None:
        self.editor.textChanged.connect(self._on_editor_text_changed)
        self._timer.timeout.connect(self.flush)
        self._retry_timer.timeout.connect(self._retry)
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.note_list.currentRowChanged.connect(self._on_note_list_row_changed)

    # -- public ----------------------------------------------------------------------------
    def show_notes(self, trial_id: str, notes: list[Note], title: str = "") -> None:
        """Load a trial's notes. Pending edits are saved first; when the same trial is shown
        again (after a sync, say) the note being edited stays in the editor as typed."""
        same_trial = trial_id == self._trial_id
        self.flush()
        self._removed.discard(trial_id)  # added back (Add trial, an import)
        self._notes = list(notes)
        self.title_label.setText(f"<b>Notes on {escape(named_trial(trial_id, title))}</b>")
        self.setEnabled(True)
        self.new_button.setEnabled(not self._read_only)
        self.editor.setPlaceholderText(self._read_only_text if self._read_only else
                                       _WRITE_TEXT)
        if same_trial:
            self._fill_list()
            return
        self._trial_id = trial_id
        self._fill_list()
        unsaved = next((u for u in reversed(self._unsaved.values()) if u.trial_id == trial_id),
                       None)
        own = [n for n in notes if n.author is None]
        if unsaved is None:
            self._edit(own[-1] if own else None)
            return
        # the text that could not be saved comes back, not the stored version
        mine = [n for n in own if n.id == unsaved.note_id]
        self._edit(mine[0] if mine else None)
        self._restore(unsaved)

    def show_nothing(self, message: str) -> None:
        """No trial is shown (none selected, hidden by a filter, removed): what was typed is
        sent to be saved first, then the editor is emptied and closed, so nothing typed now
        could be lost and no other trial's note is on show."""
        self.flush()
        self._trial_id = None
        self._note_id = None
        self._draft = uuid.uuid4().hex
        self._notes = []
        self._fill_list()
        self.editor.blockSignals(True)
        self.editor.clear()
        self.editor.blockSignals(False)
        self.editor.setPlaceholderText(message)
        self._dirty = False
        self.title_label.setText("<b>Notes</b>")
        self.state_label.setStyleSheet("")
        self.state_label.setToolTip("")
        self.state_label.setText("")
        self.setEnabled(False)

    def trials_removed(self, trial_ids: list[str]) -> None:
        """The trials left the library: their notes went to the recovery file (and so did any
        save that failed, when it failed), so nothing of theirs is retried or kept here."""
        self._removed.update(trial_ids)
        for draft in [d for d, u in self._unsaved.items() if u.trial_id in self._removed]:
            del self._unsaved[draft]
        if not self._unsaved:
            self._retry_timer.stop()

    def note_saved(self, trial_id: str, draft: str, note: Note | None) -> None:
        """The window reports a finished save; a first save gives the new note its id."""
        if self._unsaved.pop(draft, None) is not None:
            if not self._unsaved:
                self._retry_timer.stop()
        if trial_id != self._trial_id or draft != self._draft:
            return
        if note is None:  # the note was emptied and removed: further typing starts a new one
            self._note_id = None
            self._draft = uuid.uuid4().hex
            return
        if self._note_id is None:
            self._note_id = note.id
        if note.body == self.editor.toPlainText():  # what is shown is saved, whatever failed before
            self._dirty = False
        self._notes = [n for n in self._notes if n.id != note.id] + [note]
        self.state_label.setText("saved")
        self._fill_list(select=note.id)

    def save_failed(self, trial_id: str, note_id: int | None, draft: str, text: str,
                    message: str, retry: bool = True) -> None:
        """A save failed: keep the text, say why, and try again later (unless pointless).
        A trial removed meanwhile is not tried again: the saver wrote the text to the recovery
        file when the save failed."""
        if trial_id in self._removed:
            return
        self._unsaved.pop(draft, None)  # re-inserted last: the latest failure comes back first
        self._unsaved[draft] = _Unsaved(trial_id, note_id, draft, text, message, retry)
        if trial_id == self._trial_id and draft == self._draft:
            self._dirty = True  # what is in the editor still has to be saved
            self._show_failure(message)
        if retry:
            self._retry_timer.start()

    def set_read_only(self, read_only: bool) -> None:
        """A read-only library: notes can be read, not written."""
        self._read_only = read_only
        self.new_button.setEnabled(not read_only)
        self.editor.setReadOnly(read_only or self.editor.isReadOnly())
        if read_only:
            self.editor.setPlaceholderText(self._read_only_text)

    @property
    def unsaved_trials(self) -> list[str]:
        """Trials whose note could not be saved yet."""
        return list(dict.fromkeys(u.trial_id for u in self._unsaved.values()))

    def rename_trial(self, renamed: dict[str, str]) -> None:
        """A sync gave trials new registry ids: keep editing the same trial under its new id."""
        if self._trial_id in renamed:
            self._trial_id = renamed[self._trial_id]
        for unsaved in self._unsaved.values():
            unsaved.trial_id = renamed.get(unsaved.trial_id, unsaved.trial_id)

    def flush(self) -> None:
        """Save now if there are unsaved changes (on trial change, on close)."""
        self._timer.stop()
        if self._dirty and self._trial_id:
            self._dirty = False
            self.save_requested.emit(self._trial_id, self._note_id, self._draft,
                                     self.editor.toPlainText())

    @property
    def has_unsaved_changes(self) -> bool:
        return self._dirty or bool(self._unsaved)

    # -- internals -------------------------------------------------------------------------
    def _edit(self, note: Note | None) -> None:
        self._draft = uuid.uuid4().hex
        self._note_id = note.id if note else None
        self.editor.blockSignals(True)
        self.editor.setPlainText(note.body if note else "")
        self.editor.blockSignals(False)
        self.editor.setReadOnly(bool(note and note.author) or self._read_only)
        self._dirty = False
        self.state_label.setStyleSheet("")
        self.state_label.setToolTip("")
        self.state_label.setText(f"from {note.author}" if note and note.author else "")

    def _restore(self, unsaved: _Unsaved) -> None:
        self._note_id = unsaved.note_id
        self._draft = unsaved.draft
        self.editor.blockSignals(True)
        self.editor.setPlainText(unsaved.text)
        self.editor.blockSignals(False)
        self._dirty = True
        self._show_failure(unsaved.message)

    def _show_failure(self, message: str) -> None:
        self.state_label.setText("not saved")
        self.state_label.setStyleSheet("color: #b00020; font-weight: bold")
        self.state_label.setToolTip(message)

    def _retry(self) -> None:
        """Send every failed save again; the note being edited goes with its latest text."""
        pending = [u for u in self._unsaved.values() if u.retry]
        if not pending:
            self._retry_timer.stop()
            return
        for unsaved in pending:
            if unsaved.trial_id == self._trial_id and unsaved.draft == self._draft:
                self._dirty = True
                self.flush()
            else:
                self.save_requested.emit(unsaved.trial_id, unsaved.note_id, unsaved.draft,
                                         unsaved.text)

    def _fill_list(self, select: int | None = None) -> None:
        self.note_list.blockSignals(True)
        self.note_list.clear()
        for note in self._notes:
            first_line = (note.body.strip().splitlines() or [""])[0][:60]
            who = f" [{note.author}]" if note.author else ""
            item = QListWidgetItem(f"{note.updated_at:%Y-%m-%d %H:%M}{who}  {first_line}")
            item.setData(Qt.ItemDataRole.UserRole, note.id)
            self.note_list.addItem(item)
            if note.id == (select if select is not None else self._note_id):
                self.note_list.setCurrentItem(item)
        self.note_list.blockSignals(False)
        self.note_list.setVisible(len(self._notes) > 1 or any(n.author for n in self._notes))

    def _on_editor_text_changed(self) -> None:
        if self.editor.isReadOnly():
            return
        self._dirty = True
        failed = self._unsaved.get(self._draft)
        if failed is None:
            self.state_label.setText("editing…")
        elif not failed.retry:  # the user is fixing what stopped it (its length): try again
            failed.retry = True
        self._timer.start()

    def _on_new_button_clicked(self) -> None:
        self.flush()
        self._edit(None)
        self.note_list.clearSelection()
        self.editor.setFocus()

    def _on_note_list_row_changed(self, row: int) -> None:
        if 0 <= row < len(self._notes):
            self.flush()
            self._edit(self._notes[row])
