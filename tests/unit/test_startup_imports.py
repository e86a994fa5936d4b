"""What the window imports before its first paint: no pydantic, no models, no HTTP stack.

The window paints first and opens the library afterwards; every module pulled in before the
paint delays it (pydantic and the models alone cost ~150 ms on the development machine).
"""

from __future__ import annotations

import os
import subprocess
import sys

HEAVY = ("pydantic", "tracker.domain.models", "tracker.domain.metrics", "tracker.domain.diseases",
         "requests", "sqlite_utils")


def test_the_main_window_module_imports_nothing_heavy():
    code = ("import sys, tracker.ui.app, tracker.ui.main_window\n"
            f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    assert done.stdout.strip() == ""


FRAME_ONLY = ("tracker.ui.window_layout", "tracker.ui.card_delegate", "tracker.ui.detail_pane",
              "tracker.ui.library_tree", "tracker.store")


def test_the_first_frame_needs_none_of_the_panes():
    """The app's start paints its frame before it imports the panes (about 150 ms of Qt
    enumerations, widgets and fonts): building the frame imports none of them, nor the
    library."""
    code = ("import sys\n"
            "from PySide6.QtWidgets import QApplication\n"
            "from tracker.ui.app import make_application\n"
            "from tracker.ui.main_window import MainWindow\n"
            "app = make_application()\n"
            "window = MainWindow(build=False)\n"
            "window.show()\n"
            f"print(','.join(m for m in {FRAME_ONLY + HEAVY!r} if m in sys.modules))")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env, timeout=60, check=True)
    assert done.stdout.strip() == ""


def test_reading_the_library_from_the_command_line_imports_no_http_stack():
    """`tracker list` and `tracker show` read the file only: no requests, no exporters."""
    code = ("import sys, tracker.cli.commands, tracker.cli.parser, tracker.services.details\n"
            "print(','.join(m for m in ('requests', 'urllib3', 'tracker.services.exports', "
            "'openpyxl') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert done.stdout.strip() == ""
