"""The inbox page: new studies found by saved searches, as cards, with accept and dismiss.

The cards reuse `TrialListModel` and `TrialCardDelegate`; the delegate subclass only replaces
the bottom lines (proposal with evidence, first posted, sponsor, the searches that found the
study). `tracker.ui.inbox_controller` feeds it and wires it into the window.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QAction, QFontMetrics, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLabel,
    QListView,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tracker.domain import Modality, users_today
from tracker.domain.enums import phase_label
from tracker.store import TrialCard
from tracker.ui.card_delegate import TrialCardDelegate
from tracker.ui.fit_combo import WrapRow
from tracker.ui.trial_model import TrialListModel, TrialRole

if TYPE_CHECKING:
    from tracker.domain.inbox import InboxItem

INBOX_ROLE = Qt.ItemDataRole.UserRole + 20  # "inbox" or "searches" on the tree entries
NO_LIST = "(no watch list)"
EMPTY_TEXT = ("Nothing new from your saved searches.\n\nStudies appear here after "
              "Check now (or Sync and check saved searches) finds them: newly posted ones, and "
              "older ones updated since the last check that now match. A search without "
              "statuses follows open studies only (not completed, terminated, withdrawn or of "
              "unknown status).")
GAP = 12  # pixels between the proposal and why the study is here, on a card
PICK_TEXT = "Select a study to see its interventions, conditions, dates and sites."


@dataclass(frozen=True, slots=True)
class InboxCard(TrialCard):
    first_posted: str = ""
    searches: str = ""
    sponsor: str = ""
    found_because: str = ""  # "newly posted 2026-12-01", "now matches: updated 2026-12-02"
    last_update: str = ""  # "last update posted 2026-11-28": the registry's date of the record
    facts: str = ""  # enrollment, start, primary completion, sites (InboxItem.facts_line)


def inbox_card(item: InboxItem, num: int, today: dt.date | None = None) -> InboxCard:
    """The card of an inbox study; `today`: the user's day (default: now), against which
    an estimated date of a study under way is overdue."""
    proposal = f"Proposed {item.modality.label}"
    if item.modality is not item.proposed_modality:
        proposal = f"Filed as {item.modality.label} (changed)"
    elif item.evidence:
        proposal += f": {item.evidence}"
    else:
        proposal += ": no drug or keyword matched"
    return InboxCard(
        num=num, id=item.nct_id, title=item.acronym or item.title,
        subtitle=item.title if item.acronym else "",
        status=item.status, registry_state="found", phase_text=phase_label(item.phases),
        modality=item.modality, diseases=", ".join(item.conditions[:3]), headline=proposal,
        start=None, primary_completion=None, primary_completion_estimated=False,
        last_synced_at=None, last_update_posted=None, has_notes=False,
        changed_in_last_sync=False, first_posted=item.first_posted or "?",
        searches=", ".join(item.searches), sponsor=item.sponsor or "",
        found_because=item.found_because_on_card(),
        last_update=item.last_update_text(),
        facts=item.facts_line(today or users_today(), sites_first=True))


class InboxCardDelegate(TrialCardDelegate):
    """The library's card, with the inbox's facts on the bottom lines (one line more)."""

    def sizeHint(self, option, index) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width(), size.height() + QFontMetrics(option.font).height() + 3)

    def _paint_bottom(self, painter, font, colour, muted, inner, card, top, line) -> None:
        if not isinstance(card, InboxCard):
            super()._paint_bottom(painter, font, colour, muted, inner, card, top, line)
            return
        accent = type(font)(font)
        accent.setBold(True)
        because = card.found_because or f"first posted {card.first_posted}"
        # why it is here takes the room it needs, up to half the card (its date and "no
        # longer matches: Withdrawn" were cut in a fixed third); the proposal the rest
        room = min(QFontMetrics(font).horizontalAdvance(because) + GAP, inner.width() // 2)
        split = inner.width() - room
        self._text(painter, accent, colour, QRect(inner.left(), top, split, line),
                   card.headline)
        sponsor = f"{card.sponsor} · " if card.sponsor else ""
        self._text(painter, font, muted, QRect(inner.left() + split, top, room, line), because,
                   Qt.AlignmentFlag.AlignRight)
        updated = f" · {card.last_update}" if card.last_update else ""
        self._text(painter, font, colour, QRect(inner.left(), top + line, inner.width(), line),
                   card.facts or "no enrollment, dates or sites in the record")
        self._text(painter, font, muted, QRect(inner.left(), top + 2 * line, inner.width(),
                                                line),
                   f"{sponsor}found by: {card.searches}{updated}")


def item_html(item: InboxItem, today: dt.date | None = None) -> str:
    """The facts a triage needs beyond the card: interventions, conditions, the link."""
    def esc(text: str) -> str:
        return html.escape(text, quote=True)

    facts = item.facts_line(today or users_today())

    evidence = f" ({esc(item.evidence)})" if item.evidence else " (no drug or keyword matched)"
    return (f"<b>{esc(item.nct_id)}</b> · <a href='https://clinicaltrials.gov/study/"
            f"{esc(item.nct_id)}'>open on ClinicalTrials.gov</a><br>"
            f"<b>Interventions:</b> {esc('; '.join(item.interventions) or '—')}<br>"
            f"<b>Conditions:</b> {esc('; '.join(item.conditions) or '—')}<br>"
            f"<b>Modality:</b> {esc(item.modality.label)}{evidence} · <b>Sponsor:</b> "
            f"{esc(item.sponsor or 'not stated')} · "
            f"<b>Found by:</b> {esc(', '.join(item.searches))}"
            + (f" ({esc(item.found_because())})" if item.found_because() else "")
            + (f" · <b>Last update posted</b> {esc(item.last_update_posted)}"
               if item.last_update_posted else "")
            + (f"<br>{esc(facts)}" if facts else ""))


class InboxView(QWidget):
    """The inbox page: a card list and the buttons that triage it."""

    accept_requested = Signal(list, str)  # ids, watch list name ("" for none)
    dismiss_requested = Signal(list)
    restore_requested = Signal(list)  # ids of dismissed studies to bring back
    undo_requested = Signal()
    dismissed_toggled = Signal(bool)  # show the dismissed studies instead of the inbox
    modality_requested = Signal(list, str)
    check_requested = Signal()
    searches_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TrialListModel(self)
        self._build_ui()
        self._build_shortcuts()

    def _build_ui(self) -> None:
        self.cards = QListView()
        self.cards.setObjectName("inboxCards")
        self.cards.setModel(self.model)
        self.cards.setItemDelegate(InboxCardDelegate(self.cards))
        self.cards.setUniformItemSizes(True)
        self.cards.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.cards.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.empty = QLabel(EMPTY_TEXT)
        self.empty.setObjectName("inboxEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("color: gray; font-size: 11pt;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.cards)
        self.stack.addWidget(self.empty)
        self.info = QLabel(PICK_TEXT)
        self.info.setObjectName("inboxInfo")
        self.info.setWordWrap(True)
        self.info.setOpenExternalLinks(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self._items: dict[str, InboxItem] = {}
        self.title = QLabel("Inbox")
        self.title.setObjectName("inboxTitle")
        self.accept_button = QPushButton("Accept")
        self.accept_button.setToolTip("Add the selected studies to the library (Ctrl+Return)")
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setToolTip("Dismiss the selected studies; the searches that found "
                                       "them will not bring them back (Delete; Undo: Ctrl+Z)")
        self.list_box = QComboBox()
        self.list_box.addItem(NO_LIST)
        self.modality_box = QComboBox()
        self.modality_box.addItem("File as…", None)
        for modality in Modality:
            self.modality_box.addItem(modality.label, modality.value)
        self.dismissed_button = QPushButton("Show dismissed")
        self.dismissed_button.setCheckable(True)
        self.dismissed_button.setToolTip("List the studies you dismissed; Restore brings "
                                         "them back to the inbox")
        self.check_button = QPushButton("Check now")
        self.searches_button = QPushButton("Saved searches…")
        row = WrapRow()  # every button whole; a narrow pane puts them on two lines
        for widget in (self.accept_button, QLabel("to"), self.list_box, self.dismiss_button,
                       self.modality_box, self.dismissed_button, self.check_button,
                       self.searches_button):
            row.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.info)
        self.cards.selectionModel().currentChanged.connect(self._on_current_changed)
        self.accept_button.clicked.connect(self._on_accept_clicked)
        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)
        self.dismissed_button.toggled.connect(self._on_dismissed_toggled)
        self.modality_box.activated.connect(self._on_modality_chosen)
        self.check_button.clicked.connect(self.check_requested)
        self.searches_button.clicked.connect(self.searches_requested)

    def _build_shortcuts(self) -> None:
        """The inbox's own keys; their names are what F1's list shows under "Inbox"."""
        for name, keys, slot in (
                ("Accept the selected studies", "Ctrl+Return", self._on_accept_clicked),
                ("Dismiss the selected studies", QKeySequence.StandardKey.Delete,
                 self._on_dismiss_clicked),
                ("Undo dismiss", QKeySequence.StandardKey.Undo, self.undo_requested.emit)):
            action = QAction(name, self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def _on_current_changed(self, current, _previous) -> None:
        self.show_info(current.data(TrialRole.TRIAL_ID) if current.isValid() else None)

    def show_info(self, nct_id: str | None) -> None:
        """The strip under the cards describes the current study, and only it."""
        item = self._items.get(nct_id or "")
        if item is None:
            self.info.setText(PICK_TEXT if self._items else "")
        else:
            self.info.setText(item_html(item))

    def item(self, nct_id: str | None) -> InboxItem | None:
        return self._items.get(nct_id or "")

    def current_id(self) -> str | None:
        index = self.cards.currentIndex()
        return index.data(TrialRole.TRIAL_ID) if index.isValid() else None

    @property
    def showing_dismissed(self) -> bool:
        return self.dismissed_button.isChecked()

    def _on_dismissed_toggled(self, shown: bool) -> None:
        """The dismissed studies replace the inbox's; Dismiss becomes Restore and what only
        an inbox study can do (accept, file as) waits."""
        self.dismiss_button.setText("Restore" if shown else "Dismiss")
        self.dismiss_button.setToolTip(
            "Bring the selected studies back to the inbox (Delete)" if shown else
            "Dismiss the selected studies; the searches that found them will not bring them "
            "back (Delete; Undo: Ctrl+Z)")
        self.dismissed_button.setText("Back to the inbox" if shown else "Show dismissed")
        for widget in (self.accept_button, self.list_box, self.modality_box):
            widget.setEnabled(not shown)
        self.dismissed_toggled.emit(shown)

    def set_items(self, items: list[InboxItem]) -> None:
        """Show `items` (the store leaves out studies that joined the library meanwhile).
        The current study stays current when it is still listed; otherwise none is."""
        current = self.current_id()
        self._items = {item.nct_id: item for item in items}
        today = users_today()
        cards = {item.nct_id: inbox_card(item, n, today) for n, item in enumerate(items)}
        self.model.set_cards(cards, [item.nct_id for item in items])
        row = self.model.row_of(current or "")
        if row is not None:
            self.cards.setCurrentIndex(self.model.index(row))
        self.show_info(current if row is not None else None)
        self.stack.setCurrentWidget(self.cards if items else self.empty)
        if self.showing_dismissed:
            self.empty.setText("Nothing dismissed." if not items else EMPTY_TEXT)
            self.title.setText(f"<b>Dismissed ({len(items)})</b> — the searches that found "
                               "them do not bring them back; Restore does")
            return
        self.empty.setText(EMPTY_TEXT)
        self.title.setText(f"<b>Inbox ({len(items)})</b> — new studies from your saved "
                           "searches, not in the library yet" if items else
                           "<b>Inbox (0)</b> — nothing new from your saved searches")

    def set_watchlists(self, names: list[str]) -> None:
        current = self.list_box.currentText()
        self.list_box.clear()
        self.list_box.addItems([NO_LIST, *names])
        self.list_box.setCurrentText(current if current in names else NO_LIST)

    def selected_ids(self) -> list[str]:
        rows = sorted(self.cards.selectionModel().selectedRows(), key=lambda i: i.row())
        return [index.data(TrialRole.TRIAL_ID) for index in rows]

    def _on_accept_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            chosen = self.list_box.currentText()
            self.accept_requested.emit(ids, "" if chosen == NO_LIST else chosen)

    def _on_dismiss_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            (self.restore_requested if self.showing_dismissed else self.dismiss_requested).emit(
                ids)

    def _on_modality_chosen(self, index: int) -> None:
        value = self.modality_box.itemData(index)
        self.modality_box.setCurrentIndex(0)
        ids = self.selected_ids()
        if value and ids:
            self.modality_requested.emit(ids, value)
