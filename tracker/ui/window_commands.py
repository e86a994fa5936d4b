"""What the window's menu and toolbar actions do (mixed into MainWindow)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import QMenu, QMessageBox

from tracker import APP_NAME, __version__
from tracker.domain.ids import is_nct_id
from tracker.ui.dialogs.failure import show_failure

REGISTRY_PAGE = "https://clinicaltrials.gov/study/{}"


class WindowCommands:
    """Slots of the actions built in window_menus; `self` is the MainWindow."""

    # -- library -----------------------------------------------------------------------------
    def _on_sync_all(self) -> None:
        self.controller.sync(None)

    def _on_sync_selected(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.controller.sync(ids)

    def _on_sync_shown(self) -> None:
        self.controller.sync(self.model.visible_ids())

    def _on_add_trial(self, typed: str = "") -> None:
        from tracker.ui.dialogs.add_trial import AddTrialDialog

        dialog = AddTrialDialog(self.context, self.runner, self)
        self.add_dialog = dialog
        if typed:
            dialog.ids_edit.setPlainText(typed)
        if dialog.exec() and dialog.chosen_ids:
            self.controller.add_trials(dialog.chosen_ids)

    def offer_add_again(self, ids: list[str]) -> None:
        """An Add that stopped (offline, say) loses nothing the user typed: once its failure
        dialog is closed, the Add dialog opens again with the ids it did not add."""
        if not ids:
            return
        typed = "\n".join(ids)
        box = getattr(self, "failure_box", None)
        if box is not None and box.isVisible():
            box.finished.connect(lambda _result: QTimer.singleShot(
                0, lambda: self._on_add_trial(typed)))
        else:
            QTimer.singleShot(0, lambda: self._on_add_trial(typed))

    def _on_remove_trials(self) -> None:
        """Remove the selected trials from the library, after asking: the question, read on
        the database thread, says what is lost and what adding them again brings back."""
        ids = self.selected_ids()
        if not ids:
            self.job_bar.show_error("Select the trials to remove first.")
            return
        # saved first: the question counts it, and the removal keeps it in the recovery file
        self.detail.notes.flush()
        self.controller.plan_removal(ids, self._ask_to_remove)

    def _ask_to_remove(self, plan) -> None:
        if ask(self, "Remove from library",
               f"Remove {plan.named()} from the library? {plan.consequences()}"):
            self.controller.remove_trials([trial.trial_id for trial in plan.trials])

    def _on_remove_from_list(self) -> None:
        """Delete key: take the selected cards off the watch list shown, after asking."""
        name = self.tree.current_criteria.get("watchlist_name")
        ids = self.selected_ids()
        if not name:
            self.job_bar.show_error("Delete removes trials from the watch list shown; open a "
                                    "watch list first (Library › Remove trial removes a trial "
                                    "from the library).")
            return
        if ids and ask(self, "Remove from watch list",
                       f"Remove {len(ids)} trial{'s' if len(ids) != 1 else ''} from “{name}”? "
                       f"{'It stays' if len(ids) == 1 else 'They stay'} in the library."):
            self.list_actions.remove_from(name, ids)

    def _on_open_registry(self) -> None:
        """Enter on a card: its page on ClinicalTrials.gov (local-only trials have none)."""
        index = self.cards.currentIndex()
        trial_id = self.model.data(index, self._id_role()) if index.isValid() else None
        if trial_id and is_nct_id(trial_id):
            QDesktopServices.openUrl(QUrl(REGISTRY_PAGE.format(trial_id)))
        elif trial_id:
            self.job_bar.show_error(f"{trial_id} has no ClinicalTrials.gov record to open.")

    @staticmethod
    def _id_role():
        from tracker.ui.trial_model import TrialRole

        return TrialRole.TRIAL_ID

    # -- edit --------------------------------------------------------------------------------
    def _on_preferences(self) -> None:
        from tracker.ui.dialogs.preferences import PreferencesDialog

        PreferencesDialog(self.context, self).exec()
        home = self.context.preferences.home_location
        self.near_box.update_home(home)
        self.detail.set_home(home)  # the nearest recruiting sites follow the home location

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

    def _on_select_all(self) -> None:
        self.cards.selectAll()
        self.cards.setFocus()

    def focus_search(self) -> None:
        self.search_box.setFocus()
        self.search_box.selectAll()

    def _on_cards_context_menu(self, position) -> None:
        menu = QMenu(self)
        menu.addActions([self.open_registry_action, self.copy_action, self.copy_citation_action,
                         self.copy_nlm_action, self.sync_selected_action])
        menu.addSeparator()
        self.list_actions.card_menu_section(menu, self.selected_ids())
        menu.addSeparator()
        menu.addAction(self.remove_trial_action)
        menu.exec(self.cards.viewport().mapToGlobal(position))

    # -- view --------------------------------------------------------------------------------
    def _on_toggle_detail(self, shown: bool) -> None:
        self.detail.setVisible(shown)

    # -- help --------------------------------------------------------------------------------
    def _on_shortcuts(self) -> QMessageBox:
        from tracker.ui.window_menus import shortcut_rows

        rows = "".join(f"<tr><td>{escape(menu)}</td><td>{escape(name)}</td>"
                       f"<td><b>{escape(keys)}</b></td></tr>"
                       for menu, name, keys in shortcut_rows(self))
        box = QMessageBox(QMessageBox.Icon.NoIcon, "Keyboard shortcuts",
                          f"<table cellspacing='4'>{rows}</table>", QMessageBox.StandardButton.Ok,
                          self)
        box.setObjectName("shortcutsDialog")
        box.open()
        return box

    def _on_open_data_folder(self) -> None:
        if self.data_dir is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.data_dir)))

    def about_text(self) -> str:
        library = getattr(self, "context", None)
        path = library.library.path if library else (self.data_dir or "not open")
        return (f"<h3>{APP_NAME} {escape(__version__)}</h3>"
                "<p>Clinical trials behind BCL-2 inhibitors, CAR-T cells and bispecific "
                "antibodies, from review articles and ClinicalTrials.gov.</p>"
                f"<p>Library: <code>{escape(str(path))}</code></p>")

    def _on_about(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_NAME}", self.about_text(),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("aboutDialog")
        box.open()
        return box

    # -- failures ----------------------------------------------------------------------------
    def show_failure(self, title: str, message: str, outcome: str, details: str) -> None:
        """A dialog for an action the user asked for; the status bar keeps its short line."""
        self.failure_box = show_failure(self, title, message, outcome, details)


def ask(parent, title: str, text: str) -> bool:
    """A Yes/No question; No is the default so Enter never deletes by accident."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text,
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, parent)
    box.setDefaultButton(QMessageBox.StandardButton.No)
    return box.exec() == QMessageBox.StandardButton.Yes
