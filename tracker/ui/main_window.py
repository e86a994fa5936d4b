"""The main window: library tree, card list / timeline, detail pane, menus, toolbar, status bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker import APP_NAME
from tracker.domain.enums import PHASE_LABELS, Phase
from tracker.store.query import SortKey, TrialQuery
from tracker.ui.card_delegate import TrialCardDelegate
from tracker.ui.changed_since import ChangedSinceBox
from tracker.ui.near_filter import NearHomeBox
from tracker.ui.detail_pane import DetailPane
from tracker.ui.job_bar import JobBar
from tracker.ui.library_tree import LibraryTree
from tracker.ui.notices import EmptyState, SyncBanner
from tracker.ui.resources import icon
from tracker.ui.tasks import TaskRunner
from tracker.ui.timeline_view import TimelineView
from tracker.ui.trial_model import TrialListModel, TrialRole
from tracker.ui.window_commands import WindowCommands
from tracker.ui.window_menus import build_menu_bar, create_actions

if TYPE_CHECKING:
    from collections.abc import Callable

    from tracker.context import AppContext

SEARCH_DELAY_MS = 150  # typing pause: a 250 ms key-to-list budget leaves ~100 ms for the work
SORT_LABELS = {SortKey.TITLE: "Title", SortKey.LAST_STATUS_CHANGE: "Last status change",
               SortKey.PRIMARY_COMPLETION: "Primary completion", SortKey.LAST_UPDATE: "Last update"}
# Minimum pane widths: the three panes fit side by side in a 1024-px wide window.
TREE_MIN_WIDTH, CARDS_MIN_WIDTH, DETAIL_MIN_WIDTH = 160, 400, 300


class MainWindow(WindowCommands, QMainWindow):
    """Built in two steps so the window paints before the library is opened: the shell
    (widgets, actions, saved geometry) first, then `attach(context)` wires the data in."""

    def __init__(self, context: AppContext | None = None, runner: TaskRunner | None = None,
                 *, data_dir: Path | None = None) -> None:
        super().__init__()
        self.runner = runner or TaskRunner(self)
        self.model = TrialListModel(self)
        self._watchlists: list = []
        self._timeline_stale = True
        self.data_dir: Path | None = None
        self.setWindowIcon(icon("app"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._build_ui()
        self._build_actions()
        self._set_tab_order()
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
            self.data_dir = Path(data_dir)
            self.setWindowTitle(f"{APP_NAME} — {data_dir}")
            self.settings = QSettings(str(Path(data_dir) / "window.ini"),
                                      QSettings.Format.IniFormat)
            self._restore_state()

    def attach(self, context: AppContext) -> None:
        """Wire the library in: controller, watch-list and tag actions, signals, first load."""
        from tracker.ui.controller import LibraryController
        from tracker.ui.tag_actions import TagActions
        from tracker.ui.watchlist_actions import WatchListActions

        self.context = context
        self.near_box.update_home(context.preferences.home_location)
        self.detail.set_home(context.preferences.home_location)
        if self.settings is None:
            self._use_data_dir(context.data_dir)
        self.controller = LibraryController(context, self.runner, self.model, self)
        self.list_actions = WatchListActions(self, self.controller)
        self.tag_actions = TagActions(self, self.controller)
        self._connect()
        self._install_inbox()
        for action in self._data_actions:
            action.setEnabled(True)
        self.remove_from_list_action.setEnabled(False)  # until a watch list is shown
        self.search_box.setEnabled(True)
        if context.library.read_only:
            self._use_read_only()
        self.controller.reload()
        if context.preferences.sync_on_start:
            QTimer.singleShot(500, lambda: self.controller.sync(None, asked=False))

    def _install_inbox(self) -> None:
        """Discovery: the Inbox entry in the tree, its page and the check actions."""
        from tracker.ui.inbox_controller import InboxController

        self.inbox = InboxController.install(self)

    def _use_read_only(self) -> None:
        """A library on a read-only share or a backup: browse, show and export; no edits."""
        self.setWindowTitle(f"{self.windowTitle()} (read-only)")
        for action in self.edit_actions():
            action.setEnabled(False)
        self.detail.set_read_only(True)
        self.job_bar.label.setText("Read-only library: browse, show and export; edits are off")
        self.tree.setAcceptDrops(False)
        self.cards.setDragEnabled(False)

    def edit_actions(self) -> list[QAction]:
        """The actions that change the library (disabled when it is read-only)."""
        return [self.sync_action, self.sync_selected_action, self.sync_shown_action,
                self.add_action, self.remove_trial_action, self.remove_from_list_action,
                self.add_to_list_action, self.import_action, self.new_list_action]

    # -- building ----------------------------------------------------------------------------
    def _build_ui(self) -> None:
        self.tree = LibraryTree()
        self.tree.setObjectName("library")
        self.cards = QListView()
        self.cards.setObjectName("cards")
        self.cards.setModel(self.model)
        self.cards.setItemDelegate(TrialCardDelegate(self.cards))
        self.cards.setUniformItemSizes(True)
        # One pass: with uniform sizes and a C++ row count (TrialListModel) Qt lays out
        # 100,000 cards in ~10 ms. Batched layout spread that over hundreds of event-loop
        # turns, each repainting the list, and a search typed meanwhile waited behind them.
        self.cards.setLayoutMode(QListView.LayoutMode.SinglePass)
        self.cards.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.cards.setDragEnabled(True)
        self.cards.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.cards.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cards.setResizeMode(QListView.ResizeMode.Adjust)
        self.cards.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.timeline = TimelineView()
        self.tabs = QTabWidget()
        self.cards_page = self._cards_page()
        self.tabs.addTab(self.cards_page, "Cards")
        self.tabs.addTab(self.timeline, "Timeline")
        self.tabs.setCornerWidget(self.count_label, Qt.Corner.TopRightCorner)
        self.detail = DetailPane()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("panes")
        for widget, width in ((self.tree, TREE_MIN_WIDTH), (self.tabs, CARDS_MIN_WIDTH),
                              (self.detail, DETAIL_MIN_WIDTH)):
            widget.setMinimumWidth(width)
            self.splitter.addWidget(widget)
        self.splitter.setChildrenCollapsible(False)
        # Growing or shrinking the window resizes the cards most, the detail less, the tree
        # not at all (it keeps its width until it reaches its minimum).
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setSizes([200, 600, 520])
        self.setCentralWidget(self.splitter)
        self.job_bar = JobBar(self.statusBar())
        self._name_widgets()
        self.resize(1400, 860)

    def _cards_page(self) -> QWidget:
        self.phase_box = QComboBox()
        self.phase_box.addItem("Any phase", None)
        for phase in Phase:
            self.phase_box.addItem(PHASE_LABELS[phase], phase.value)
        self.changed_box = ChangedSinceBox()
        self.changed_box.set_meeting(None, None)
        self.near_box = NearHomeBox()
        self.near_box.update_home("")  # until a library is attached
        self.sort_box = QComboBox()
        for key, label in SORT_LABELS.items():
            self.sort_box.addItem(f"Sort: {label}", key.value)
        self.count_label = QLabel("")
        self.count_label.setContentsMargins(0, 0, 6, 0)
        self.sort_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.sort_box.setMinimumContentsLength(14)
        self.changed_box.setToolTip("Only trials with a registry change since the last sync, a "
                                    "date, or the shown watch list's meeting")
        options = QHBoxLayout()
        for widget in (self.phase_box, self.changed_box, self.near_box, self.sort_box):
            options.addWidget(widget)
        options.addStretch(1)
        self.banner = SyncBanner()
        self.empty_state = EmptyState()
        self.card_stack = QStackedWidget()
        self.card_stack.addWidget(self.cards)
        self.card_stack.addWidget(self.empty_state)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(options)
        layout.addWidget(self.banner)
        layout.addWidget(self.card_stack, 1)
        return page

    def _name_widgets(self) -> None:
        """Names a screen reader says, and the Tab order tree → cards → detail."""
        for widget, name in ((self.tree, "Library: filters, watch lists and tags"),
                             (self.cards, "Trial cards"), (self.timeline, "Timeline"),
                             (self.tabs, "Views"), (self.detail, "Trial details"),
                             (self.phase_box, "Phase filter"), (self.sort_box, "Sort order"),
                             (self.changed_box, "Changed since"),
                             (self.near_box, "Recruiting near home"),
                             (self.count_label, "Number of trials shown")):
            widget.setAccessibleName(name)
        self.tree.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.cards.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.cards.installEventFilter(self)

    def _set_tab_order(self) -> None:
        """Tab: search, then the filters that narrow it, then tree → cards → detail."""
        chain = (self.search_box, self.phase_box, self.changed_box.combo, self.near_box,
                 self.sort_box, self.tree, self.cards, self.detail.browser)
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def eventFilter(self, watched, event) -> bool:
        """Tab onto the cards with none current: the first card becomes current and
        selected, so the keyboard user sees where they are."""
        if (watched is self.cards and event.type() == QEvent.Type.FocusIn
                and not self.cards.currentIndex().isValid() and self.model.rowCount()
                and not self.cards.selectionModel().hasSelection()):
            self.cards.setCurrentIndex(self.model.index(0))
        return super().eventFilter(watched, event)

    def _build_actions(self) -> None:
        create_actions(self)
        build_menu_bar(self)
        self._view_actions = [(self.cards_view_action, self.cards_page),
                              (self.timeline_view_action, self.timeline)]
        toolbar = QToolBar("Main")
        toolbar.setObjectName("mainToolbar")
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.setIconSize(QSize(20, 20))
        self.addToolBar(toolbar)
        self.toolbar = toolbar
        for action in (self.sync_action, self.add_action, self.export_action,
                       self.import_action, self.prefs_action):
            toolbar.addAction(action)
        sync_button = toolbar.widgetForAction(self.sync_action)
        sync_button.setMenu(self.sync_menu)
        sync_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        always = (self.quit_action, self.about_action, self.shortcuts_action, self.detail_action,
                  self.cards_view_action, self.timeline_view_action, self.data_folder_action)
        self._data_actions = [a for a in self.findChildren(QAction)
                              if a.text() and a not in always]
        for action in self._data_actions:
            action.setEnabled(False)  # until the library is attached
        toolbar.addSeparator()
        self.search_box = QLineEdit()
        self.search_box.setEnabled(False)
        self.search_box.setObjectName("search")
        self.search_box.setAccessibleName("Search trials")
        self.search_box.setPlaceholderText("Search titles, acronyms, drugs, diseases, notes…")
        self.search_box.setClearButtonEnabled(True)
        toolbar.addWidget(self.search_box)

    def add_view_action(self, action: QAction, widget: QWidget, label: str) -> None:
        """Another view (the discovery inbox): a tab, and a View-menu entry in the group."""
        self.tabs.addTab(widget, label)
        action.setCheckable(True)
        action.triggered.connect(lambda: self.show_view(widget))
        self.view_group.addAction(action)
        self.view_menu.insertAction(self.view_menu_end, action)
        self._view_actions.append((action, widget))

    def _connect(self) -> None:
        c = self.controller
        self.search_box.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(lambda: c.set_search(self.search_box.text()))
        self.tree.filter_chosen.connect(c.set_filter)
        self.tree.filter_chosen.connect(self._on_tree_filter_chosen)
        for signal in (self.phase_box.currentIndexChanged, self.changed_box.changed,
                       self.near_box.currentIndexChanged,
                       self.sort_box.currentIndexChanged):
            signal.connect(self._on_options_changed)
        self.cards.selectionModel().currentChanged.connect(self._on_current_card_changed)
        self.model.modelReset.connect(self._on_model_reset)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.cards.customContextMenuRequested.connect(self._on_cards_context_menu)
        self.detail.notes.save_requested.connect(c.save_note)
        self.detail.tags_edited.connect(c.set_tags)
        c.facets_loaded.connect(self._on_facets_loaded)
        self.tree.trials_dropped.connect(self.list_actions.add_to)
        self.tree.menu_requested.connect(self._on_tree_menu)
        self.banner.sync_requested.connect(self._on_sync_all)
        self.empty_state.clear_requested.connect(self.clear_search_and_filters)
        c.filter_applied.connect(self._on_filter_applied)
        c.details_loaded.connect(self.detail.show_details)
        c.note_saved.connect(self.detail.notes.note_saved)
        c.note_save_failed.connect(self.detail.notes.save_failed)
        c.error_raised.connect(self.job_bar.show_error)
        c.action_failed.connect(self.show_failure)
        c.add_interrupted.connect(self.offer_add_again)
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
        self.banner.update_for(facets.never_synced, facets.last_sync_at)

    def _on_tree_filter_chosen(self, criteria: dict) -> None:
        """The "changed since the meeting" choice follows the list shown."""
        shown = next((w for w in self._watchlists if w.id == criteria.get("watchlist_id")), None)
        self.changed_box.set_meeting(shown.name if shown else None,
                                     shown.meeting_date if shown else None)

    def watchlists(self) -> list:
        return list(self._watchlists)

    def _on_tree_menu(self, criteria: dict, position) -> None:
        if "tag" in criteria or criteria.get("section") == "Tags":
            self.tag_actions.tree_menu(criteria, position)
        else:
            self.list_actions.tree_menu(criteria, position)

    def _on_options_changed(self, *_args) -> None:
        self.controller.set_options(phase=self.phase_box.currentData(),
                                    changed_since=self.changed_box.value(),
                                    near=self.near_box.near(
                                        self.context.preferences.home_location),
                                    sort=SortKey(self.sort_box.currentData()))

    def _on_filter_applied(self, shown: int, total: int) -> None:
        self.count_label.setText(f"{shown} of {total} trials")
        self.remove_from_list_action.setEnabled(  # only a shown watch list has trials to remove
            not self.context.library.read_only
            and bool(self.tree.current_criteria.get("watchlist_name")))
        if shown == 0:
            self.empty_state.describe(self.controller.query.search, self._filter_names(),
                                      self._empty_watchlist())
        self.card_stack.setCurrentWidget(self.empty_state if shown == 0 else self.cards)
        self._timeline_stale = True
        self._refresh_timeline()

    def _empty_watchlist(self) -> str | None:
        """The name of the shown watch list when it holds no trial at all."""
        criteria = self.tree.current_criteria
        if criteria.get("watchlist_id") is None:
            return None
        item = self.tree.item_for(criteria)  # "Tumor board (0)": the count the facets gave
        empty = item is not None and item.text(0).endswith(" (0)")
        return criteria.get("watchlist_name") if empty else None

    def _filter_names(self) -> list[str]:
        """The active filters in words ("DLBCL", "Phase 3"), for the empty-result message."""
        names = []
        criteria = self.tree.current_criteria
        item = self.tree.item_for(criteria) if criteria else None
        if item is not None:
            names.append(item.text(0).rsplit(" (", 1)[0])
        if self.phase_box.currentData():
            names.append(self.phase_box.currentText())
        if self.changed_box.value():
            names.append(self.changed_box.combo.currentText().lower())
        if self.near_box.currentData():
            names.append(self.near_box.currentText().lower())
        return names

    def clear_search_and_filters(self) -> None:
        """Back to every trial: empty search, All trials, any phase, not only changed."""
        self._search_timer.stop()
        widgets = (self.search_box, self.phase_box, self.changed_box, self.near_box)
        for widget in widgets:
            widget.blockSignals(True)
        self.search_box.clear()
        self.phase_box.setCurrentIndex(0)
        self.changed_box.choose(None)
        self.near_box.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
        self.tree.choose({}, emit=False)
        self.controller.query = TrialQuery(sort=self.controller.query.sort)
        self.controller.apply_query()
        self.cards.setFocus()

    def _on_tab_changed(self, *_args) -> None:
        current = self.tabs.currentWidget()
        for action, widget in self._view_actions:
            if widget is current:
                action.setChecked(True)
        self._refresh_timeline()

    def show_view(self, widget: QWidget) -> None:
        self.tabs.setCurrentWidget(widget)

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
        """A new filter result: keep the selected trial selected when it is still shown;
        when the search or filter hides it, the detail pane says so and clears."""
        selected = self.controller.selected_id
        row = self.model.row_of(selected or "")
        if row is not None:
            self.cards.setCurrentIndex(self.model.index(row))
        elif selected is not None:
            card = self.model.card(selected)
            self.controller.selected_id = None
            self.detail.show_filtered_out(selected, self.model.title_text(card) if card else "",
                                          searching=bool(self.controller.query.search))

    def selected_ids(self) -> list[str]:
        rows = sorted(self.cards.selectionModel().selectedRows(), key=lambda i: i.row())
        return [index.data(TrialRole.TRIAL_ID) for index in rows]

    # -- state -------------------------------------------------------------------------------
    def _restore_state(self) -> None:
        geometry = self.settings.value("geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        splitter = self.settings.value("splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        detail_shown = self.settings.value("detail_shown", True)
        if str(detail_shown).lower() == "false":
            self.detail_action.setChecked(False)
            self.detail.hide()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the note being typed and the layout, cancel long jobs, and go at once: the
        database work is waited for (it is short); a request in flight is waited for only
        briefly here (run_app waits for it out of sight before closing the library)."""
        self.detail.notes.flush()
        if self.settings is not None:
            self.settings.setValue("geometry", self.saveGeometry())
            self.settings.setValue("splitter", self.splitter.saveState())
            self.settings.setValue("detail_shown", self.detail_action.isChecked())
            self.settings.sync()
        self.hide()
        self.runner.shutdown(network_wait_ms=2000)
        super().closeEvent(event)
