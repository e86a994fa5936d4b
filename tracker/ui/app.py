"""Start the desktop app: one QApplication, one context, one main window."""

from __future__ import annotations

import gc
import logging
import os
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from tracker import APP_NAME, __version__
from tracker.paths import resolve_data_dir
from tracker.ui.main_window import MainWindow
from tracker.ui.resources import icon, style_sheet

log = logging.getLogger(__name__)
SELF_TEST_TIMEOUT_MS = 20_000
STARTUP_FAILED = 3  # exit status when the window could not open its library
STARTUP_REFUSED = 2  # a start-up setting makes the window unable to choose its library


def tune_garbage_collector() -> None:
    """Collect cycles less often. A full collection stops every thread while it walks all
    objects; with CPython's defaults a sync's parsing triggers one every few seconds and the
    window stalls for 50-70 ms each time. Almost all of our garbage is freed by reference
    counting anyway (records, rows and pages hold no cycles)."""
    gc.set_threshold(50_000, 50, 100)


def make_application(argv: list[str] | None = None) -> QApplication:
    tune_garbage_collector()
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName("TrialTracker")
    app.setWindowIcon(icon("app"))
    app.setStyleSheet(style_sheet())
    return app


def run_app(data_dir: str | None = None, api_url: str | None = None,
            self_test: bool = False, url_problem: str | None = None) -> int:
    """`url_problem`: why `--api-url` or $TRACKER_API_URL cannot be used (the line the
    terminal printed). The window opens anyway, syncs with the address in Preferences and
    shows the line: the library is readable offline whatever the registry address."""
    if self_test:
        return run_self_test()
    app = make_application()
    folder = resolve_data_dir(data_dir)

    def make_context():
        from tracker.context import build_context

        if url_problem:
            return build_context(folder, None, api_url_from_environment=False)
        return build_context(folder, api_url)

    failures: list[Exception] = []

    def failed(error: Exception) -> None:
        failures.append(error)
        QMessageBox.critical(window, APP_NAME,
                             f"Trial Tracker cannot open its library in {folder}:\n\n{error}\n\n"
                             "Nothing was changed. Check that the folder exists and is writable, "
                             "or start with --data-dir pointing at another folder.")
        window.close()

    window = MainWindow.open_deferred(folder, make_context, failed)
    window.url_problem = url_problem
    code = app.exec()
    if failures:
        code = code or STARTUP_FAILED
    # A request that was in flight when the window closed ends within its read timeout;
    # wait for it (the window is already gone) so the library closes after the last write.
    window.runner.shutdown(network_wait_ms=60_000)
    if hasattr(window, "context"):
        window.context.close()
    return code


def refuse_start(problem: str) -> int:
    """A start-up setting that leaves no library to open (an empty $TRACKER_DATA_DIR, a folder
    name too long for the file system): the line the terminal printed, in a dialog, since a
    desktop-icon start has no terminal. Nothing was opened or changed."""
    make_application()
    box = QMessageBox(QMessageBox.Icon.Critical, APP_NAME, f"Trial Tracker cannot start: {problem}")
    box.setInformativeText("Nothing was opened or changed.")
    box.exec()
    return STARTUP_REFUSED


def wait_until_loaded(window: MainWindow, timeout_ms: int = SELF_TEST_TIMEOUT_MS) -> bool:
    """Spin the event loop until the first filter result has been shown."""
    return _wait_for(lambda: window.controller.shown_request > 0, timeout_ms)


def run_self_test() -> int:
    """Start the window the way the app does (frame, panes, library) offscreen on a
    temporary library, wait for its cards, paint it once, and exit."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = make_application()
    from tracker.context import build_context

    failures: list[Exception] = []
    with tempfile.TemporaryDirectory(prefix="tracker-self-test-") as folder:
        window = MainWindow.open_deferred(Path(folder), lambda: build_context(Path(folder)),
                                          failures.append)
        loaded = _wait_for(lambda: bool(failures) or (
            hasattr(window, "controller") and window.controller.shown_request > 0))
        image = window.grab()
        shown = window.model.rowCount() if window.is_built else 0
        window.close()
        app.processEvents()
        if hasattr(window, "context"):
            window.context.close()
    if failures or not loaded or shown == 0 or image.isNull():
        print(f"self-test FAILED: loaded={loaded} cards={shown} errors={failures}",
              file=sys.stderr)
        return 1
    print(f"self-test ok: {APP_NAME} {__version__}, {shown} trials shown")
    return 0


def _wait_for(condition, timeout_ms: int = SELF_TEST_TIMEOUT_MS) -> bool:
    """Spin the event loop until `condition()` holds (checked every 10 ms) or time runs out."""
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: loop.quit() if condition() else None)
    timer.start()
    QTimer.singleShot(timeout_ms, loop.quit)
    if not condition():
        loop.exec()
    timer.stop()
    return condition()
