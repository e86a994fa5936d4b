"""What the window says outside the cards: a banner for a library that was never synced
(said once, not on every card), the empty-result message, and a notice for start-up settings
that could not be used (what the terminal would have said, for a start from the desktop icon)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from tracker.domain.words import plural
from tracker.ui.narrowing_words import Narrowing, no_match_text

if TYPE_CHECKING:
    from tracker.context import AppContext


class _NoticeBar(QFrame):
    """A strip above the panes: words, and one button beside them."""

    def __init__(self, name: str, button: str, button_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton(button)
        self.button.setAccessibleName(button_name)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignVCenter)
        self.hide()


class SyncBanner(_NoticeBar):
    """"Never synced" for the whole library, with a button that starts the sync."""

    sync_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("syncBanner", "Sync now", "Sync now", parent)
        self.setAccessibleName("Sync notice")
        self.button.clicked.connect(self.sync_requested)

    def update_for(self, never_synced: int, last_sync_at: str | None) -> None:
        """Shown while some registry trials have never been looked up."""
        if never_synced == 0:
            self.hide()
            return
        if last_sync_at is None:
            text = ("<b>Not synced yet.</b> Statuses, dates and sponsors come from the review "
                    "articles until you sync with ClinicalTrials.gov.")
        else:
            text = (f"<b>{plural(never_synced, 'trial')} not synced yet.</b> Their status and "
                    "dates come from the review articles.")
        self.label.setText(text)
        self.show()


def startup_lines(url_problem: str | None, context: AppContext) -> list[str]:
    """The start-up problems, each the line the terminal printed: an empty library file that
    was started afresh, an unusable registry URL (then which address is used instead) and
    settings in preferences.json that were ignored."""
    notice = context.library.database.notice
    lines = [notice[:1].upper() + notice[1:] + "."] if notice else []
    if url_problem:
        lines.append(f"{url_problem}. Until it is corrected, Trial Tracker syncs with the "
                     f"address in Preferences: {context.api_url}")
    return lines + list(context.preference_problems)


class StartupNotice(_NoticeBar):
    """Settings that could not be used at start, in the window (a desktop-icon start has no
    terminal to read): the library opens as usual; Dismiss hides the notice."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("startupNotice", "Dismiss", "Dismiss the start-up notice", parent)
        self.setAccessibleName("Start-up notice")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.dismiss_button = self.button
        self.dismiss_button.clicked.connect(self.hide)
        self.lines: list[str] = []

    def show_problems(self, lines: list[str]) -> None:
        self.lines = list(lines)
        if not lines:
            self.hide()
            return
        self.label.setText("<b>A start-up setting could not be used.</b><br>"
                           + "<br>".join(escape(line) for line in lines))
        self.show()


class EmptyState(QWidget):
    """"No trials match … ", with one button that clears the search and filters; an empty
    watch list says how to fill it instead."""

    clear_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("emptyState")
        self.label = QLabel()
        self.label.setObjectName("emptyText")
        self.label.setWordWrap(True)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.clear_button = QPushButton("Clear search and filters")
        self.clear_button.setAccessibleName("Clear search and filters")
        self.clear_button.clicked.connect(self.clear_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addWidget(self.clear_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(2)

    def describe(self, narrowing: Narrowing, empty_list: str | None = None) -> None:
        """Name what leaves the list empty, so the user knows what to undo (the one button
        undoes it). `empty_list`: the shown watch list has no trials at all."""
        search = narrowing.search
        if empty_list is not None and not search:
            self.label.setText(f"<p style='font-size:12pt'>“{escape(empty_list)}” is empty — "
                               "drag cards onto it or right-click a trial › Add to watch "
                               "list</p>")
            self.clear_button.setText("Show all trials")
        else:
            self.label.setText(f"<p style='font-size:12pt'>{escape(no_match_text(narrowing))}"
                               "</p>")
            self.clear_button.setText("Clear search and filters" if search
                                      else "Show all trials")
        self.clear_button.setAccessibleName(self.clear_button.text())
        self.text = self.label.text()
