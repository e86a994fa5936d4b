"""The card list model: visible TrialCards in display order, with custom roles."""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractListModel, QMimeData, QModelIndex, QPersistentModelIndex, Qt

if TYPE_CHECKING:
    from tracker.store import TrialCard

TRIAL_IDS_MIME = "application/x-trial-tracker-ids"


class TrialRole(IntEnum):
    CARD = Qt.ItemDataRole.UserRole + 1
    TRIAL_ID = Qt.ItemDataRole.UserRole + 2
    STATUS = Qt.ItemDataRole.UserRole + 3
    HIGHLIGHTED = Qt.ItemDataRole.UserRole + 4
    TITLE_TEXT = Qt.ItemDataRole.UserRole + 5  # the card's title line (acronym — title)
    DISTINCTION = Qt.ItemDataRole.UserRole + 6  # what tells same-titled cards apart (sponsor…)


class TrialListModel(QAbstractListModel):
    """Fed by services with cards and an id order; it never fetches anything itself."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._cards: dict[str, TrialCard] = {}
        self._order: list[str] = []
        self._row_of: dict[str, int] | None = {}
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
        self.beginResetModel()
        self._cards = dict(cards)
        self._set_order(order)
        self.endResetModel()

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

    def show_only(self, order: list[str]) -> None:
        """Show these ids, in this order (a filter or search result)."""
        if order == self._order:
            return
        self.beginResetModel()
        self._set_order(order)
        self.endResetModel()

    def _set_order(self, order: list[str]) -> None:
        self._order = list(filter(self._cards.__contains__, order))
        self._row_of = None  # built on first use: most filter results never need it

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
        if self._row_of is None:
            self._row_of = {trial_id: row for row, trial_id in enumerate(self._order)}
        return self._row_of.get(trial_id)

    def card(self, trial_id: str) -> TrialCard | None:
        return self._cards.get(trial_id)

    def visible_ids(self) -> list[str]:
        return list(self._order)

    def all_cards(self) -> dict[str, TrialCard]:
        return self._cards

    # -- Qt overrides ----------------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._order)

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
            return f"{card.id}\n{card.subtitle or card.title}"
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
        base = super().flags(index)
        if index.isValid():
            return base | Qt.ItemFlag.ItemIsDragEnabled
        return base

    def mimeTypes(self) -> list[str]:
        return [TRIAL_IDS_MIME, "text/plain"]

    def mimeData(self, indexes) -> QMimeData:
        ids = [self._order[i.row()] for i in indexes if i.isValid()]
        mime = QMimeData()
        mime.setData(TRIAL_IDS_MIME, "\n".join(ids).encode())
        mime.setText("\n".join(ids))
        return mime
