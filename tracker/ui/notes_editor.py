"""Edit a trial's notes: pick a note, type, and it is saved as you type and when you leave."""

from __future__ import annotations

import uuid
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

if TYPE_CHECKING:
    from tracker.domain import Note

SAVE_DELAY_MS = 600


class NotesEditor(QWidget):
    """Emits `save_requested(trial_id, note_id or None, draft, text)`; the window saves it
    off-thread. A new note is named by `draft` until the first save returns its id; the saver
    on the single database thread maps later saves of the same draft to that note."""

    save_requested = Signal(str, object, str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._trial_id: str | None = None
        self._note_id: int | None = None
        self._dirty = False
        self._draft = uuid.uuid4().hex  # names a new note until its first save gives it an id
        self._notes: list[Note] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_DELAY_MS)
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        self.note_list = QListWidget()
        self.note_list.setMaximumHeight(80)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText("Write a note… it is saved as you type.")
        self.new_button = QPushButton("New note")
        self.state_label = QLabel("")
        header = QHBoxLayout()
        header.addWidget(QLabel("<b>Notes</b>"))
        header.addStretch(1)
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
        self.new_button.clicked.connect(self._on_new_button_clicked)
        self.note_list.currentRowChanged.connect(self._on_note_list_row_changed)

    # -- public ----------------------------------------------------------------------------
    def show_notes(self, trial_id: str, notes: list[Note]) -> None:
        """Load a trial's notes. Pending edits are saved first; when the same trial is shown
        again (after a sync, say) the note being edited stays in the editor as typed."""
        same_trial = trial_id == self._trial_id
        self.flush()
        self._notes = list(notes)
        if same_trial:
            self._fill_list()
            return
        self._trial_id = trial_id
        self._fill_list()
        own = [n for n in notes if n.author is None]
        self._edit(own[-1] if own else None)

    def note_saved(self, trial_id: str, draft: str, note: Note | None) -> None:
        """The window reports a finished save; a first save gives the new note its id."""
        if trial_id != self._trial_id or draft != self._draft:
            return
        if note is None:  # the note was emptied and removed: further typing starts a new one
            self._note_id = None
            self._draft = uuid.uuid4().hex
            return
        if self._note_id is None:
            self._note_id = note.id
        self._notes = [n for n in self._notes if n.id != note.id] + [note]
        self.state_label.setText("saved")
        self._fill_list(select=note.id)

    def rename_trial(self, renamed: dict[str, str]) -> None:
        """A sync gave trials new registry ids: keep editing the same trial under its new id."""
        if self._trial_id in renamed:
            self._trial_id = renamed[self._trial_id]

    def flush(self) -> None:
        """Save now if there are unsaved changes (on trial change, on close)."""
        self._timer.stop()
        if self._dirty and self._trial_id:
            self._dirty = False
            self.save_requested.emit(self._trial_id, self._note_id, self._draft,
                                     self.editor.toPlainText())

    @property
    def has_unsaved_changes(self) -> bool:
        return self._dirty

    # -- internals -------------------------------------------------------------------------
    def _edit(self, note: Note | None) -> None:
        self._draft = uuid.uuid4().hex
        self._note_id = note.id if note else None
        self.editor.blockSignals(True)
        self.editor.setPlainText(note.body if note else "")
        self.editor.blockSignals(False)
        self.editor.setReadOnly(bool(note and note.author))
        self._dirty = False
        self.state_label.setText(f"from {note.author}" if note and note.author else "")

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
        self.state_label.setText("editing…")
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
