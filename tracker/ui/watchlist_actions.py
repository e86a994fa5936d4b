"""Watch-list actions of the window: menus, dialogs, drag and drop, export and import."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox, QWidget

from tracker.domain import users_today
from tracker.services import watchlists as lists
from tracker.ui.controller import LibraryController
from tracker.ui.dialogs.watchlist_dialogs import ExportDialog, ListDetailsDialog

LAST_EXPORT_FOLDER = "last_export_folder"


class WatchListActions(QObject):
    def __init__(self, window: QWidget, controller: LibraryController) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller

    # -- lists -----------------------------------------------------------------------------
    def new_list(self, then_add: list[str] | None = None,
                 typed: tuple | None = None, problem: str = "") -> None:
        """`typed`, `problem`: what was typed last time and why the store refused it (the
        dialog opens again with them: nothing typed is lost)."""
        dialog = ListDetailsDialog(parent=self.window, lists=self.window.watchlists())
        if typed is not None:
            dialog.restore(typed, problem)
        if not dialog.exec():
            return
        name, description, date = values = dialog.values

        def created(_wl) -> None:
            if then_add:
                self.add_to(name, then_add)

        self.controller.change_lists(
            lists.create_list, name, description, date, on_done=created,
            on_error=self._again(lambda problem: self.new_list(then_add, values, problem)))

    def _again(self, reopen):
        """An `on_error` that opens the dialog again with what was typed and the store's
        words (the last word on a name: another program may have taken it meanwhile); after
        the failing job's slot has returned, not inside it."""
        from tracker.ui.controller import describe_error

        return lambda error: QTimer.singleShot(0, self, lambda: reopen(describe_error(error)))

    def add_selected(self) -> None:
        """Library › Add to watch list… (Ctrl+L): the selected cards onto a chosen list, or
        onto a new one."""
        from PySide6.QtWidgets import QInputDialog

        selected = self.window.selected_ids()
        if not selected:
            self.window.job_bar.show_error("Select the trials to add to a watch list first.")
            return
        new = "New watch list…"
        names = [wl.name for wl in self.window.watchlists()]
        chosen, ok = QInputDialog.getItem(
            self.window, "Add to watch list",
            f"Add {len(selected)} trial{'s' if len(selected) != 1 else ''} to:",
            [*names, new], 0, False)
        if not ok:
            return
        if chosen == new:
            self.new_list(then_add=selected)
        else:
            self.add_to(chosen, selected)

    def edit_list(self, name: str, typed: tuple | None = None, problem: str = "") -> None:
        current = next((w for w in self.window.watchlists() if w.name == name), None)
        dialog = ListDetailsDialog(current, self.window, lists=self.window.watchlists())
        if typed is not None:
            dialog.restore(typed, problem)
        if dialog.past_meetings is not None:
            dialog.past_meetings.forget_confirmed.connect(
                lambda day: self._forget_meeting(name, day, dialog.past_meetings))
        if dialog.exec():
            new_name, description, date = values = dialog.values
            held_today = current is not None and current.replaces_todays_meeting(
                date, users_today())
            self.controller.change_lists(
                lists.edit_list, name, new_name, description, date,
                on_done=lambda wl: self._say_held_today(wl, current) if held_today else None,
                on_error=self._again(lambda problem: self.edit_list(name, values, problem)))

    def _say_held_today(self, edited, before) -> None:
        """The meeting of today was archived as held when its date was replaced: say so, and
        how to undo it if it did not take place."""
        self.controller.error_raised.emit(
            f"Today's meeting ({before.meeting_date.isoformat()}) is recorded as held: the next "
            f"handout counts changes from it. If it did not take place, use Forget… in the "
            f"dialog of “{edited.name}”.")

    def _forget_meeting(self, name: str, day, box) -> None:
        """Forget a past meeting the user confirmed in the list's dialog (on the database
        thread, as every list change); the dialog shows the list's meetings as they are now."""
        from tracker.ui.controller import describe_error

        self.controller.change_lists(
            lists.forget_meeting, name, day, on_done=box.show_meetings,
            on_error=lambda error: box.show_failure(describe_error(error)))

    def delete_list(self, name: str, confirm: bool = True) -> None:
        if confirm:
            answer = QMessageBox.question(
                self.window, "Delete watch list",
                f"Delete the watch list “{name}”? Its trials stay in the library.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.controller.change_lists(lists.delete_list, name)

    def add_to(self, name: str, trial_ids: list[str]) -> None:
        if trial_ids:
            self.controller.change_lists(lists.add_to_list, name, trial_ids)

    def remove_from(self, name: str, trial_ids: list[str]) -> None:
        if trial_ids:
            self.controller.change_lists(lists.remove_from_list, name, trial_ids)

    def move(self, name: str, trial_ids: list[str], offset: int) -> None:
        if trial_ids:
            self.controller.change_lists(lists.move_in_list, name, trial_ids, offset)

    # -- export / import -------------------------------------------------------------------
    def export(self, name: str | None = None) -> ExportDialog | None:
        dialog = ExportDialog(self.window.watchlists(), name, self.window,
                              self._last_export_folder())
        if not dialog.exec():
            return None
        self.controller.export(dialog.list_name, dialog.fmt, dialog.path, since=dialog.since,
                               include_notes=dialog.notes_box.isChecked(),
                               on_done=self._exported)
        return dialog

    def _exported(self, path) -> None:
        self.window.job_bar.label.setText(f"Exported {path}")
        settings = self.window.settings  # window.ini in the data folder: kept across restarts
        if settings is not None:
            settings.setValue(LAST_EXPORT_FOLDER, str(Path(path).parent))
            settings.sync()

    def _last_export_folder(self) -> Path | None:
        settings = self.window.settings
        value = settings.value(LAST_EXPORT_FOLDER) if settings is not None else None
        return Path(value) if isinstance(value, str) and value else None

    def import_file(self, path: Path | None = None) -> None:
        if path is None:
            chosen, _ = QFileDialog.getOpenFileName(self.window, "Import a watch list", "",
                                                    "Trial Tracker list (*.json)")
            if not chosen:
                return
            path = Path(chosen)
        self.controller.import_file(path, on_done=lambda report:
                                    self.window.job_bar.label.setText(report.summary()))

    # -- menus -----------------------------------------------------------------------------
    def tree_menu(self, criteria: dict, position) -> None:
        menu = QMenu(self.window)
        name = criteria.get("watchlist_name")
        if name:
            menu.addAction("Edit name, description, meeting date…", lambda: self.edit_list(name))
            menu.addAction("Export…", lambda: self.export(name))
            menu.addAction("Sync this list", lambda: self.controller.sync(
                list(next(w for w in self.window.watchlists() if w.name == name).trial_ids)))
            menu.addSeparator()
            menu.addAction("Delete…", lambda: self.delete_list(name))
        menu.addAction("New watch list…", self.new_list)
        menu.exec(position)

    def card_menu_section(self, menu: QMenu, selected: list[str]) -> None:
        add_menu = menu.addMenu("Add to watch list")
        for wl in self.window.watchlists():
            add_menu.addAction(wl.name, lambda n=wl.name: self.add_to(n, selected))
        add_menu.addSeparator()
        add_menu.addAction("New watch list…", lambda: self.new_list(then_add=selected))
        current = self.window.tree.current_criteria.get("watchlist_name")
        if current:
            menu.addAction(f"Remove from “{current}”", lambda: self.remove_from(current, selected))
            menu.addAction("Move up", lambda: self.move(current, selected, -1))
            menu.addAction("Move down", lambda: self.move(current, selected, 1))
