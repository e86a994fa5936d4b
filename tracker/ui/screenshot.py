"""Render the main window offscreen to PNG files (for the README and for reviewing UI changes).

    python -m tracker.ui.screenshot OUT_DIR [--data-dir DIR] [--select NCT…] [--search TEXT]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser(prog="python -m tracker.ui.screenshot")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--select", default="NCT02993523")
    parser.add_argument("--search", default="")
    parser.add_argument("--size", default="1500x900")
    args = parser.parse_args(argv)
    from tracker.context import build_context
    from tracker.ui.app import make_application, wait_until_loaded
    from tracker.ui.main_window import MainWindow

    app = make_application()
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="tracker-shot-"))
    context = build_context(folder)
    window = MainWindow(context)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    wait_until_loaded(window)
    _select(app, window, args.select)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(args.out_dir / "main-window.png"))
    if args.search:
        window.search_box.setText(args.search)
        _settle(app, 800)
        window.grab().save(str(args.out_dir / "search.png"))
    window.tabs.setCurrentIndex(1)
    _settle(app, 300)
    window.grab().save(str(args.out_dir / "timeline.png"))
    window.close()
    context.close()
    return 0


def _select(app, window, trial_id: str) -> None:
    row = window.model.row_of(trial_id)
    if row is not None:
        window.cards.setCurrentIndex(window.model.index(row))
        window.cards.scrollTo(window.model.index(row))
    _settle(app, 600)


def _settle(app, ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


if __name__ == "__main__":
    raise SystemExit(main())
