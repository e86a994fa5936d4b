"""Notices what another program (the `tracker` CLI, a second window) changed in the library.

When the window is activated, and every few seconds while it is open, the database thread is
asked for `PRAGMA data_version` on its own connection: SQLite changes that number only when
another connection commits. An unchanged number costs one pragma and nothing is read; a
changed one reloads the cards, the tree's counts, the inbox and the selected trial's details,
the way the window does after its own sync (selection, scroll position and the note being
typed stay; a tag list being typed is not overwritten: the details wait until it is done).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QTimer

if TYPE_CHECKING:
    from collections.abc import Callable

    from tracker.ui.controller import LibraryController

CHECK_EVERY_MS = 5_000


class OutsideChanges(QObject):
    """Installed on the window: checks on activation and on a slow timer."""

    def __init__(self, window: QObject, controller: LibraryController,
                 typing_elsewhere: Callable[[], bool] = lambda: False,
                 other_job_running: Callable[[], bool] = lambda: False) -> None:
        super().__init__(window)
        self._controller = controller
        self._typing = typing_elsewhere  # the user is typing where a reload would overwrite
        self._other_job = other_job_running  # the window's own inbox job writes as well
        self._asking = False
        self._details_waiting = False
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_EVERY_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowActivate:
            self.check()
        return False

    def check(self) -> None:
        """Ask the database thread whether another connection committed since the cards
        were read. Nothing is asked while the window is loading or running its own job (it
        reloads when that ends)."""
        c = self._controller
        if self._details_waiting and not self._typing():
            self._details_waiting = False
            c.reload_details()
        if self._asking or self._busy() or c.seen_version is None:
            return
        self._asking = True
        c.runner.database("changed elsewhere?", c.library.database.data_version,
                          on_result=self._on_version, on_error=self._on_failed)

    def _on_version(self, version: int) -> None:
        self._asking = False
        c = self._controller
        if version == c.seen_version or self._busy():
            return
        typing = self._typing()
        self._details_waiting = typing
        c.reload_changed_elsewhere(details=not typing)

    def _busy(self) -> bool:
        """The window is loading or one of its own jobs (a sync, an inbox check or accept)
        is writing: what it writes is not a change made elsewhere."""
        c = self._controller
        return c.loading or c.job is not None or self._other_job()

    def _on_failed(self, _error: Exception) -> None:
        self._asking = False  # a library moved away says so on the next real read

    def stop(self) -> None:
        self.timer.stop()
