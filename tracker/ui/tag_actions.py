"""Tags in the library tree: rename and delete a tag on every trial (from its context menu)."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QInputDialog, QLineEdit, QMenu, QWidget

from tracker.services import tags as tag_service
from tracker.ui.controller import LibraryController
from tracker.ui.tree_criteria import replaced


class TagActions(QObject):
    def __init__(self, window: QWidget, controller: LibraryController) -> None:
        super().__init__(window)
        self.window = window
        self.controller = controller

    def tree_menu(self, criteria: dict, position) -> None:
        name = criteria.get("tag")
        if not name:
            return
        menu = QMenu(self.window)
        menu.addAction("Rename tag everywhere…", lambda: self.rename(name))
        menu.addAction("Delete tag everywhere…", lambda: self.delete(name))
        menu.exec(position)

    def rename(self, name: str, new_name: str | None = None) -> None:
        if new_name is None:
            new_name, ok = QInputDialog.getText(
                self.window, "Rename tag", f"New name for “{name}” on every trial:",
                QLineEdit.EchoMode.Normal, name)
            if not ok or new_name.strip() == name:
                return
        self.controller.change_tags(tag_service.rename_tag, name, new_name,
                                    title="Rename tag failed", on_done=lambda _n: self._follow(
                                        name, " ".join(new_name.split())))

    def delete(self, name: str, confirm: bool = True) -> None:
        from tracker.ui.window_commands import ask

        count = self.window.tree.tag_count(name)
        if confirm and not ask(self.window, "Delete tag",
                               f"Remove the tag “{name}” from {count} trial"
                               f"{'s' if count != 1 else ''}? The trials stay."):
            return
        self.controller.change_tags(tag_service.delete_tag, name, title="Delete tag failed")

    def _follow(self, old: str, new: str) -> None:
        """The renamed tag was the one shown: keep showing it under its new name."""
        tree = self.window.tree
        if tree.current_criteria.get("tag") == old:
            tree.choose(replaced(tree.current_criteria, {"tag": old}, {"tag": new}))
