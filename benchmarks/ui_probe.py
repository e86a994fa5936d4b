"""One measured run of the window (used by ui_bench.py in a fresh process per library size).

    python -m benchmarks.ui_probe bare|window DATA_DIR START_NS [API_URL]

Prints one JSON line of measurements. START_NS is time.time_ns() taken by the parent just
before starting this process, so "first paint" includes interpreter and Qt start-up.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
if os.environ.get("UI_PROBE_NOGC"):
    import gc
    gc.disable()


NARROW_TERM = "venetoclax"  # a drug a few percent of the realistic library mentions
BROAD_TERM = "study"  # in every realistic trial's official title
HALF_TERM = "lymphoma"  # about half of the realistic library


def _since(start_ns: int) -> float:
    return (time.time_ns() - start_ns) / 1e6


class _PaintWatch:
    """Notes when a main window first receives a Paint event (an application-wide filter,
    installed before the window exists, the same way for the bare window and the app)."""

    def __init__(self, app, start_ns: int) -> None:
        from PySide6.QtCore import QEvent, QObject
        from PySide6.QtWidgets import QMainWindow

        self.painted: list[float] = []
        paint, painted = QEvent.Type.Paint, self.painted

        class Watcher(QObject):
            def eventFilter(self, obj, event):
                if not painted and event.type() == paint and isinstance(obj, QMainWindow):
                    painted.append(_since(start_ns))
                return False

        self._watcher = Watcher()
        self._app = app
        app.installEventFilter(self._watcher)

    def wait(self) -> float:
        _wait(self._app, lambda: bool(self.painted))
        self._app.removeEventFilter(self._watcher)
        return self.painted[0]


def run_bare(start_ns: int) -> dict:
    from PySide6.QtWidgets import QApplication, QMainWindow

    app = QApplication(sys.argv[:1])
    watch = _PaintWatch(app, start_ns)
    window = QMainWindow()
    window.resize(1400, 860)
    window.show()
    return {"first_paint_ms": watch.wait()}


def run_window(data_dir: str, start_ns: int, api_url: str | None) -> dict:
    """The way `tracker` starts (MainWindow.open_deferred): the window's frame paints, its
    panes are built after that while the library opens on the database thread."""
    from pathlib import Path

    from tracker.ui.app import make_application
    from tracker.ui.main_window import MainWindow
    from tracker.ui.window_state import PREFERRED_SIZE

    app = make_application()

    def make_context():
        from tracker.context import build_context

        return build_context(data_dir, api_url=api_url)

    def failed(error: Exception) -> None:
        sys.exit(f"cannot open the library: {error}")

    # every run starts as a first start, at the bare window's size: the window.ini a
    # previous run saved (clamped to the offscreen screen) would make it smaller
    (Path(data_dir) / "window.ini").unlink(missing_ok=True)
    watch = _PaintWatch(app, start_ns)
    window = MainWindow.open_deferred(Path(data_dir), make_context, failed)
    if (window.width(), window.height()) != PREFERRED_SIZE:  # the screen must be desk-sized
        sys.exit(f"the window is {window.width()}x{window.height()}, not {PREFERRED_SIZE}")
    result = {"first_paint_ms": watch.wait()}
    _wait(app, lambda: window.is_built)
    window.repaint()
    result["window_built_ms"] = _since(start_ns)  # panes, toolbar and menus painted
    _wait(app, lambda: hasattr(window, "context"))
    context = window.context
    _wait(app, lambda: window.model.rowCount() > 0)
    window.cards.viewport().repaint()
    result["cards_shown_ms"] = _since(start_ns)  # the first screenful is painted
    _wait(app, lambda: window.controller.shown_request > 0)
    window.cards.viewport().repaint()
    result["all_cards_ms"] = _since(start_ns)  # every card loaded, searchable and scrollable
    result["cards"] = window.model.rowCount()
    # each search follows a cleared one, at once: the list has just been reset to every card
    for name, text in (("narrow", NARROW_TERM), ("broad", BROAD_TERM), ("half", HALF_TERM)):
        result[f"search_{name}_ms"] = _search_ms(app, window, text)
        result[f"search_{name}_cards"] = window.model.rowCount()
        result[f"clear_after_{name}_ms"] = _search_ms(app, window, "")
    result["keypress_search_ms"] = _keypress_search_ms(app, window, NARROW_TERM)
    result["keypress_search_cards"] = window.model.rowCount()
    result["scroll_end_ms"] = _scroll_ms(app, window)
    if api_url:
        result["heartbeat_max_gap_ms"] = _heartbeat_during_sync(app, window)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    window.close()
    context.close()
    return result


def _wait(app, condition, timeout: float = 120.0) -> None:
    """Idle in a real event loop, as the app does, until `condition` holds; a 1 ms timer
    looks. (Polling processEvents instead runs Qt's deferred work in a different order and
    once hid a search waiting behind a batched layout.)"""
    from PySide6.QtCore import QEventLoop, QTimer

    if condition():
        return
    loop = QEventLoop()
    deadline = time.monotonic() + timeout
    timed_out: list[bool] = []

    def look() -> None:
        if condition():
            loop.quit()
        elif time.monotonic() > deadline:
            timed_out.append(True)
            loop.quit()

    timer = QTimer()
    timer.setInterval(1)
    timer.timeout.connect(look)
    timer.start()
    loop.exec()
    timer.stop()
    if timed_out:
        raise TimeoutError("the window did not get there in time")


def _search_ms(app, window, text: str) -> float:
    """From the search request (after the typing pause) to the repainted list."""
    controller = window.controller
    start = time.perf_counter()
    controller.set_search(text)
    target = controller._request
    _wait(app, lambda: controller.shown_request == target)
    window.cards.viewport().repaint()
    return (time.perf_counter() - start) * 1000


def _keypress_search_ms(app, window, text: str) -> float:
    """Real key events into the search box; from the last key press to the repainted list,
    the typing pause included."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    controller = window.controller
    box = window.search_box
    box.setFocus()
    box.clear()
    _wait(app, lambda: not window._search_timer.isActive())
    _wait_for_shown(app, controller)
    before = controller.shown_request
    QTest.keyClicks(box, text[:-1])
    start = time.perf_counter()
    QTest.keyClick(box, text[-1], Qt.KeyboardModifier.NoModifier)
    _wait(app, lambda: controller.shown_request > before and not window._search_timer.isActive()
          and controller.shown_request == controller._request)
    window.cards.viewport().repaint()
    return (time.perf_counter() - start) * 1000


def _wait_for_shown(app, controller) -> None:
    _wait(app, lambda: controller.shown_request == controller._request)


def _scroll_ms(app, window) -> float:
    _settle_layout(app, window)
    window.cards.scrollToTop()
    window.cards.viewport().repaint()
    start = time.perf_counter()
    window.cards.scrollToBottom()
    window.cards.viewport().repaint()
    return (time.perf_counter() - start) * 1000


def _settle_layout(app, window) -> None:
    """Let a batched layout finish: the scroll range stops growing."""
    bar = window.cards.verticalScrollBar()
    last, stable = -1, 0
    while stable < 20:
        app.processEvents()
        stable = stable + 1 if bar.maximum() == last else 0
        last = bar.maximum()
        time.sleep(0.001)


def _heartbeat_during_sync(app, window) -> float:
    from PySide6.QtCore import QTimer

    beats: list[float] = []
    timer = QTimer()
    timer.setInterval(10)
    timer.timeout.connect(lambda: beats.append(time.perf_counter()))
    timer.start()
    finished: list[object] = []
    window.controller.job_finished.connect(finished.append)
    window.controller.error_raised.connect(finished.append)
    started = time.perf_counter()
    window.controller.sync(None)
    _wait(app, lambda: bool(finished), timeout=600)
    ended = time.perf_counter()
    settle_until = ended + 1.0  # the refresh after the sync counts too
    _wait(app, lambda: time.perf_counter() > settle_until)
    timer.stop()
    gaps = sorted(((b - a) * 1000, a - started) for a, b in zip(beats, beats[1:], strict=False))
    if os.environ.get("UI_PROBE_VERBOSE"):
        print(f"sync took {ended - started:.2f} s; longest gaps (ms, at s): "
              f"{[(round(g), round(at, 2)) for g, at in gaps[-5:]]}", file=sys.stderr)
    return gaps[-1][0] if gaps else float("nan")


def main() -> None:
    mode, *rest = sys.argv[1:]
    if mode == "bare":
        result = run_bare(int(rest[0]))
    else:
        data_dir, start_ns, *api = rest
        result = run_window(data_dir, int(start_ns), api[0] if api else None)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
