"""The left pane: the library by modality, disease, status and watch list, with counts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from tracker.domain import Modality, RegistryStatus
from tracker.ui.formatting import STATE_LABELS
from tracker.ui.trial_model import TRIAL_IDS_MIME

if TYPE_CHECKING:
    from tracker.services.browse import Facets

FILTER_ROLE = Qt.ItemDataRole.UserRole + 1
TOP_DISEASES = 25


class LibraryTree(QTreeWidget):
    """Clicking an entry emits `filter_chosen` with a dict of TrialQuery fields."""

    filter_chosen = Signal(dict)
    trials_dropped = Signal(str, list)  # watch list name, trial ids
    menu_requested = Signal(object, object)  # criteria dict (or None for a section), global pos

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setMinimumWidth(200)
        self.itemClicked.connect(self._on_item_clicked)
        self._current: dict = {}
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu_requested)

    def set_facets(self, facets: Facets) -> None:
        self.clear()
        self._add(None, f"All trials ({facets.total})", {})
        self._section("Modality", [
            (f"{m.label} ({facets.modality.get(m.value, 0)})", {"modality": m.value})
            for m in Modality])
        diseases = sorted(facets.disease.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_DISEASES]
        self._section("Disease", [(f"{d} ({n})", {"disease": d}) for d, n in diseases])
        self._section("Registry status", [
            (f"{_status_name(s)} ({n})", {"status": s or "NONE"})
            for s, n in facets.status.items()])
        self._section("Watch lists", [
            (f"{w.name} ({len(w.trial_ids)})", {"watchlist_id": w.id, "watchlist_name": w.name})
            for w in facets.watchlists], expanded=True)
        self._follow_current_list(facets)
        self._reselect()

    def _follow_current_list(self, facets: Facets) -> None:
        """The shown list was renamed (keep it, new name) or deleted (back to all trials)."""
        list_id = self._current.get("watchlist_id")
        if list_id is None:
            return
        match = next((w for w in facets.watchlists if w.id == list_id), None)
        if match is None:
            self._current = {}
            self.filter_chosen.emit({})
        elif match.name != self._current.get("watchlist_name"):
            self._current = {"watchlist_id": match.id, "watchlist_name": match.name}

    def _section(self, title: str, entries: list[tuple[str, dict]], expanded: bool = True):
        section = QTreeWidgetItem(self, [title])
        section.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = section.font(0)
        font.setBold(True)
        section.setFont(0, font)
        for label, criteria in entries:
            self._add(section, label, criteria)
        section.setExpanded(expanded)
        return section

    def _add(self, parent: QTreeWidgetItem | None, label: str, criteria: dict) -> None:
        item = QTreeWidgetItem([label])
        item.setData(0, FILTER_ROLE, criteria)
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)

    def _reselect(self) -> None:
        for item in self._all_items():
            if item.data(0, FILTER_ROLE) == self._current:
                self.setCurrentItem(item)
                return

    def _all_items(self) -> list[QTreeWidgetItem]:
        items = []
        for top in range(self.topLevelItemCount()):
            item = self.topLevelItem(top)
            items.append(item)
            items += [item.child(i) for i in range(item.childCount())]
        return items

    def item_for(self, criteria: dict) -> QTreeWidgetItem | None:
        return next((i for i in self._all_items() if i.data(0, FILTER_ROLE) == criteria), None)

    @property
    def current_criteria(self) -> dict:
        return dict(self._current)

    def _on_context_menu_requested(self, position) -> None:
        item = self.itemAt(position)
        criteria = item.data(0, FILTER_ROLE) if item else None
        section = item.text(0) if item is not None and criteria is None else None
        self.menu_requested.emit(criteria if criteria is not None else {"section": section},
                                 self.viewport().mapToGlobal(position))

    # -- drag and drop of cards onto a watch list ----------------------------------------------
    def _list_at(self, position) -> str | None:
        item = self.itemAt(position)
        criteria = item.data(0, FILTER_ROLE) if item else None
        return criteria.get("watchlist_name") if criteria else None

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasFormat(TRIAL_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._list_at(event.position().toPoint()) and event.mimeData().hasFormat(
                TRIAL_IDS_MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event) -> None:
        name = self._list_at(event.position().toPoint())
        if not name or not event.mimeData().hasFormat(TRIAL_IDS_MIME):
            event.ignore()
            return
        ids = bytes(event.mimeData().data(TRIAL_IDS_MIME)).decode().split()
        event.acceptProposedAction()
        self.trials_dropped.emit(name, ids)

    def _on_item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        criteria = item.data(0, FILTER_ROLE)
        if criteria is None:
            return
        self._current = dict(criteria)
        self.filter_chosen.emit(dict(criteria))


def _status_name(value: str) -> str:
    if not value:
        return "Not synced yet"
    try:
        return RegistryStatus(value).label
    except ValueError:
        return STATE_LABELS.get(value, value)
