"""Manage saved searches: list, add, edit, pause/resume, delete, check now.

Reached from the library tree ("Inbox" → "Saved searches…") and the inbox page. Parameters
are validated as they are saved (before any request); the problem is shown in the editor.
Database work runs on the task runner's database thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.domain import Phase, RegistryStatus
from tracker.domain.enums import PHASE_LABELS
from tracker.domain.searches import (
    OPEN_SCOPE_TEXT,
    GeoRadius,
    SavedSearch,
    SearchCriteria,
    StudyType,
    criteria_problem,
)

if TYPE_CHECKING:
    from tracker.context import AppContext
    from tracker.ui.tasks import TaskRunner

COLUMNS = ("Name", "State", "Last checked", "Asks for")


class SavedSearchesDialog(QDialog):
    def __init__(self, context: AppContext, runner: TaskRunner, inbox=None,
                 parent: QWidget | None = None, *, read_only: bool = False) -> None:
        super().__init__(parent)
        self.setWindowTitle("Saved searches")
        self.context, self.runner, self.inbox = context, runner, inbox
        self.searches: list[SavedSearch] = []
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setObjectName("savedSearches")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setVisible(False)
        self.message = QLabel("")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        self.buttons = {}
        for key, text, slot in (("new", "New…", self.new_search), ("edit", "Edit…", self.edit),
                                ("pause", "Pause / resume", self.toggle_paused),
                                ("delete", "Delete", self.delete),
                                ("check", "Check selected now", self.check_selected)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
            self.buttons[key] = button
        buttons.addStretch(1)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        if read_only:  # a read-only library: the searches can be looked at only
            for button in self.buttons.values():
                button.setEnabled(False)
            self.message.setText("Read-only library: saved searches cannot be changed or "
                                 "checked here.")
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.table.doubleClicked.connect(lambda _i: self.edit())
        self.resize(900, 460)
        self.refresh()

    def _repo(self):
        from tracker.store.discovery import SavedSearchRepository

        return SavedSearchRepository(self.context.library.database)

    def _run(self, name: str, fn, then=None) -> None:
        def done(result) -> None:
            if then:
                then(result)
            self.refresh()

        self.runner.database(name, fn, on_result=done, on_error=self._on_error)

    def refresh(self) -> None:
        self.runner.database("load saved searches", lambda: self._repo().all(),
                             on_result=self._show, on_error=self._on_error)

    def _show(self, searches: list[SavedSearch]) -> None:
        self.searches = searches
        self.table.setRowCount(len(searches))
        for row, search in enumerate(searches):
            values = (search.name, "paused" if search.paused else "active",
                      search.last_checked_on.isoformat() if search.last_checked_on else "never",
                      search.criteria.describe())
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.table.setItem(row, column, item)
        self.table.resizeColumnToContents(0)

    def selected(self) -> list[SavedSearch]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.searches[row] for row in rows if row < len(self.searches)]

    def select_name(self, name: str) -> None:
        for row, search in enumerate(self.searches):
            if search.name == name:
                self.table.selectRow(row)

    def new_search(self) -> None:
        editor = SearchEditor(None, self)
        if editor.exec() and editor.result_search:
            search = editor.result_search
            self._run("add saved search", lambda: self._repo().add(search),
                      lambda s: self.message.setText(f"Saved “{s.name}”."))

    def edit(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        editor = SearchEditor(chosen[0], self)
        if editor.exec() and editor.result_search:
            old, new = chosen[0].name, editor.result_search
            self._run("edit saved search", lambda: self._repo().update(old, new))

    def toggle_paused(self) -> None:
        for search in self.selected():
            name, paused = search.name, not search.paused
            self._run("pause saved search", lambda n=name, p=paused: self._repo().set_paused(n, p))

    def delete(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        names = [s.name for s in chosen]
        answer = QMessageBox.question(
            self, "Delete saved searches",
            f"Delete {', '.join(names)}? Inbox studies only these searches found leave the "
            "inbox.")
        if answer == QMessageBox.StandardButton.Yes:
            self.delete_names(names)

    def delete_names(self, names: list[str]) -> None:
        def remove() -> None:
            for name in names:
                self._repo().remove(name)

        self._run("delete saved searches", remove,
                  lambda _r: self.inbox.reload() if self.inbox else None)

    def check_selected(self) -> None:
        names = [s.name for s in self.selected()]
        if names and self.inbox is not None:
            handle = self.inbox.check(names)
            if handle is not None:
                handle.signals.finished.connect(self.refresh)

    def _on_error(self, error: Exception) -> None:
        from tracker.ui.controller import describe_error

        self.message.setText(f"⚠ {describe_error(error)}")


#: How the editor names a saved search's fields in a problem ("the Text field has …")
FIELD_NAMES = {"term": "Text field", "condition": "Condition field",
               "intervention": "Intervention field", "phases": "Phases", "statuses": "Statuses",
               "near": "Near field"}


class SearchEditor(QDialog):
    """The fields of one saved search; Save validates them and stays open on a problem."""

    def __init__(self, current: SavedSearch | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Edit saved search" if current else "New saved search")
        self.result_search: SavedSearch | None = None
        self._paused = current.paused if current else False
        criteria = current.criteria if current else None
        self.name_edit = QLineEdit(current.name if current else "")
        self.term_edit = QLineEdit(criteria.term or "" if criteria else "")
        self.term_edit.setPlaceholderText('e.g. BCMA AND ("CAR T" OR "chimeric antigen receptor")')
        self.condition_edit = QLineEdit(criteria.condition or "" if criteria else "")
        self.intervention_edit = QLineEdit(criteria.intervention or "" if criteria else "")
        self.phase_boxes = {p: QCheckBox(PHASE_LABELS[p]) for p in Phase}
        for phase, box in self.phase_boxes.items():
            box.setChecked(bool(criteria) and phase in criteria.phases)
        self.status_list = QListWidget()
        self.status_list.setMaximumHeight(110)
        for status in RegistryStatus:
            item = QListWidgetItem(status.label)
            item.setData(Qt.ItemDataRole.UserRole, status.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = bool(criteria) and status in criteria.statuses
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            self.status_list.addItem(item)
        self.type_box = QComboBox()
        self.type_box.addItem("Any study type", None)
        for kind in StudyType:
            self.type_box.addItem(kind.value.replace("_", " ").capitalize(), kind.value)
        if criteria and criteria.study_type:
            self.type_box.setCurrentIndex(self.type_box.findData(criteria.study_type.value))
        near = criteria.near if criteria else None
        self.place_edit = QLineEdit(f"{near.lat:g},{near.lon:g}" if near else "")
        self.place_edit.setPlaceholderText("a city (e.g. Boston) or latitude,longitude")
        self.radius_box = QDoubleSpinBox()
        self.radius_box.setRange(1, 5000)
        self.radius_box.setSuffix(" km")
        self.radius_box.setValue(near.km if near else 100)
        self.problem = QLabel("")
        self.problem.setObjectName("searchProblem")
        self.problem.setWordWrap(True)
        self._layout()

    def _layout(self) -> None:
        phases = QGridLayout()
        for n, box in enumerate(self.phase_boxes.values()):
            phases.addWidget(box, n // 3, n % 3)
        place = QHBoxLayout()
        place.addWidget(self.place_edit, 1)
        place.addWidget(QLabel("within"))
        place.addWidget(self.radius_box)
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Text", self.term_edit)
        form.addRow("Condition", self.condition_edit)
        form.addRow("Intervention", self.intervention_edit)
        form.addRow("Phases", phases)
        form.addRow("Statuses", self.status_list)
        form.addRow("", self._status_buttons())
        scope = QLabel(f"None ticked: {OPEN_SCOPE_TEXT}.")
        scope.setObjectName("statusScope")
        scope.setWordWrap(True)
        form.addRow("", scope)
        form.addRow("Study type", self.type_box)
        form.addRow("Near", place)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)

    def _status_buttons(self) -> QWidget:
        """"All statuses" ticks every status (a search that follows completed and terminated
        studies too); "Open studies only" unticks them all (the rule for none ticked)."""
        row = QWidget()
        layout = QHBoxLayout(row)
        layout.setContentsMargins(0, 0, 0, 0)
        self.all_statuses_button = QPushButton("All statuses")
        self.open_only_button = QPushButton("Open studies only")
        self.all_statuses_button.clicked.connect(lambda: self._tick_statuses(True))
        self.open_only_button.clicked.connect(lambda: self._tick_statuses(False))
        layout.addWidget(self.all_statuses_button)
        layout.addWidget(self.open_only_button)
        layout.addStretch(1)
        return row

    def _tick_statuses(self, ticked: bool) -> None:
        state = Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        for row in range(self.status_list.count()):
            self.status_list.item(row).setCheckState(state)

    def save(self) -> None:
        from pydantic import ValidationError

        try:
            self.result_search = self.search()
        except ValidationError as error:
            problem = criteria_problem(error, FIELD_NAMES)
            self.problem.setText(f"⚠ {problem[:1].upper()}{problem[1:]}")
            return
        except ValueError as error:  # an unknown place
            self.problem.setText(f"⚠ Near: {error}")
            return
        self.accept()

    def search(self) -> SavedSearch:
        statuses = [self.status_list.item(i).data(Qt.ItemDataRole.UserRole)
                    for i in range(self.status_list.count())
                    if self.status_list.item(i).checkState() == Qt.CheckState.Checked]
        criteria = SearchCriteria(
            term=self.term_edit.text(), condition=self.condition_edit.text(),
            intervention=self.intervention_edit.text(),
            phases=tuple(p for p, box in self.phase_boxes.items() if box.isChecked()),
            statuses=tuple(statuses), study_type=self.type_box.currentData(),
            near=self._near())
        return SavedSearch(name=self.name_edit.text(), criteria=criteria, paused=self._paused)

    def _near(self) -> GeoRadius | None:
        from tracker.domain.geo import resolve_place

        text = self.place_edit.text().strip()
        if not text:
            return None
        place = resolve_place(text)  # UnknownPlaceError (a ValueError) says what to type
        return GeoRadius(lat=place.lat, lon=place.lon, km=self.radius_box.value())
