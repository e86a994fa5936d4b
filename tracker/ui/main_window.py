"""The main window: library tree, card list / timeline, detail pane, menus, toolbar, status bar."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QMainWindow

from tracker import APP_NAME
from tracker.ui.tasks import TaskRunner
from tracker.ui.window_commands import WindowCommands
from tracker.ui.window_filters import WindowFilters
from tracker.ui.window_state import default_size, restore_panes, save_layout, saved_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtGui import QAction, QCloseEvent
    from PySide6.QtWidgets import QWidget

    from tracker.context import AppContext

SEARCH_DELAY_MS = 150  # typing pause: a 250 ms key-to-list budget leaves ~100 ms for the work
OPENING_TEXT = "Opening the library…"
BUILD_FALLBACK_MS = 300  # build even if the first paint never comes (a minimised start)


class MainWindow(WindowCommands, WindowFilters, QMainWindow):
    """Built in steps so the window paints before anything slow: the frame (title, saved
    geometry) first; `build` adds the panes, toolbar and menus (tracker.ui.window_layout);
    `attach(context)` wires the opened library in. Constructed with `build=True` (the
    default) all of it happens at once; `open_deferred`, the app's start, builds after the
    first paint while the library opens on the database thread."""

    def __init__(self, context: AppContext | None = None, runner: TaskRunner | None = None,
                 *, data_dir: Path | None = None, build: bool = True) -> None:
        super().__init__()
        self.runner = runner or TaskRunner(self)
        self._watchlists: list = []
        self._timeline_stale = True
        self.hidden_asks = 0  # asks of what hides the selected trial (hidden_selection)
        self._built = False
        self._waiting_context: AppContext | None = None
        self._open_library: Callable[[], None] | None = None
        self._closed = False
        self._opened: list[AppContext] = []  # libraries open_deferred opened
        self.data_dir: Path | None = None
        self.url_problem: str | None = None  # an unusable --api-url / $TRACKER_API_URL
        self.settings: QSettings | None = None
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self.resize(*default_size())
        self._use_data_dir(context.data_dir if context else data_dir)
        if build:
            self.build()
        if context is not None:
            self.attach(context)

    @classmethod
    def open_deferred(cls, data_dir: Path, make_context: Callable[[], AppContext],
                      on_failure: Callable[[Exception], None]) -> MainWindow:
        """Show the window at once; after its first paint build the panes, then open the
        library on the database thread and attach it."""
        window = cls(data_dir=data_dir, build=False)

        def open_and_keep() -> AppContext:
            context = make_context()
            window._opened.append(context)  # closed by closeEvent if never attached
            return context

        def open_library() -> None:
            window.runner.database("open library", open_and_keep, on_result=window.attach,
                                   on_error=on_failure)

        # Started by `build`, after the first paint: its imports would hold the GIL the
        # paint needs.
        window._open_library = open_library
        window.show()
        QTimer.singleShot(BUILD_FALLBACK_MS, window.build)
        return window

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if not self._built:
            QTimer.singleShot(0, self.build)  # the frame is on screen: now the panes

    @property
    def is_built(self) -> bool:
        return self._built

    def build(self) -> None:
        """Panes, toolbar and menus (once); then the library, if it opened meanwhile."""
        if self._built or self._closed:
            return  # built already, or closed before its panes were needed
        self._built = True
        from tracker.ui import window_layout
        from tracker.ui.resources import icon
        from tracker.ui.trial_model import TrialListModel

        self.model = TrialListModel(self)
        self.setWindowIcon(icon("app"))
        window_layout.build(self)
        restore_panes(self)
        if self.focusWidget() is None:  # shown (and activated) before it had widgets
            self.tree.setFocus()
        if not hasattr(self, "context"):
            self.job_bar.label.setText(OPENING_TEXT)
        if self._open_library is not None:
            # Only now: the GUI's imports are done, so the two threads never import at
            # once (a module half-imported by one thread breaks the other's import).
            open_library, self._open_library = self._open_library, None
            open_library()
        if self._waiting_context is not None:
            context, self._waiting_context = self._waiting_context, None
            self.attach(context)

    def _use_data_dir(self, data_dir: Path | None) -> None:
        if data_dir is not None:
            self.data_dir = Path(data_dir)
            self.setWindowTitle(f"{APP_NAME} — {data_dir}")
            self.settings = QSettings(str(Path(data_dir) / "window.ini"),
                                      QSettings.Format.IniFormat)
            geometry = saved_bytes(self.settings, "geometry")
            if geometry is not None:
                self.restoreGeometry(geometry)

    def attach(self, context: AppContext) -> None:
        """Wire the library in: controller, watch-list and tag actions, signals, first load.
        A library that opened before the panes were built waits for `build`."""
        if not self._built:
            self._waiting_context = context
            return
        from tracker.ui.controller import LibraryController
        from tracker.ui.notices import startup_lines
        from tracker.ui.tag_actions import TagActions
        from tracker.ui.watchlist_actions import WatchListActions

        self.context = context
        if self.job_bar.label.text() == OPENING_TEXT:
            self.job_bar.label.setText("Ready")
        self.near_box.update_home(context.preferences.home_location)
        self.startup_notice.show_problems(startup_lines(self.url_problem, context))
        self.detail.set_home(context.preferences.home_location)
        if self.settings is None:
            self._use_data_dir(context.data_dir)
            restore_panes(self)
        self.controller = LibraryController(context, self.runner, self.model, self)
        self.list_actions = WatchListActions(self, self.controller)
        self.tag_actions = TagActions(self, self.controller)
        self._connect()
        self._install_inbox()
        self._notice_outside_changes()
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

    def _notice_outside_changes(self) -> None:
        """Reload what the `tracker` CLI or another window changed (tracker.ui.outside_changes)."""
        from tracker.ui.outside_changes import OutsideChanges

        tags = self.detail.tags_edit
        self.outside_changes = OutsideChanges(
            self, self.controller, typing_elsewhere=lambda: tags.hasFocus() and tags.isModified(),
            other_job_running=lambda: self.inbox.job is not None)

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
    def eventFilter(self, watched, event) -> bool:
        """Tab onto the cards with none current: the first card becomes current and
        selected, so the keyboard user sees where they are."""
        from PySide6.QtCore import QEvent

        if (watched is self.cards and event.type() == QEvent.Type.FocusIn
                and not self.cards.currentIndex().isValid() and self.model.rowCount()
                and not self.cards.selectionModel().hasSelection()):
            self.cards.setCurrentIndex(self.model.index(0))
        return super().eventFilter(watched, event)

    def add_view_action(self, action: QAction, widget: QWidget, label: str) -> None:
        """Another view (the discovery inbox): a tab, and a View-menu entry in the group."""
        self.tabs.addTab(widget, label)
        action.setCheckable(True)
        action.triggered.connect(lambda: self.show_view(widget))
        self.view_group.addAction(action)
        self.view_menu.insertAction(self.view_menu_end, action)
        self._view_actions.append((action, widget))

    def _connect(self) -> None:
        from tracker.ui import window_layout

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
        # every new result (a search, a filter, the library reloaded after a sync) ends in
        # filter_applied, after the model has its rows: the selection is followed once there
        c.filter_applied.connect(self._follow_selection)
        c.selected_removed.connect(self.detail.show_removed)  # nothing to type into
        c.trials_removed.connect(self.detail.notes.trials_removed)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.timeline.trial_clicked.connect(self.show_in_list)
        self.cards.customContextMenuRequested.connect(self._on_cards_context_menu)
        self.detail.notes.save_requested.connect(c.save_note)
        self.detail.tags_edited.connect(c.set_tags)
        c.facets_loaded.connect(self._on_facets_loaded)
        self.tree.trials_dropped.connect(self.list_actions.add_to)
        self.tree.menu_requested.connect(self._on_tree_menu)
        self.banner.sync_requested.connect(self._on_sync_all)
        self.empty_state.clear_requested.connect(self.clear_search_and_filters)
        c.filter_applied.connect(self._on_filter_applied)
        c.filter_applied.connect(lambda *_: window_layout.label_sort_box(self))
        c.details_loaded.connect(self.detail.show_details)
        c.note_saved.connect(self.detail.notes.note_saved)
        c.note_save_failed.connect(self.detail.notes.save_failed)
        c.error_raised.connect(self.job_bar.show_error)
        c.change_saved.connect(self.job_bar.change_saved)
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
        self._on_tree_filter_chosen(self.tree.current_criteria)  # a meeting date edited

    def watchlists(self) -> list:
        return list(self._watchlists)

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
        from tracker.ui.trial_model import TrialRole

        trial_id = current.data(TrialRole.TRIAL_ID) if current.isValid() else None
        if trial_id is None:
            return
        self.controller.select(trial_id)

    def _follow_selection(self, *_args) -> None:
        """A new filter result: the selected trial stays selected while it is shown. When the
        search or a filter hides it, the detail pane says which, and the trial is remembered:
        once a result shows it again it is selected again."""
        from tracker.ui.hidden_selection import explain_hidden

        c = self.controller
        chosen = c.selected_id or c.hidden_id
        card = self.model.card(chosen) if chosen else None
        if card is None:
            return  # nothing chosen, or it left the library (`detail.show_removed`)
        row = self.model.row_of(chosen)
        if row is not None:
            index = self.model.index(row)
            if self.cards.currentIndex() != index:
                self.cards.setCurrentIndex(index)  # selected again: its details load
                self.cards.scrollTo(index)
            return
        c.selected_id, c.hidden_id = None, chosen
        explain_hidden(self, chosen, self.model.title_text(card))

    def show_in_list(self, trial_id: str) -> None:
        """The card list, with `trial_id` selected (a timeline bar was clicked)."""
        self.show_view(self.cards_page)
        row = self.model.row_of(trial_id)
        if row is not None:
            self.cards.setCurrentIndex(self.model.index(row))

    def selected_ids(self) -> list[str]:
        rows = sorted(self.cards.selectionModel().selectedRows(), key=lambda i: i.row())
        from tracker.ui.trial_model import TrialRole

        return [index.data(TrialRole.TRIAL_ID) for index in rows]

    # -- state -------------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Save the note being typed and the layout, cancel long jobs, and go at once: the
        database work is waited for (it is short); a request in flight is waited for only
        briefly here (run_app waits for it out of sight before closing the library)."""
        self._closed = True
        self._open_library = None  # closed before its panes: the library is not opened
        if self._built:
            self.detail.notes.flush()
        if hasattr(self, "outside_changes"):
            self.outside_changes.stop()
        save_layout(self, self._built)
        self.hide()
        self.runner.shutdown(network_wait_ms=2000)
        for context in self._opened:  # opened after the window was closed: never attached
            if context is not getattr(self, "context", None):
                context.close()
        self._opened.clear()
        super().closeEvent(event)

