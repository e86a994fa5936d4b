"""Wires the inbox into a main window: tree entry, page, check jobs, triage on the database thread.

`InboxController.install(window)` adds everything in one call: the "Inbox (N)" entry (with a
"Saved searches…" child) after "All trials" in the library tree, the inbox page as a tab
beside the cards, and the check actions in the Sync menu. Checks and accept (which fetches
the accepted studies' whole records) run as long jobs on the task runner with progress and
Cancel in the status bar; dismiss runs on the database thread.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QTreeWidgetItem

from tracker.ui.inbox_view import INBOX_ROLE, InboxView

if TYPE_CHECKING:
    from tracker.services.discovery import CheckReport


class InboxController(QObject):
    """Feeds the inbox page from the discovery service; runs checks as cancellable jobs."""

    inbox_loaded = Signal(int)  # how many
    check_finished = Signal(object)  # CheckReport
    accepted = Signal(object)  # AcceptResult
    dismissed = Signal(list)  # ids
    restored = Signal(list)  # ids

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
        self.read_only = False
        self.last_dismissed: list[str] = []  # what Undo brings back
        self._dismissed_titles: dict[str, str] = {}

    @classmethod
    def install(cls, window) -> InboxController:
        controller = cls(window)
        controller._install()
        return controller

    def _install(self) -> None:
        w = self.window
        self.view_action = QAction("Inbox", w)
        self.view_action.setShortcut(QKeySequence("Ctrl+3"))  # after Cards (1) and Timeline (2)
        w.add_view_action(self.view_action, self.view, "Inbox")  # a tab and a View-menu entry
        self.page_index = w.tabs.indexOf(self.view)
        self.check_action = QAction("Check saved searches", w)
        self.check_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.check_action.triggered.connect(lambda: self.check())
        self.sync_and_check_action = QAction("Sync and check saved searches", w)
        self.sync_and_check_action.triggered.connect(self.sync_and_check)
        self.searches_action = QAction("Saved searches…", w)
        self.searches_action.triggered.connect(self.open_searches)
        self.undo_dismiss_action = QAction("Undo dismiss", w)
        self.undo_dismiss_action.setEnabled(False)
        self.undo_dismiss_action.triggered.connect(self.undo_dismiss)
        self.show_dismissed_action = QAction("Dismissed studies…", w)
        self.show_dismissed_action.triggered.connect(self.show_dismissed)
        w.edit_menu.insertAction(w.edit_menu.actions()[0], self.undo_dismiss_action)
        w.edit_menu.insertSeparator(w.edit_menu.actions()[1])
        w.addActions([self.check_action, self.view_action])
        w.sync_menu.addActions([self.check_action, self.sync_and_check_action])
        w.library_menu.addSeparator()
        w.library_menu.addActions([self.check_action, self.sync_and_check_action,
                                   self.searches_action, self.show_dismissed_action])
        v = self.view
        v.accept_requested.connect(self.accept)
        v.dismiss_requested.connect(self.dismiss)
        v.restore_requested.connect(self.restore)
        v.undo_requested.connect(self.undo_dismiss)
        v.dismissed_toggled.connect(lambda _shown: self.reload())
        w.job_bar.label.linkActivated.connect(self._on_status_link)
        v.modality_requested.connect(self.set_modality)
        v.check_requested.connect(lambda: self.check())
        v.searches_requested.connect(self.open_searches)
        w.tree.itemClicked.connect(self._on_tree_item_clicked)
        # Enter opens the inbox or the dialog as a click does; arrow keys only move (Qt also
        # moves the current item itself while the tree is rebuilt, so it cannot mean "show").
        w.tree.itemActivated.connect(self._on_tree_item_clicked)
        w.tree.filter_chosen.connect(self._on_library_filter_chosen)
        w.controller.facets_loaded.connect(self._on_facets_loaded)
        w.controller.job_finished.connect(self._on_sync_finished)
        w.controller.changed_elsewhere.connect(self.reload)  # `tracker searches check`, say
        w.job_bar.cancel_requested.connect(self.cancel)
        w.tabs.currentChanged.connect(self._on_tab_changed)
        # connected after the window's own slot: while the inbox is shown, a library trial's
        # details arriving late (after a reload or a sync) do not stay in the right-hand pane
        w.controller.details_loaded.connect(lambda _d: self._describe_in_detail_pane())
        v.cards.selectionModel().currentChanged.connect(
            lambda *_: self._describe_in_detail_pane())
        if w.context.library.read_only:
            self._use_read_only()
        self.reload()
        from tracker.ui.scope_notice import ScopeNotice

        self.scope_notice = ScopeNotice.install(w, self._service, self._report_error,
                                                self.open_searches)

    def _use_read_only(self) -> None:
        """A read-only library: the inbox can be looked at, not triaged or checked."""
        self.read_only = True
        v = self.view
        for widget in (v.accept_button, v.dismiss_button, v.modality_box, v.list_box,
                       v.check_button, v.dismissed_button):
            widget.setEnabled(False)
        for action in (*v.actions(), self.check_action, self.sync_and_check_action,
                       self.undo_dismiss_action):
            action.setEnabled(False)

    # -- the tree entry ---------------------------------------------------------------------
    def _on_facets_loaded(self, facets) -> None:
        self.view.set_watchlists([w.name for w in facets.watchlists])
        self._put_tree_entry()

    def _put_tree_entry(self) -> None:
        """The tree is rebuilt on every facets load; (re)insert the entry after "All trials"."""
        tree = self.window.tree
        if tree.topLevelItemCount() == 0:
            return  # the library is not loaded yet: its facets load puts the entry in
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
        if self.window.tabs.currentIndex() == getattr(self, "page_index", -1):
            tree.setCurrentItem(entry)  # a rebuilt tree keeps pointing at the shown page

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

    def _page_shown(self) -> bool:
        return self.window.tabs.currentIndex() == getattr(self, "page_index", -1)

    def _on_tab_changed(self, _index: int) -> None:
        """The inbox is not the library: its page hides the "N of M trials" counter, and the
        right-hand pane stops describing a library trial; back on the cards, the library's
        selected trial (if any) is shown again."""
        shown = self._page_shown()
        self.window.count_label.setVisible(not shown)
        if shown:
            self._describe_in_detail_pane()
        elif self.window.controller.selected_id:
            self.window.controller.select(self.window.controller.selected_id)
        else:
            self.window.detail.show_placeholder()

    def _describe_in_detail_pane(self) -> None:
        if not self._page_shown():
            return
        from tracker.ui.inbox_words import detail_pane_html

        view = self.view
        nct_id = view.current_id()
        card = view.model.card(nct_id) if nct_id else None
        title = view.model.title_text(card) if card else ""
        html = detail_pane_html(nct_id, title, view.model.rowCount(), view.item(nct_id))
        if nct_id:
            self.window.detail.show_inbox_study(html)
        else:
            self.window.detail.show_placeholder(html)

    def show_page(self) -> None:
        self.window.tabs.setCurrentIndex(self.page_index)
        self.window.tree.setCurrentItem(self.tree_entry())
        self.view.cards.setFocus()

    # -- loading and triage -----------------------------------------------------------------
    def _service(self, client=None):
        from tracker.services.discovery import DiscoveryService

        return DiscoveryService(self.context.library, client)

    def reload(self) -> None:
        dismissed = self.view.showing_dismissed

        def load():
            service = self._service()
            return service.items(), service.dismissed()[0] if dismissed else None

        self.runner.database("load inbox", load, on_result=self._on_items_loaded,
                             on_error=self._report_error)

    def _on_items_loaded(self, loaded: tuple) -> None:
        items, dismissed = loaded
        if dismissed is not None and not self.view.showing_dismissed:
            return  # toggled back meanwhile: the next load shows the inbox
        self.count = len(items)
        self.view.set_items(items if dismissed is None else dismissed)
        self._describe_in_detail_pane()
        self.window.tabs.setTabText(self.page_index, f"Inbox ({self.count})")
        self._put_tree_entry()
        self.inbox_loaded.emit(self.count)

    def accept(self, ids: list[str], watchlist: str = ""):
        """Add the studies from the registry (their whole records, as Add trial does) in a
        cancellable job; one the registry does not give is added as not synced yet."""
        if self._busy():
            return None
        titles = {i: self.view.model.card(i).title
                  for i in ids if self.view.model.card(i) is not None}
        def done(result) -> None:
            from tracker.ui.inbox_words import accepted_sentence

            self.job = None
            self.window.job_bar.stop()
            self.window.job_bar.label.setText(accepted_sentence(result, titles))
            self.window.job_bar.label.setToolTip(result.not_synced_text())
            self.window.controller.reload()
            self.reload()
            self.accepted.emit(result)

        return self._start_registry_job(
            "Adding from the inbox",
            lambda service, **job: service.accept(ids, watchlist or None, **job),
            done, ("study", "studies"))

    def _start_registry_job(self, label: str, call, on_result, nouns: tuple[str, str]):
        """`call(service, progress=…, cancel=…)` in a cancellable job with its own registry
        client, shown in the job bar counting `nouns`."""
        def run(progress, cancel):
            with self.context.make_client() as client:
                return call(self._service(client), progress=progress, cancel=cancel)

        self.job = self.runner.long_job(label, run, on_result=on_result,
                                        on_error=self._on_check_failed,
                                        on_progress=self.window.job_bar.progress)
        self.job.signals.finished.connect(self._on_check_done)
        self.window.job_bar.start(label, self.job, nouns)
        return self.job

    def _busy(self) -> bool:
        """Another registry job is running: say so (one job at a time)."""
        if self.job is not None or self.window.controller.job is not None:
            self.window.job_bar.show_error("Another registry job is running; wait for it or "
                                           "cancel it.")
            return True
        return False

    def dismiss(self, ids: list[str]) -> None:
        titles = {i: self.view.model.card(i).title
                  for i in ids if self.view.model.card(i) is not None}

        def done(_count: int) -> None:
            from tracker.ui.inbox_words import dismissed_sentence

            self.last_dismissed = list(ids)
            self._dismissed_titles = titles
            self.undo_dismiss_action.setEnabled(True)
            self.window.job_bar.label.setText(dismissed_sentence(ids, titles))
            self.reload()
            self.dismissed.emit(list(ids))

        self.runner.database("dismiss", lambda: self._service().dismiss(ids),
                             on_result=done, on_error=self._report_error)

    def restore(self, ids: list[str]) -> None:
        """Bring dismissed studies back to the inbox."""
        titles = self._dismissed_titles | {
            i: self.view.model.card(i).title for i in ids if self.view.model.card(i) is not None}

        def done(_count: int) -> None:
            from tracker.domain.words import listed, named_trial

            if set(ids) & set(self.last_dismissed):
                self.last_dismissed = []
                self.undo_dismiss_action.setEnabled(False)
            names = listed([named_trial(i, titles.get(i)) for i in ids], 3)
            self.window.job_bar.label.setText(f"Restored {names} to the inbox")
            self.reload()
            self.restored.emit(list(ids))

        self.runner.database("restore", lambda: self._service().restore(ids),
                             on_result=done, on_error=self._report_error)

    def undo_dismiss(self) -> None:
        if self.last_dismissed and not self.read_only:
            self.restore(self.last_dismissed)

    def _on_status_link(self, link: str) -> None:
        if link == "undo-dismiss":
            self.undo_dismiss()

    def show_dismissed(self) -> None:
        self.show_page()
        self.view.dismissed_button.setChecked(True)

    def set_modality(self, ids: list[str], modality: str) -> None:
        def change() -> None:
            service = self._service()
            for nct_id in ids:
                service.set_modality(nct_id, modality)

        self.runner.database("file inbox study", change, on_result=lambda _r: self.reload(),
                             on_error=self._report_error)

    # -- checking ---------------------------------------------------------------------------
    def check(self, names: list[str] | None = None):
        if self._busy():
            return None
        return self._start_registry_job(
            "Checking saved searches", lambda service, **job: service.check(names, **job),
            self._on_checked, ("saved search", "saved searches"))

    def sync_and_check(self) -> None:
        """Sync the library, then check the saved searches when the sync has finished."""
        if self.window.controller.sync(None) is not None:
            self._then_check = True

    def _on_sync_finished(self, _report) -> None:
        self.reload()  # a study added meanwhile (Add trial, say) leaves the inbox
        if self._then_check:
            self._then_check = False
            QTimer.singleShot(0, self.check)  # after the sync job has fully ended

    def _on_checked(self, report: CheckReport) -> None:
        self.job = None
        self.last_report = report
        bar = self.window.job_bar
        bar.stop()
        bar.label.setText(("⚠ " if not report.ok else "")
                          + report.headline(where_details=" (hover for details)"))
        bar.label.setToolTip("\n".join(report.lines()))  # every study that changed, and how
        self.reload()
        self.check_finished.emit(report)
        if report.library_left:  # as a sync into a moved file: said in a dialog too
            self.window.show_failure("Check not saved", report.library_left_sentence(), "",
                                     "\n".join(report.lines()))

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

        if getattr(self, "dialog", None) is not None and self.dialog.isVisible():
            self.dialog.raise_()
            return
        dialog = SavedSearchesDialog(self.context, self.runner, self, self.window,
                                     read_only=self.read_only)
        dialog.open()
        self.dialog = dialog

    def _report_error(self, error: Exception) -> None:
        from tracker.ui.controller import describe_error

        self.window.job_bar.show_error(describe_error(error))
