"""The inbox: new studies found by saved searches, as cards, with accept and dismiss.

`InboxController.install(window)` adds everything to a main window in one call: the
"Inbox (N)" entry (with a "Saved searches…" child) at the top of the library tree, the inbox
page as a tab beside the cards, and the check actions. The cards reuse `TrialListModel` and
`TrialCardDelegate`; the delegate subclass only replaces the bottom line (first posted, the
searches that found the study). Checks run as long jobs on the task runner with progress and
Cancel in the status bar; accept and dismiss run on the database thread.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tracker.domain import Modality
from tracker.domain.enums import phase_label
from tracker.store import TrialCard
from tracker.ui.card_delegate import TrialCardDelegate
from tracker.ui.trial_model import TrialListModel, TrialRole

if TYPE_CHECKING:
    from tracker.domain.inbox import InboxItem
    from tracker.services.discovery import CheckReport

INBOX_ROLE = Qt.ItemDataRole.UserRole + 20  # "inbox" or "searches" on the tree entries
NO_LIST = "(no watch list)"


@dataclass(frozen=True, slots=True)
class InboxCard(TrialCard):
    first_posted: str = ""
    searches: str = ""
    sponsor: str = ""


def inbox_card(item: InboxItem, num: int) -> InboxCard:
    proposal = f"Proposed {item.modality.label}"
    if item.modality is not item.proposed_modality:
        proposal = f"Filed as {item.modality.label} (changed)"
    elif item.evidence:
        proposal += f": {item.evidence}"
    else:
        proposal += ": no drug or keyword matched"
    return InboxCard(
        num=num, id=item.nct_id, title=item.acronym or item.title,
        subtitle=item.title if item.acronym else "",
        status=item.status, registry_state="found", phase_text=phase_label(item.phases),
        modality=item.modality, diseases=", ".join(item.conditions[:3]), headline=proposal,
        start=None, primary_completion=None, primary_completion_estimated=False,
        last_synced_at=None, last_update_posted=None, has_notes=False,
        changed_in_last_sync=False, first_posted=item.first_posted or "?",
        searches=", ".join(item.searches), sponsor=item.sponsor or "")


class InboxCardDelegate(TrialCardDelegate):
    """The library's card, with the inbox's facts on the bottom lines."""

    def _paint_bottom(self, painter, font, colour, muted, inner, card, top, line) -> None:
        if not isinstance(card, InboxCard):
            super()._paint_bottom(painter, font, colour, muted, inner, card, top, line)
            return
        accent = type(font)(font)
        accent.setBold(True)
        half = inner.width() * 2 // 3
        self._text(painter, accent, colour, QRect(inner.left(), top, half, line), card.headline)
        sponsor = f"{card.sponsor} · " if card.sponsor else ""
        self._text(painter, font, muted, QRect(inner.left() + half, top, inner.width() - half,
                                                line), f"first posted {card.first_posted}",
                   Qt.AlignmentFlag.AlignRight)
        self._text(painter, font, muted, QRect(inner.left(), top + line, inner.width(), line),
                   f"{sponsor}found by: {card.searches}")


def item_html(item: InboxItem) -> str:
    """The facts a triage needs beyond the card: interventions, conditions, the link."""
    def esc(text: str) -> str:
        return html.escape(text, quote=True)

    evidence = f" ({esc(item.evidence)})" if item.evidence else " (no drug or keyword matched)"
    return (f"<b>{esc(item.nct_id)}</b> · <a href='https://clinicaltrials.gov/study/"
            f"{esc(item.nct_id)}'>open on ClinicalTrials.gov</a><br>"
            f"<b>Interventions:</b> {esc('; '.join(item.interventions) or '—')}<br>"
            f"<b>Conditions:</b> {esc('; '.join(item.conditions) or '—')}<br>"
            f"<b>Modality:</b> {esc(item.modality.label)}{evidence} · <b>Sponsor:</b> "
            f"{esc(item.sponsor or '—')} · <b>Found by:</b> {esc(', '.join(item.searches))}")


class InboxView(QWidget):
    """The inbox page: a card list and the buttons that triage it."""

    accept_requested = Signal(list, str)  # ids, watch list name ("" for none)
    dismiss_requested = Signal(list)
    modality_requested = Signal(list, str)
    check_requested = Signal()
    searches_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = TrialListModel(self)
        self._build_ui()
        self._build_shortcuts()

    def _build_ui(self) -> None:
        self.cards = QListView()
        self.cards.setObjectName("inboxCards")
        self.cards.setModel(self.model)
        self.cards.setItemDelegate(InboxCardDelegate(self.cards))
        self.cards.setUniformItemSizes(True)
        self.cards.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.cards.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.info = QLabel("Select a study to see its interventions and conditions.")
        self.info.setObjectName("inboxInfo")
        self.info.setWordWrap(True)
        self.info.setOpenExternalLinks(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self._items: dict[str, InboxItem] = {}
        self.title = QLabel("Inbox")
        self.title.setObjectName("inboxTitle")
        self.accept_button = QPushButton("Accept")
        self.accept_button.setToolTip("Add the selected studies to the library (Ctrl+Return)")
        self.dismiss_button = QPushButton("Dismiss")
        self.dismiss_button.setToolTip("Dismiss the selected studies; the searches that found "
                                       "them will not bring them back (Delete)")
        self.list_box = QComboBox()
        self.list_box.addItem(NO_LIST)
        self.modality_box = QComboBox()
        self.modality_box.addItem("File as…", None)
        for modality in Modality:
            self.modality_box.addItem(modality.label, modality.value)
        self.check_button = QPushButton("Check now")
        self.searches_button = QPushButton("Saved searches…")
        row = QHBoxLayout()
        for widget in (self.accept_button, QLabel("to"), self.list_box, self.dismiss_button,
                       self.modality_box):
            row.addWidget(widget)
        row.addStretch(1)
        row.addWidget(self.check_button)
        row.addWidget(self.searches_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(row)
        layout.addWidget(self.cards, 1)
        layout.addWidget(self.info)
        self.cards.selectionModel().currentChanged.connect(self._on_current_changed)
        self.accept_button.clicked.connect(self._on_accept_clicked)
        self.dismiss_button.clicked.connect(self._on_dismiss_clicked)
        self.modality_box.activated.connect(self._on_modality_chosen)
        self.check_button.clicked.connect(self.check_requested)
        self.searches_button.clicked.connect(self.searches_requested)

    def _build_shortcuts(self) -> None:
        for keys, slot in (("Ctrl+Return", self._on_accept_clicked),
                           (QKeySequence.StandardKey.Delete, self._on_dismiss_clicked)):
            action = QAction(self)
            action.setShortcut(QKeySequence(keys))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

    def _on_current_changed(self, current, _previous) -> None:
        item = self._items.get(current.data(TrialRole.TRIAL_ID)) if current.isValid() else None
        self.info.setText(item_html(item) if item else "")

    def set_items(self, items: list[InboxItem]) -> None:
        self._items = {item.nct_id: item for item in items}
        cards = {item.nct_id: inbox_card(item, n) for n, item in enumerate(items)}
        self.model.set_cards(cards, [item.nct_id for item in items])
        self.title.setText(f"<b>Inbox ({len(items)})</b> — new studies from your saved "
                           "searches, not in the library yet")

    def set_watchlists(self, names: list[str]) -> None:
        current = self.list_box.currentText()
        self.list_box.clear()
        self.list_box.addItems([NO_LIST, *names])
        self.list_box.setCurrentText(current if current in names else NO_LIST)

    def selected_ids(self) -> list[str]:
        rows = sorted(self.cards.selectionModel().selectedRows(), key=lambda i: i.row())
        return [index.data(TrialRole.TRIAL_ID) for index in rows]

    def _on_accept_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            chosen = self.list_box.currentText()
            self.accept_requested.emit(ids, "" if chosen == NO_LIST else chosen)

    def _on_dismiss_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.dismiss_requested.emit(ids)

    def _on_modality_chosen(self, index: int) -> None:
        value = self.modality_box.itemData(index)
        self.modality_box.setCurrentIndex(0)
        ids = self.selected_ids()
        if value and ids:
            self.modality_requested.emit(ids, value)


class InboxController(QObject):
    """Feeds the inbox page from the discovery service; runs checks as cancellable jobs."""

    inbox_loaded = Signal(int)  # how many
    check_finished = Signal(object)  # CheckReport

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.context = window.context
        self.runner = window.runner
        self.view = InboxView()
        self.job = None
        self.count = 0
        self.last_report: CheckReport | None = None
        self._then_check = False

    @classmethod
    def install(cls, window) -> InboxController:
        controller = cls(window)
        controller._install()
        return controller

    def _install(self) -> None:
        w = self.window
        self.page_index = w.tabs.addTab(self.view, "Inbox")
        self.check_action = QAction("Check saved searches", w)
        self.check_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.check_action.triggered.connect(lambda: self.check())
        self.sync_and_check_action = QAction("Sync and check saved searches", w)
        self.sync_and_check_action.triggered.connect(self.sync_and_check)
        w.addActions([self.check_action])
        if w.sync_action.menu() is not None:
            w.sync_action.menu().addActions([self.check_action, self.sync_and_check_action])
        v = self.view
        v.accept_requested.connect(self.accept)
        v.dismiss_requested.connect(self.dismiss)
        v.modality_requested.connect(self.set_modality)
        v.check_requested.connect(lambda: self.check())
        v.searches_requested.connect(self.open_searches)
        w.tree.itemClicked.connect(self._on_tree_item_clicked)
        w.tree.filter_chosen.connect(self._on_library_filter_chosen)
        w.controller.facets_loaded.connect(self._on_facets_loaded)
        w.controller.job_finished.connect(self._on_sync_finished)
        w.job_bar.cancel_requested.connect(self.cancel)
        self.reload()

    # -- the tree entry ---------------------------------------------------------------------
    def _on_facets_loaded(self, facets) -> None:
        self.view.set_watchlists([w.name for w in facets.watchlists])
        self._put_tree_entry()

    def _put_tree_entry(self) -> None:
        """The tree is rebuilt on every facets load; (re)insert the entry after "All trials"."""
        tree = self.window.tree
        entry = self.tree_entry()
        if entry is None:
            entry = QTreeWidgetItem()
            entry.setData(0, INBOX_ROLE, "inbox")
            child = QTreeWidgetItem(["Saved searches…"])
            child.setData(0, INBOX_ROLE, "searches")
            entry.addChild(child)
            tree.insertTopLevelItem(min(1, tree.topLevelItemCount()), entry)
            entry.setExpanded(True)
        entry.setText(0, f"Inbox ({self.count})")
        font = entry.font(0)
        font.setBold(self.count > 0)
        entry.setFont(0, font)

    def tree_entry(self) -> QTreeWidgetItem | None:
        tree = self.window.tree
        for row in range(tree.topLevelItemCount()):
            item = tree.topLevelItem(row)
            if item.data(0, INBOX_ROLE) == "inbox":
                return item
        return None

    def _on_tree_item_clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        role = item.data(0, INBOX_ROLE)
        if role == "inbox":
            self.show_page()
        elif role == "searches":
            self.open_searches()

    def _on_library_filter_chosen(self, _criteria: dict) -> None:
        if self.window.tabs.currentIndex() == self.page_index:
            self.window.tabs.setCurrentIndex(0)

    def show_page(self) -> None:
        self.window.tabs.setCurrentIndex(self.page_index)
        self.window.tree.setCurrentItem(self.tree_entry())
        self.view.cards.setFocus()

    # -- loading and triage -----------------------------------------------------------------
    def _service(self, client=None):
        from tracker.services.discovery import DiscoveryService

        return DiscoveryService(self.context.library, client)

    def reload(self) -> None:
        self.runner.database("load inbox", lambda: self._service().items(),
                             on_result=self._on_items_loaded, on_error=self._report_error)

    def _on_items_loaded(self, items: list) -> None:
        self.count = len(items)
        self.view.set_items(items)
        self.window.tabs.setTabText(self.page_index, f"Inbox ({self.count})")
        self._put_tree_entry()
        self.inbox_loaded.emit(self.count)

    def accept(self, ids: list[str], watchlist: str = "") -> None:
        def done(result) -> None:
            where = f" and to “{result.watchlist}”" if result.watchlist else ""
            self.window.job_bar.label.setText(
                f"Added {len(result.added)} to the library{where}")
            self.window.controller.reload()
            self.reload()

        self.runner.database("accept", lambda: self._service().accept(ids, watchlist or None),
                             on_result=done, on_error=self._report_error)

    def dismiss(self, ids: list[str]) -> None:
        def done(count: int) -> None:
            self.window.job_bar.label.setText(f"Dismissed {count} from the inbox")
            self.reload()

        self.runner.database("dismiss", lambda: self._service().dismiss(ids),
                             on_result=done, on_error=self._report_error)

    def set_modality(self, ids: list[str], modality: str) -> None:
        def change() -> None:
            service = self._service()
            for nct_id in ids:
                service.set_modality(nct_id, modality)

        self.runner.database("file inbox study", change, on_result=lambda _r: self.reload(),
                             on_error=self._report_error)

    # -- checking ---------------------------------------------------------------------------
    def check(self, names: list[str] | None = None):
        if self.job is not None or self.window.controller.job is not None:
            self.window.job_bar.show_error("Another registry job is running; wait for it or "
                                           "cancel it.")
            return None
        label = "Checking saved searches"

        def run(progress, cancel):
            client = self.context.make_client()
            try:
                return self._service(client).check(names, progress=progress, cancel=cancel)
            finally:
                client.close()

        self.job = self.runner.long_job(label, run, on_result=self._on_checked,
                                        on_error=self._on_check_failed,
                                        on_progress=self.window.job_bar.progress)
        self.job.signals.finished.connect(self._on_check_done)
        self.window.job_bar.start(label, self.job)
        return self.job

    def sync_and_check(self) -> None:
        """Sync the library, then check the saved searches when the sync has finished."""
        if self.window.controller.sync(None) is not None:
            self._then_check = True

    def _on_sync_finished(self, _report) -> None:
        if self._then_check:
            self._then_check = False
            from PySide6.QtCore import QTimer

            QTimer.singleShot(0, self.check)  # after the sync job has fully ended

    def _on_checked(self, report: CheckReport) -> None:
        self.job = None
        self.last_report = report
        bar = self.window.job_bar
        bar.stop()
        bar.label.setText(("⚠ " if not report.ok else "") + report.headline())
        bar.label.setToolTip("\n".join(report.lines()))
        self.reload()
        self.check_finished.emit(report)

    def _on_check_failed(self, error: Exception) -> None:
        self.job = None
        self._report_error(error)

    def _on_check_done(self) -> None:
        self.job = None
        self.window.job_bar.stop()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()

    def open_searches(self) -> None:
        from tracker.ui.dialogs.saved_searches import SavedSearchesDialog

        dialog = SavedSearchesDialog(self.context, self.runner, self, self.window)
        dialog.open()
        self.dialog = dialog

    def _report_error(self, error: Exception) -> None:
        from tracker.ui.controller import describe_error

        self.window.job_bar.show_error(describe_error(error))
