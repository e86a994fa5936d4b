"""Run service calls off the GUI thread, with progress, cancellation and results as signals.

Database work goes through a one-thread pool (SQLite work is serialised; each worker thread has
its own connection). Network work goes through its own pool so a slow registry never delays a
search. Handles stay referenced until they finish.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

log = logging.getLogger(__name__)


class TaskSignals(QObject):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception
    finished = Signal()


class TaskHandle:
    """A running task: cancel it, or listen to its signals."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.cancel_event = threading.Event()
        self.signals = TaskSignals()
        self.done = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    @property
    def cancelled(self) -> bool:
        return self.cancel_event.is_set()


class _Job(QRunnable):
    def __init__(self, handle: TaskHandle, call: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(True)
        self._handle = handle
        self._call = call

    def run(self) -> None:  # runs on a pool thread
        signals = self._handle.signals
        try:
            result = self._call()
        except Exception as error:
            log.debug("task %s failed", self._handle.name, exc_info=True)
            signals.failed.emit(error)
        else:
            signals.succeeded.emit(result)
        finally:
            self._handle.done.set()
            signals.finished.emit()


class TaskRunner(QObject):
    """Owns the thread pools and every running handle."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._db_pool = QThreadPool(self)
        self._db_pool.setMaxThreadCount(1)
        self._net_pool = QThreadPool(self)
        self._net_pool.setMaxThreadCount(2)
        # The pool threads live as long as the window: each thread keeps one SQLite
        # connection (a warm page cache, a stable `PRAGMA data_version`); by default an idle
        # thread ends after 30 s and its successor opens another connection.
        for pool in (self._db_pool, self._net_pool):
            pool.setExpiryTimeout(-1)
        self._running: set[TaskHandle] = set()
        self._stopped = threading.Event()

    def database(self, name: str, fn: Callable[..., Any], *args: Any,
                 on_result: Callable[[Any], None] | None = None,
                 on_error: Callable[[Exception], None] | None = None) -> TaskHandle:
        """Run `fn(*args)` on the database thread."""
        return self._submit(self._db_pool, name, lambda h: fn(*args), on_result, on_error)

    def long_job(self, name: str, fn: Callable[..., Any], *args: Any,
                 on_result: Callable[[Any], None] | None = None,
                 on_error: Callable[[Exception], None] | None = None,
                 on_progress: Callable[[int, int], None] | None = None) -> TaskHandle:
        """Run `fn(*args, progress=..., cancel=...)` on the network pool."""
        handle = self._submit(
            self._net_pool, name,
            lambda h: fn(*args, progress=h.signals.progressed.emit, cancel=h.cancel_event),
            on_result, on_error, start=False)
        if on_progress:
            handle.signals.progressed.connect(on_progress)
        self._start(self._net_pool, handle)
        return handle

    def _submit(self, pool: QThreadPool, name: str, call: Callable[[TaskHandle], Any],
                on_result, on_error, start: bool = True) -> TaskHandle:
        handle = TaskHandle(name)
        handle._job = _Job(handle, lambda: call(handle))
        stopped = self._stopped
        # After shutdown the window is going away: answers still queued are dropped instead of
        # reaching widgets that are being deleted.
        if on_result:
            handle.signals.succeeded.connect(
                lambda result: None if stopped.is_set() else on_result(result))
        if on_error:
            handle.signals.failed.connect(
                lambda error: None if stopped.is_set() else on_error(error))
        handle.signals.finished.connect(lambda: self._running.discard(handle))
        self._running.add(handle)
        if start:
            self._start(pool, handle)
        return handle

    def _start(self, pool: QThreadPool, handle: TaskHandle) -> None:
        job = handle._job
        del handle._job
        pool.start(job)

    @property
    def running(self) -> list[TaskHandle]:
        return list(self._running)

    def shutdown(self, network_wait_ms: int = 5000) -> bool:
        """Cancel everything; wait for database work to finish (a note save must land) and
        for network jobs up to `network_wait_ms`. True when everything has stopped."""
        self._stopped.set()
        for handle in list(self._running):
            handle.cancel()
        self._db_pool.waitForDone()
        return self._net_pool.waitForDone(network_wait_ms)
