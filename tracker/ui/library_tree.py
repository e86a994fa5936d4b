"""The left pane: the library by modality, disease, status, watch list and tag, with counts.

A click filters by one entry; Ctrl-click (Ctrl+Space from the keyboard) combines entries of
different sections, e.g. CAR-T and Multiple myeloma (see tree_criteria)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtWidgets import QAbstractItemView, QTreeWidget, QTreeWidgetItem, QWidget

from tracker.domain import Modality, RegistryStatus
from tracker.ui.formatting import STATE_LABELS
from tracker.ui.tree_criteria import parts, replaced, toggled
from tracker.ui.trial_model import TRIAL_IDS_MIME

if TYPE_CHECKING:
    from tracker.services.browse import Facets

FILTER_ROLE = Qt.ItemDataRole.UserRole + 1
_COMBINE = Qt.KeyboardModifier.ControlModifier  # Cmd on macOS: Qt maps it to Control
COMBINE_HINT = ("Click to filter. Ctrl-click (Ctrl+Space) adds an entry of another section, "
                "e.g. CAR-T and Multiple myeloma, or takes a chosen one out.")


class LibraryTree(QTreeWidget):
    """Clicking an entry emits `filter_chosen` with a dict of TrialQuery fields; Ctrl-click
    emits the combination of the chosen entries (one per section)."""

    filter_chosen = Signal(dict)
    trials_dropped = Signal(str, list)  # watch list name, trial ids
    menu_requested = Signal(object, object)  # criteria dict (or None for a section), global pos

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderHidden(True)
        self.setColumnCount(1)
        self.setIndentation(14)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setToolTip(COMBINE_HINT)
        self.itemClicked.connect(self._on_item_clicked)
        self._quiet = False  # rebuilding, reselecting, Ctrl+arrows: the current item moves
        self.currentItemChanged.connect(self._on_current_item_changed)
        self._current: dict = {}
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.customContextMenuRequested.connect(self._on_context_menu_requested)

    def set_facets(self, facets: Facets) -> None:
        """Rebuild every branch from fresh counts; one method per branch, in tree order.
        Another view (an inbox, say) adds its own `_add_*_branch` and a line here."""
        self._facets = facets
        self._quiet = True
        was_expanded = self._expansion()
        self.clear()
        self._add(None, f"All trials ({facets.total})", {})
        self._add_modality_branch(facets)
        self._add_disease_branch(facets)
        self._add_status_branch(facets)
        self._add_watchlist_branch(facets)
        self._add_tag_branch(facets)
        self._follow_current_list(facets)
        self._follow_current_tag(facets)
        self._restore_expansion(was_expanded)
        self._reselect()
        self._quiet = False

    def _items(self) -> list[QTreeWidgetItem]:
        found, stack = [], [self.topLevelItem(i) for i in range(self.topLevelItemCount())]
        while stack:
            item = stack.pop()
            found.append(item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        return found

    @staticmethod
    def _key(item: QTreeWidgetItem) -> str:
        criteria = item.data(0, FILTER_ROLE)
        return repr(sorted(criteria.items())) if criteria else f"section:{item.text(0)}"

    def _expansion(self) -> dict[str, bool]:
        """Which branches the user opened or closed, so a reload (Add, Sync) keeps them."""
        return {self._key(item): item.isExpanded() for item in self._items()
                if item.childCount()}

    def _restore_expansion(self, expanded: dict[str, bool]) -> None:
        for item in self._items():
            state = expanded.get(self._key(item))
            if state is not None and item.childCount():
                item.setExpanded(state)

    def _add_modality_branch(self, facets: Facets) -> None:
        self._section("Modality", [
            (f"{m.label} ({facets.modality.get(m.value, 0)})", {"modality": m.value})
            for m in Modality])

    def _add_disease_branch(self, facets: Facets) -> None:
        """The disease vocabulary as a tree; a group's count includes its members' trials.
        Codes with no trial are left out; codes outside the vocabulary come last."""
        section = self._section("Disease", [], expanded=True)
        self._add_disease_children(section, None, facets.disease, facets.disease_unspecified)
        from tracker.domain import diseases  # its table is built on import: after first paint

        known = {d.code for d in diseases.DISEASES}
        for code, count in sorted(facets.disease.items()):
            if code not in known:
                self._add(section, f"{code} ({count})", {"disease": code})

    def _add_disease_children(self, parent: QTreeWidgetItem, code: str | None,
                              counts: dict[str, int], unspecified: dict[str, int]) -> None:
        """A group's members, then "<group>, unspecified" for its trials filed at the group
        only, so the children add up to the group's count (a trial in two members counts in
        both)."""
        from tracker.domain import diseases

        for child in diseases.children(code):
            if counts.get(child):
                label = diseases.BY_CODE[child].name if code is None else child  # groups by name
                item = self._add(parent, f"{label} ({counts[child]})", {"disease": child})
                item.setToolTip(0, diseases.BY_CODE[child].name)
                self._add_disease_children(item, child, counts, unspecified)
                item.setExpanded(code is None)
        if code is not None and unspecified.get(code) and parent.childCount():
            group = diseases.BY_CODE[code]
            name = code if group.parent else group.name
            item = self._add(parent, f"{name}, unspecified ({unspecified[code]})",
                             {"disease": code, "disease_exact": True})
            item.setToolTip(0, f"Trials recorded as {diseases.BY_CODE[code].name} with no "
                               "subtype")

    def _add_status_branch(self, facets: Facets) -> None:
        self._section("Registry status", [
            (f"{_status_name(s)} ({n})", {"status": s or "NONE"})
            for s, n in facets.status.items()])

    def _add_watchlist_branch(self, facets: Facets) -> None:
        self._section("Watch lists", [
            (f"{w.name} ({len(w.trial_ids)})", {"watchlist_id": w.id, "watchlist_name": w.name})
            for w in facets.watchlists], expanded=True)

    def _add_tag_branch(self, facets: Facets) -> None:
        section = self._section("Tags", [(f"{name} ({n})", {"tag": name})
                                         for name, n in facets.tags.items()], expanded=True)
        if not facets.tags:
            hint = QTreeWidgetItem(section, ["No tags yet"])
            hint.setToolTip(0, "Tag a trial in its details (right-hand pane); tags show here.")
            hint.setFlags(Qt.ItemFlag.NoItemFlags)

    def _follow_current_tag(self, facets: Facets) -> None:
        """The shown tag was deleted or renamed away: back to all trials."""
        tag = self._current.get("tag")
        if tag is not None and tag.lower() not in {t.lower() for t in facets.tags}:
            self._current = replaced(self._current, {"tag": tag}, {})
            self.filter_chosen.emit(dict(self._current))

    def _follow_current_list(self, facets: Facets) -> None:
        """The shown list was renamed (keep it, new name) or deleted (back to all trials)."""
        list_id = self._current.get("watchlist_id")
        if list_id is None:
            return
        match = next((w for w in facets.watchlists if w.id == list_id), None)
        shown = {"watchlist_id": list_id, "watchlist_name": self._current.get("watchlist_name")}
        if match is None:
            self._current = replaced(self._current, shown, {})
            self.filter_chosen.emit(dict(self._current))
        elif match.name != shown["watchlist_name"]:
            self._current = replaced(self._current, shown,
                                     {"watchlist_id": match.id, "watchlist_name": match.name})

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

    def _add(self, parent: QTreeWidgetItem | None, label: str,
             criteria: dict) -> QTreeWidgetItem:
        item = QTreeWidgetItem([label])
        item.setToolTip(0, label)  # the whole label when the pane is narrow
        item.setData(0, FILTER_ROLE, criteria)
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def _reselect(self) -> None:
        """Select the entries the shown criteria are made of (quietly: no filter follows)."""
        wanted = parts(self._current) or [{}]
        chosen = [item for item in self._all_items() if item.data(0, FILTER_ROLE) in wanted]
        was, self._quiet = self._quiet, True
        try:
            self.clearSelection()
            for item in chosen:
                item.setSelected(True)
            if chosen:
                self.setCurrentItem(chosen[-1], 0, QItemSelectionModel.SelectionFlag.NoUpdate)
        finally:
            self._quiet = was

    def _all_items(self) -> list[QTreeWidgetItem]:
        items: list[QTreeWidgetItem] = []

        def walk(item: QTreeWidgetItem) -> None:
            items.append(item)
            for i in range(item.childCount()):
                walk(item.child(i))

        for top in range(self.topLevelItemCount()):
            walk(self.topLevelItem(top))
        return items

    def item_for(self, criteria: dict) -> QTreeWidgetItem | None:
        return next((i for i in self._all_items() if i.data(0, FILTER_ROLE) == criteria), None)

    def tag_count(self, name: str) -> int:
        facets = getattr(self, "_facets", None)
        return facets.tags.get(name, 0) if facets else 0

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

    def mousePressEvent(self, event) -> None:
        """Ctrl-click combines (or takes out) an entry; a Shift-click filters like a click
        (a range of entries across sections would mean nothing)."""
        item = self.itemAt(event.position().toPoint())
        criteria = item.data(0, FILTER_ROLE) if item is not None else None
        if criteria is not None and event.button() == Qt.MouseButton.LeftButton:
            if event.modifiers() & _COMBINE:
                self.combine(criteria)
                event.accept()
                return
            if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
                self.choose(criteria)
                event.accept()
                return
        super().mousePressEvent(event)

    def selectAll(self) -> None:
        """Ctrl+A selects nothing: every entry highlighted would not be the filter shown."""

    def mouseMoveEvent(self, event) -> None:
        """No drag-selection of a range: entries are chosen by click and Ctrl-click only."""
        if event.buttons() & Qt.MouseButton.LeftButton:
            event.accept()
            return
        super().mouseMoveEvent(event)

    def keyPressEvent(self, event) -> None:
        """Ctrl+Space combines the entry under the keyboard focus, as Ctrl-click does; Ctrl+arrows
        move that focus without filtering (plain arrows filter as they go)."""
        item = self.currentItem()
        combining = bool(event.modifiers() & _COMBINE)
        if (combining and event.key() == Qt.Key.Key_Space
                and item is not None and item.data(0, FILTER_ROLE) is not None):
            self.combine(item.data(0, FILTER_ROLE))
            event.accept()
            return
        was, self._quiet = self._quiet, self._quiet or combining
        try:
            super().keyPressEvent(event)
        finally:
            self._quiet = was

    def combine(self, criteria: dict) -> None:
        """Add `criteria` (one entry) to the shown ones, or take it out if it is shown."""
        self._current = toggled(self._current, criteria)
        self._reselect()
        self.filter_chosen.emit(dict(self._current))

    def _on_item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        criteria = item.data(0, FILTER_ROLE)
        if criteria is None:
            return
        self._current = dict(criteria)
        self._reselect()
        self.filter_chosen.emit(dict(criteria))

    def choose(self, criteria: dict, emit: bool = True) -> None:
        """Select the entry for `criteria` (e.g. {} for All trials), as a click would."""
        self._current = dict(criteria)
        self._reselect()
        if emit:
            self.filter_chosen.emit(dict(criteria))

    def _on_current_item_changed(self, current: QTreeWidgetItem | None, _previous) -> None:
        """Arrow keys in the tree filter like clicks do (rebuilding the tree, reselecting and
        Ctrl+arrows do not)."""
        if current is not None and not self._quiet and self.hasFocus():
            criteria = current.data(0, FILTER_ROLE)
            if criteria is not None and criteria != self._current:
                self._on_item_clicked(current, 0)


def _status_name(value: str) -> str:
    if not value:
        return "Not synced yet"
    if value.startswith("state:"):
        state = value.removeprefix("state:")
        return "Not synced yet" if state == "never_synced" else STATE_LABELS.get(state, state)
    try:
        return RegistryStatus(value).label
    except ValueError:
        return STATE_LABELS.get(value, value)
