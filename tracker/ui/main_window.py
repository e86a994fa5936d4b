"""The main window: library tree, card list / timeline, detail pane, toolbar and status bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QMenu,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from tracker import APP_NAME
from tracker.domain.enums import PHASE_LABELS, Phase
from tracker.store.query import SortKey
from tracker.ui.card_delegate import TrialCardDelegate
from tracker.ui.detail_pane import DetailPane
from tracker.ui.job_bar import JobBar
from tracker.ui.library_tree import LibraryTree
from tracker.ui.resources import icon
from tracker.ui.tasks import TaskRunner
from tracker.ui.timeline_view import TimelineView
from tracker.ui.trial_model import TrialListModel, TrialRole

if TYPE_CHECKING:
    from collections.abc import Callable

    from tracker.context import AppContext

SEARCH_DELAY_MS = 250
SORT_LABELS = {SortKey.TITLE: "Title", SortKey.LAST_STATUS_CHANGE: "Last status change",
               SortKey.PRIMARY_COMPLETION: "Primary completion", SortKey.LAST_UPDATE: "Last update"}


class MainWindow(QMainWindow):
    """Built in two steps so the window paints before the library is opened: the shell
    (widgets, actions, saved geometry) first, then `attach(context)` wires the data in."""

    def __init__(self, context: AppContext | None = None, runner: TaskRunner | None = None,
                 *, data_dir: Path | None = None) -> None:
        super().__init__()
        self.runner = runner or TaskRunner(self)
        self.model = TrialListModel(self)
        self._watchlists: list = []
        self._timeline_stale = True
        self.setWindowIcon(icon("app"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._build_ui()
        self._build_actions()
        self._use_data_dir(context.data_dir if context else data_dir)
        if context is not None:
            self.attach(context)

    @classmethod
    def open_deferred(cls, data_dir: Path, make_context: Callable[[], AppContext],
                      on_failure: Callable[[Exception], None]) -> MainWindow:
        """Show the window at once; open the library on the database thread, then attach."""
        window = cls(data_dir=data_dir)
        window.show()
        window.runner.database("open library", make_context, on_result=window.attach,
                               on_error=on_failure)
        return window

    def _use_data_dir(self, data_dir: Path | None) -> None:
        self.settings = None
        if data_dir is not None:
            self.setWindowTitle(f"{APP_NAME} — {data_dir}")
            self.settings = QSettings(str(Path(data_dir) / "window.ini"),
                                      QSettings.Format.IniFormat)
            self._restore_state()

    def attach(self, context: AppContext) -> None:
        """Wire the library in: controller, watch-list actions, signals, first load."""
        from tracker.ui.controller import LibraryController
        from tracker.ui.watchlist_actions import WatchListActions

        self.context = context
        if self.settings is None:
            self._use_data_dir(context.data_dir)
        self.controller = LibraryController(context, self.runner, self.model, self)
        self.list_actions = WatchListActions(self, self.controller)
        self._connect()
        self._install_inbox()
        for action in self._data_actions:
            action.setEnabled(True)
        self.search_box.setEnabled(True)
        self.controller.reload()
        if context.preferences.sync_on_start:
            QTimer.singleShot(500, lambda: self.controller.sync(None))

    def _install_inbox(self) -> None:
        """Discovery: the Inbox entry in the tree, its page and the check actions."""
        from tracker.ui.inbox_controller import InboxController

        self.inbox = InboxController.install(self)

    # -- building ----------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.tree = LibraryTree()
        self.tree.setObjectName("library")
        self.cards = QListView()
        self.cards.setObjectName("cards")
        self.cards.setModel(self.model)
        self.cards.setItemDelegate(TrialCardDelegate(self.cards))
        self.cards.setUniformItemSizes(True)
        # Batched layout: a 100,000-card result is laid out in slices between events, so
        # the first screen paints at once instead of after laying out every row.
        self.cards.setLayoutMode(QListView.LayoutMode.Batched)
        self.cards.setBatchSize(200)
        self.cards.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.cards.setDragEnabled(True)
        self.cards.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.cards.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cards.setResizeMode(QListView.ResizeMode.Adjust)
        self.cards.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.timeline = TimelineView()
        self.tabs = QTabWidget()
        self.tabs.addTab(self._cards_page(), "Cards")
        self.tabs.addTab(self.timeline, "Timeline")
        self.detail = DetailPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (self.tree, self.tabs, self.detail):
            self.splitter.addWidget(widget)
        self.splitter.setSizes([220, 560, 520])
        self.setCentralWidget(self.splitter)
        self.job_bar = JobBar(self.statusBar())
        self.resize(1400, 860)

    def _cards_page(self) -> QWidget:
        self.phase_box = QComboBox()
        self.phase_box.addItem("Any phase", None)
        for phase in Phase:
            self.phase_box.addItem(PHASE_LABELS[phase], phase.value)
        self.changed_box = QCheckBox("Changed in last sync")
        self.sort_box = QComboBox()
        for key, label in SORT_LABELS.items():
            self.sort_box.addItem(f"Sort: {label}", key.value)
        self.count_label = QLabel("")
        options = QHBoxLayout()
        for widget in (self.phase_box, self.changed_box, self.sort_box):
            options.addWidget(widget)
        options.addStretch(1)
        options.addWidget(self.count_label)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(options)
        layout.addWidget(self.cards, 1)
        return page

    def _build_actions(self) -> None:
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(toolbar)
        self.sync_action = self._action("Sync", "sync", "Ctrl+R", self._on_sync_all)
        self.sync_selected_action = self._action("Sync selected", None, "Ctrl+Shift+R",
                                                 self._on_sync_selected)
        self.sync_shown_action = self._action("Sync shown trials", None, None, self._on_sync_shown)
        sync_menu = QMenu(self)
        sync_menu.addActions([self.sync_action, self.sync_selected_action, self.sync_shown_action])
        self.sync_action.setMenu(sync_menu)
        self.add_action = self._action("Add trial", "add", "Ctrl+N", self._on_add_trial)
        self.prefs_action = self._action("Preferences", "preferences",
                                         QKeySequence.StandardKey.Preferences, self._on_preferences)
        self.copy_action = self._action("Copy NCT id", None, QKeySequence.StandardKey.Copy,
                                        self._on_copy_ids)
        self.export_action = self._action("Export", "export", "Ctrl+E",
                                          lambda: self.list_actions.export(
                                              self.tree.current_criteria.get("watchlist_name")))
        self.import_action = self._action("Import", "import", "Ctrl+I",
                                          lambda: self.list_actions.import_file())
        self.new_list_action = self._action("New watch list…", None, "Ctrl+Shift+N",
                                            lambda: self.list_actions.new_list())
        self.copy_citation_action = self._action("Copy citation (AMA)", None, "Ctrl+Shift+C",
                                                 lambda: self._on_copy_citation("ama"))
        self.copy_nlm_action = self._action("Copy citation (NLM/Vancouver)", None, None,
                                            lambda: self._on_copy_citation("nlm"))
        self.search_action = self._action("Search", None, QKeySequence.StandardKey.Find,
                                          lambda: self.search_box.setFocus())
        for action in (self.sync_action, self.add_action, self.export_action,
                       self.import_action, self.prefs_action):
            toolbar.addAction(action)
        self.addActions([self.sync_selected_action, self.copy_citation_action, self.search_action,
                         self.new_list_action])
        # Copy belongs to the card list: in the notes editor Ctrl+C copies text as usual.
        self.copy_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.cards.addAction(self.copy_action)
        self._data_actions = [a for a in self.findChildren(QAction) if a.text()]
        for action in self._data_actions:
            action.setEnabled(False)  # until the library is attached
        toolbar.addSeparator()
        self.search_box = QLineEdit()
        self.search_box.setEnabled(False)
        self.search_box.setObjectName("search")
        self.search_box.setPlaceholderText("Search titles, acronyms, drugs, diseases, notes…")
        self.search_box.setClearButtonEnabled(True)
        toolbar.addWidget(self.search_box)

    def _action(self, text: str, icon_name: str | None, shortcut, slot) -> QAction:
        action = QAction(icon(icon_name) if icon_name else icon("none"), text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        return action

    def _connect(self) -> None:
        c = self.controller
        self.search_box.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(lambda: c.set_search(self.search_box.text()))
        self.tree.filter_chosen.connect(c.set_filter)
        for signal in (self.phase_box.currentIndexChanged, self.changed_box.toggled,
                       self.sort_box.currentIndexChanged):
            signal.connect(self._on_options_changed)
        self.cards.selectionModel().currentChanged.connect(self._on_current_card_changed)
        self.model.modelReset.connect(self._on_model_reset)
        self.tabs.currentChanged.connect(self._refresh_timeline)
        self.cards.customContextMenuRequested.connect(self._on_cards_context_menu)
        self.detail.notes.save_requested.connect(c.save_note)
        self.detail.tags_edited.connect(c.set_tags)
        c.facets_loaded.connect(self._on_facets_loaded)
        self.tree.trials_dropped.connect(self.list_actions.add_to)
        self.tree.menu_requested.connect(self.list_actions.tree_menu)
        c.filter_applied.connect(self._on_filter_applied)
        c.details_loaded.connect(self.detail.show_details)
        c.note_saved.connect(self.detail.notes.note_saved)
        c.error_raised.connect(self.job_bar.show_error)
        c.job_started.connect(self.job_bar.start)
        c.job_progressed.connect(self.job_bar.progress)
        c.job_finished.connect(self.job_bar.finish)
        c.job_ended.connect(self.job_bar.stop)
        c.trials_rekeyed.connect(self.detail.notes.rename_trial)
        self.job_bar.cancel_requested.connect(c.cancel_job)

    # -- slots -------------------------------------------------------------------------------
    def _on_facets_loaded(self, facets) -> None:
        self._watchlists = list(facets.watchlists)
        self.tree.set_facets(facets)

    def watchlists(self) -> list:
        return list(self._watchlists)

    def _on_options_changed(self, *_args) -> None:
        self.controller.set_options(phase=self.phase_box.currentData(),
                                    changed_only=self.changed_box.isChecked(),
                                    sort=SortKey(self.sort_box.currentData()))

    def _on_filter_applied(self, shown: int, total: int) -> None:
        self.count_label.setText(f"{shown} of {total} trials")
        self._timeline_stale = True
        self._refresh_timeline()

    def _refresh_timeline(self, *_args) -> None:
        """The timeline is drawn from the shown cards, only while its tab is visible."""
        if self._timeline_stale and self.tabs.currentWidget() is self.timeline:
            cards = self.model.all_cards()
            self.timeline.set_cards([cards[i] for i in self.model.visible_ids()])
            self._timeline_stale = False

    def _on_current_card_changed(self, current, _previous) -> None:
        trial_id = current.data(TrialRole.TRIAL_ID) if current.isValid() else None
        if trial_id is None:
            return
        self.controller.select(trial_id)

    def _on_model_reset(self) -> None:
        """A new filter result: keep the selected trial selected when it is still shown."""
        row = self.model.row_of(self.controller.selected_id or "")
        if row is not None:
            self.cards.setCurrentIndex(self.model.index(row))

    def selected_ids(self) -> list[str]:
        rows = sorted(self.cards.selectionModel().selectedRows(), key=lambda i: i.row())
        return [index.data(TrialRole.TRIAL_ID) for index in rows]

    def _on_sync_all(self) -> None:
        self.controller.sync(None)

    def _on_sync_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.controller.sync(ids)

    def _on_sync_shown(self) -> None:
        self.controller.sync(self.model.visible_ids())

    def _on_add_trial(self) -> None:
        from tracker.ui.dialogs.add_trial import AddTrialDialog

        dialog = AddTrialDialog(self.context, self.runner, self)
        if dialog.exec() and dialog.chosen_ids:
            self.controller.add_trials(dialog.chosen_ids)

    def _on_preferences(self) -> None:
        from tracker.ui.dialogs.preferences import PreferencesDialog

        PreferencesDialog(self.context, self).exec()

    def _on_copy_ids(self) -> None:
        ids = self.selected_ids()
        if ids:
            QGuiApplication.clipboard().setText("\n".join(ids))

    def _on_copy_citation(self, style: str = "ama") -> None:
        """Copy the selected trials' registry citations (AMA or NLM/Vancouver)."""
        from tracker.services.citations import ama_citation, nlm_citation

        cite = nlm_citation if style == "nlm" else ama_citation
        ids = self.selected_ids()
        if ids:
            library = self.context.library
            self.runner.database(
                "cite", lambda: "\n".join(cite(library.trials.get(i)) for i in ids),
                on_result=QGuiApplication.clipboard().setText)

    def _on_cards_context_menu(self, position) -> None:
        menu = QMenu(self)
        menu.addActions([self.copy_action, self.copy_citation_action, self.copy_nlm_action,
                         self.sync_selected_action])
        menu.addSeparator()
        self.list_actions.card_menu_section(menu, self.selected_ids())
        menu.exec(self.cards.viewport().mapToGlobal(position))

    # -- state -------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self.settings.value("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the note being typed and the layout, cancel long jobs, and go at once: the
        database work is waited for (it is short); a request in flight is waited for only
        briefly here (run_app waits for it out of sight before closing the library)."""
        self.detail.notes.flush()
        if self.settings is not None:
            self.settings.setValue("geometry", self.saveGeometry())
            self.settings.setValue("splitter", self.splitter.saveState())
            self.settings.sync()
        self.hide()
        self.runner.shutdown(network_wait_ms=2000)
        super().closeEvent(event)
