"""The left pane: the library by modality, disease, status and watch list, with counts."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem, QWidget

from tracker.domain import Modality, RegistryStatus
from tracker.services.browse import Facets
from tracker.ui.formatting import STATE_LABELS

FILTER_ROLE = Qt.ItemDataRole.UserRole + 1
TOP_DISEASES = 25


class LibraryTree(QTreeWidget):
    """Clicking an entry emits `filter_chosen` with a dict of TrialQuery fields."""

    filter_chosen = Signal(dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setMinimumWidth(200)
        self.itemClicked.connect(self._on_item_clicked)
        self._current: dict = {}

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
            (f"{w.name} ({w.count})", {"watchlist_id": w.id, "watchlist_name": w.name})
            for w in facets.watchlists], expanded=True)
        self._reselect()

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
