"""The main window's panes, toolbar and menus, built after its first paint.

Imported by `MainWindow.build`, not by main_window itself: these widgets' types, Qt's
enumerations, the card painting and the first text (font loading) take ~150 ms to import
and build; the window's frame shows first, so it appears about as fast as a bare one.
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListView,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from tracker.domain.enums import PHASE_LABELS, Phase
from tracker.store.query import PHASE_NOT_STATED, SortKey
from tracker.ui.card_delegate import TrialCardDelegate
from tracker.ui.changed_since import ChangedSinceBox
from tracker.ui.count_label import CountLabel
from tracker.ui.detail_pane import DetailPane
from tracker.ui.fit_combo import FitComboBox, WrapRow
from tracker.ui.job_bar import JobBar
from tracker.ui.library_tree import LibraryTree
from tracker.ui.narrowing_words import Narrowing
from tracker.ui.near_filter import NearHomeBox
from tracker.ui.notices import EmptyState, StartupNotice, SyncBanner
from tracker.ui.timeline_view import TimelineView
from tracker.ui.tree_criteria import part_with, parts
from tracker.ui.window_menus import build_menu_bar, create_actions

if TYPE_CHECKING:
    from tracker.ui.main_window import MainWindow

SORT_LABELS = {SortKey.TITLE: "Title", SortKey.LAST_STATUS_CHANGE: "Last status change",
               SortKey.PRIMARY_COMPLETION: "Primary completion", SortKey.LAST_UPDATE: "Last update"}
# Minimum pane widths: the three panes fit side by side in a ~710-px wide window.
TREE_MIN_WIDTH, CARDS_MIN_WIDTH, DETAIL_MIN_WIDTH = 120, 330, 250


def build(window: MainWindow) -> None:
    """Panes, then toolbar and menus, then the Tab order."""
    build_ui(window)
    build_actions(window)
    set_tab_order(window)


def build_ui(window: MainWindow) -> None:
    window.tree = LibraryTree()
    window.tree.setObjectName("library")
    window.cards = QListView()
    window.cards.setObjectName("cards")
    window.cards.setModel(window.model)
    window.cards.setItemDelegate(TrialCardDelegate(window.cards))
    window.cards.setUniformItemSizes(True)
    # One pass: with uniform sizes and a C++ row count (TrialListModel) Qt lays out
    # 100,000 cards in ~10 ms. Batched layout spread that over hundreds of event-loop
    # turns, each repainting the list, and a search typed meanwhile waited behind them.
    window.cards.setLayoutMode(QListView.LayoutMode.SinglePass)
    window.cards.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
    window.cards.setDragEnabled(True)
    window.cards.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    window.cards.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    window.cards.setResizeMode(QListView.ResizeMode.Adjust)
    window.cards.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
    window.timeline = TimelineView()
    window.tabs = QTabWidget()
    window.cards_page = cards_page(window)
    window.tabs.addTab(window.cards_page, "Cards")
    window.tabs.addTab(window.timeline, "Timeline")
    window.count_label.sit_beside(window.tabs)
    window.detail = DetailPane()
    window.splitter = QSplitter(Qt.Orientation.Horizontal)
    window.splitter.setObjectName("panes")
    for widget, width in ((window.tree, TREE_MIN_WIDTH), (window.tabs, CARDS_MIN_WIDTH),
                          (window.detail, DETAIL_MIN_WIDTH)):
        widget.setMinimumWidth(width)
        window.splitter.addWidget(widget)
    window.splitter.setChildrenCollapsible(False)
    # Growing or shrinking the window resizes the cards most, the detail less, the tree
    # not at all (it keeps its width until it reaches its minimum).
    window.splitter.setStretchFactor(0, 0)
    window.splitter.setStretchFactor(1, 3)
    window.splitter.setStretchFactor(2, 2)
    window.splitter.setSizes([200, 600, 520])
    window.startup_notice = StartupNotice()  # above every pane and view, until dismissed
    central = QWidget()
    layout = QVBoxLayout(central)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    layout.addWidget(window.startup_notice)
    layout.addWidget(window.splitter, 1)
    window.setCentralWidget(central)
    window.job_bar = JobBar(window.statusBar())
    name_widgets(window)


def cards_page(window: MainWindow) -> QWidget:
    window.phase_box = FitComboBox()
    window.phase_box.addItem("Any phase", None)
    for phase in Phase:
        window.phase_box.addItem(PHASE_LABELS[phase], phase.value)
    window.phase_box.addItem("Phase not stated", PHASE_NOT_STATED)
    window.changed_box = ChangedSinceBox()
    window.changed_box.set_meeting(None, None)
    window.near_box = NearHomeBox()
    window.near_box.update_home("")  # until a library is attached
    window.sort_box = FitComboBox()
    for key, label in SORT_LABELS.items():
        window.sort_box.addItem(f"Sort: {label}", key.value)
    window.count_label = CountLabel()
    window.count_label.setContentsMargins(0, 0, 6, 0)
    window.changed_box.setToolTip("Only trials with a registry change since the last sync, a "
                                "date, or the shown watch list's meeting")
    options = WrapRow()  # every drop-down whole; a narrow pane puts them on two lines
    for widget in (window.phase_box, window.changed_box, window.near_box, window.sort_box):
        options.addWidget(widget)
    window.banner = SyncBanner()
    window.empty_state = EmptyState()
    window.card_stack = QStackedWidget()
    window.card_stack.addWidget(window.cards)
    window.card_stack.addWidget(window.empty_state)
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 4, 0, 0)
    layout.addLayout(options)
    layout.addWidget(window.banner)
    layout.addWidget(window.card_stack, 1)
    return page


def name_widgets(window: MainWindow) -> None:
    """Names a screen reader says, and the Tab order tree → cards → detail."""
    for widget, name in ((window.tree, "Library: filters, watch lists and tags"),
                         (window.cards, "Trial cards"), (window.timeline, "Timeline"),
                         (window.tabs, "Views"), (window.detail, "Trial details"),
                         (window.phase_box, "Phase filter"), (window.sort_box, "Sort order"),
                         (window.changed_box, "Changed since"),
                         (window.near_box, "Recruiting near home"),
                         (window.count_label, "Number of trials shown")):
        widget.setAccessibleName(name)
    window.tree.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    window.cards.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    window.cards.installEventFilter(window)


def set_tab_order(window: MainWindow) -> None:
    """Tab: search, then the filters that narrow it, then tree → cards → detail."""
    chain = (window.search_box, window.phase_box, window.changed_box.combo, window.near_box,
             window.sort_box, window.tree, window.cards, window.detail.browser)
    for first, second in pairwise(chain):
        QWidget.setTabOrder(first, second)


def build_actions(window: MainWindow) -> None:
    create_actions(window)
    build_menu_bar(window)
    window._view_actions = [(window.cards_view_action, window.cards_page),
                          (window.timeline_view_action, window.timeline)]
    toolbar = QToolBar("Main")
    toolbar.setObjectName("mainToolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setIconSize(QSize(20, 20))
    window.addToolBar(toolbar)
    window.toolbar = toolbar
    for action in (window.sync_action, window.add_action, window.export_action,
                   window.import_action, window.prefs_action):
        toolbar.addAction(action)
    sync_button = toolbar.widgetForAction(window.sync_action)
    sync_button.setMenu(window.sync_menu)
    sync_button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
    always = (window.quit_action, window.about_action, window.shortcuts_action, window.detail_action,
              window.cards_view_action, window.timeline_view_action, window.data_folder_action)
    window._data_actions = [a for a in window.findChildren(QAction)
                          if a.text() and a not in always]
    for action in window._data_actions:
        action.setEnabled(False)  # until the library is attached
    toolbar.addSeparator()
    window.search_box = QLineEdit()
    window.search_box.setEnabled(False)
    window.search_box.setObjectName("search")
    window.search_box.setAccessibleName("Search trials")
    window.search_box.setPlaceholderText("Search titles, acronyms, drugs, diseases, notes…")
    window.search_box.setClearButtonEnabled(True)
    toolbar.addWidget(window.search_box)


def label_sort_box(window: MainWindow, *_args) -> None:
    """A watch list is shown in its own saved order when "Title" is chosen (store/query.py):
    the choice then reads "List order", so the label says what the cards show."""
    index = window.sort_box.findData(SortKey.TITLE.value)
    in_list = window.controller.query.watchlist_id is not None
    window.sort_box.setItemText(index, "Sort: List order" if in_list else "Sort: Title")
    tip = "The list's own order (right-click a card › Move up or down)" if in_list else None
    window.sort_box.setItemData(index, tip, Qt.ItemDataRole.ToolTipRole)


def empty_watchlist_name(window: MainWindow) -> str | None:
    """The name of the shown watch list when it holds no trial at all."""
    shown = part_with(window.tree.current_criteria, "watchlist_id")
    if not shown:
        return None
    item = window.tree.item_for(shown)  # "Tumor board (0)": the count the facets gave
    empty = item is not None and item.text(0).endswith(" (0)")
    return shown["watchlist_name"] if empty else None


def tree_filter_names(window: MainWindow) -> list[str]:
    """The tree entries shown, as phrases ("CAR-T", "the watch list “AML club”")."""
    names = []
    for entry in parts(window.tree.current_criteria):
        item = window.tree.item_for(entry)
        if entry.get("watchlist_name"):
            names.append(f"the watch list “{entry['watchlist_name']}”")
        elif entry.get("tag"):
            names.append(f"the tag “{entry['tag']}”")
        elif item is not None:
            names.append(item.text(0).rsplit(" (", 1)[0])
    return names


def filter_box_names(window: MainWindow) -> dict[str, str | None]:
    """Each filter box's phrase ("Phase 3", "changed since 2026-11-03", "within 500 km of
    home"), None when it filters nothing; keyed as `browse.hidden_by` names its parts."""
    return {"phase": window.phase_box.currentText() if window.phase_box.currentData() else None,
            "changed": window.changed_box.phrase(), "near": window.near_box.phrase()}


def narrowing(window: MainWindow) -> Narrowing:
    """What narrows the shown cards: the search, the tree entries, the filter boxes."""
    lists, tags, entries = [], [], []
    for entry in parts(window.tree.current_criteria):
        item = window.tree.item_for(entry)
        if entry.get("watchlist_name"):
            lists.append(entry["watchlist_name"])
        elif entry.get("tag"):
            tags.append(entry["tag"])
        elif item is not None:
            entries.append(item.text(0).rsplit(" (", 1)[0])
    boxes = filter_box_names(window)
    return Narrowing(search=window.controller.query.search, lists=tuple(lists),
                     tags=tuple(tags), entries=(*entries, *filter(None, [boxes["phase"]])),
                     conditions=tuple(filter(None, [boxes["changed"], boxes["near"]])))


def active_filter_names(window: MainWindow) -> list[str]:
    """The active filters as phrases ("BCL-2", "the watch list “AML club”", "Phase 3",
    "changed since 2026-11-03"), for the empty-result message."""
    return tree_filter_names(window) + [p for p in filter_box_names(window).values() if p]
