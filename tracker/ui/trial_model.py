"""The card list model: visible TrialCards in display order, with custom roles.

It is a QStringListModel of the shown trial ids so that Qt's own C++ answers `rowCount` and
`index`: QListView asks for both once or twice per row when it lays out a reset list, and a
Python `rowCount` made that ~200,000 Python calls (~150-200 ms) for a 100,000-card search
result; the C++ list lays out the same rows in ~10 ms. Python still answers `data` for the
few rows on screen. The list is not editable and a drag only copies (a move would let Qt
remove the dragged rows from the model)."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QStringListModel,
    Qt,
)

if TYPE_CHECKING:
    from tracker.store import TrialCard

TRIAL_IDS_MIME = "application/x-trial-tracker-ids"
_SCANS_BEFORE_DICT = 4


class TrialRole(IntEnum):
    CARD = Qt.ItemDataRole.UserRole + 1
    TRIAL_ID = Qt.ItemDataRole.UserRole + 2
    STATUS = Qt.ItemDataRole.UserRole + 3
    HIGHLIGHTED = Qt.ItemDataRole.UserRole + 4
    TITLE_TEXT = Qt.ItemDataRole.UserRole + 5  # the card's title line (acronym — title)
    DISTINCTION = Qt.ItemDataRole.UserRole + 6  # what tells same-titled cards apart (sponsor…)


class TrialListModel(QStringListModel):
    """Fed by services with cards and an id order; it never fetches anything itself."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cards: dict[str, TrialCard] = {}
        self._order: list[str] = []
        self._row_of: dict[str, int] | None = {}
        self._scans = 0
        self._highlighted: set[str] = set()
        self._distinctions: dict[str, str] = {}

    # -- feeding ---------------------------------------------------------------------------
    def set_cards(self, cards: dict[str, TrialCard], order: list[str] | None = None) -> None:
        """Replace every card. Rows that stay in place are repainted, not reset, so the
        view keeps its selection and scroll position (after a sync, say)."""
        order = order if order is not None else list(cards)
        if [i for i in order if i in cards] == self._order:
            self._cards = dict(cards)
            self._emit_all_changed()
            return
        self._cards = dict(cards)
        self._set_order(order)

    def _emit_all_changed(self, roles: list[int] | None = None) -> None:
        if self._order:
            self.dataChanged.emit(self.index(0), self.index(len(self._order) - 1), roles or [])

    def update_cards(self, cards: dict[str, TrialCard]) -> None:
        """Replace some cards in place (after a sync or a note) without resetting the view."""
        self._cards.update(cards)
        for trial_id in cards:
            row = self.row_of(trial_id)
            if row is not None:
                index = self.index(row)
                self.dataChanged.emit(index, index)

    def show_only(self, order: list[str], *, all_loaded: bool = False) -> None:
        """Show these ids, in this order (a filter or search result). `all_loaded`: the
        caller knows every id is a loaded card, so the per-id check is skipped (it costs
        ~20 ms at 100,000 ids)."""
        if order == self._order:
            return
        self._set_order(order, all_loaded=all_loaded)

    def _set_order(self, order: list[str], *, all_loaded: bool = False) -> None:
        """The shown ids; setStringList resets the model (views lay it out in C++)."""
        self._order = list(order) if all_loaded else list(filter(self._cards.__contains__,
                                                                 order))
        self._row_of = None  # built only for many lookups: most results need one or none
        self._scans = 0
        # Qt only needs the row count: blank placeholders convert ~7x faster than 100,000 ids
        # (`data` answers from `_order`; nothing reads Qt's copy of the strings).
        self.setStringList([""] * len(self._order))

    def set_distinctions(self, distinctions: dict[str, str]) -> None:
        """Words shown after the title of cards that share a title (sponsor, product…)."""
        self._distinctions = dict(distinctions)
        self._emit_all_changed([TrialRole.TITLE_TEXT, TrialRole.DISTINCTION,
                                Qt.ItemDataRole.DisplayRole])

    def title_text(self, card: TrialCard) -> str:
        """Title and what tells it apart, for screen readers, tooltips and drag text."""
        extra = card.subtitle or self._distinctions.get(card.id)
        return f"{card.title} — {extra}" if extra else card.title

    def title_line(self, card: TrialCard) -> str:
        """The painted title: acronym — brief title; a twin's distinction goes on the
        metadata line instead (`distinction`), where a narrow card never elides it."""
        return f"{card.title} — {card.subtitle}" if card.subtitle else card.title

    def distinction(self, card: TrialCard) -> str:
        return "" if card.subtitle else self._distinctions.get(card.id, "")

    def set_highlighted(self, trial_ids: set[str]) -> None:
        self._highlighted = set(trial_ids)
        self._emit_all_changed([TrialRole.HIGHLIGHTED])

    # -- reading ---------------------------------------------------------------------------
    def row_of(self, trial_id: str) -> int | None:
        """The row showing this trial. The first few lookups after a new result scan the
        list (under a millisecond at 100,000 rows; the window asks once, for the selected
        trial); a dict is built only when many lookups follow (refreshing cards after a
        sync)."""
        if self._row_of is not None:
            return self._row_of.get(trial_id)
        self._scans += 1
        if self._scans > _SCANS_BEFORE_DICT:
            self._row_of = {shown: row for row, shown in enumerate(self._order)}
            return self._row_of.get(trial_id)
        if trial_id not in self._cards:
            return None
        try:
            return self._order.index(trial_id)
        except ValueError:
            return None

    def card(self, trial_id: str) -> TrialCard | None:
        return self._cards.get(trial_id)

    def visible_ids(self) -> list[str]:
        return list(self._order)

    def all_cards(self) -> dict[str, TrialCard]:
        return self._cards

    # -- Qt overrides (rowCount and index stay Qt's own) -------------------------------------
    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._order):
            return None
        card = self._cards[self._order[index.row()]]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{self.title_text(card)} ({card.id})"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.title_text(card)}, {card.id}, {card.phase_text}, {card.modality.label}"
        if role == TrialRole.TITLE_TEXT:
            return self.title_line(card)
        if role == TrialRole.DISTINCTION:
            return self.distinction(card)
        if role == Qt.ItemDataRole.ToolTipRole:
            status = (f"\nStatus: {card.status.label} ({card.status_note})"
                      if card.status_note and card.status else "")
            stopped = f"\nWhy stopped: {card.stop_reason}" if card.stop_reason else ""
            return f"{card.id}\n{card.subtitle or card.title}{status}{stopped}"
        if role == TrialRole.CARD:
            return card
        if role == TrialRole.TRIAL_ID:
            return card.id
        if role == TrialRole.STATUS:
            return card.status.value if card.status else card.registry_state
        if role == TrialRole.HIGHLIGHTED:
            return card.id in self._highlighted
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemNeverHasChildren)

    def setData(self, index, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        return False  # cards are read-only here; edits go through the services

    def insertRows(self, row: int, count: int, parent=None) -> bool:
        return False

    def removeRows(self, row: int, count: int, parent=None) -> bool:
        return False

    def moveRows(self, source_parent, source_row: int, count: int, destination_parent,
                 destination_child: int) -> bool:
        return False

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.IgnoreAction

    def itemData(self, index) -> dict:
        """What `data` says (Qt's own copy holds only blank placeholders)."""
        roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                 Qt.ItemDataRole.AccessibleTextRole)
        return {role: value for role in roles if (value := self.data(index, role)) is not None}

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """Order comes from the services (the Sort box); Qt's sort would reorder only its
        placeholders and leave the shown ids behind."""

    def mimeTypes(self) -> list[str]:
        return [TRIAL_IDS_MIME, "text/plain"]

    def mimeData(self, indexes) -> QMimeData:
        ids = [self._order[i.row()] for i in indexes if i.isValid()]
        mime = QMimeData()
        mime.setData(TRIAL_IDS_MIME, "\n".join(ids).encode())
        mime.setText("\n".join(ids))
        return mime
