"""PySide6 6.12.0 wheels crash CPython 3.11 after a few thousand void Qt calls (none_dealloc).

The dependency is pinned by environment marker; this test makes 100,000 void calls in a fresh
interpreter and checks that it exits cleanly with the installed build.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QObject, QTimer, QCoreApplication
    app = QCoreApplication(sys.argv)
    timer = QTimer()
    owner = QObject()
    for i in range(100_000):
        timer.setInterval(i % 1000)   # void
        owner.setObjectName("x")      # void
        timer.stop()                  # void
    print("ok", timer.interval())
""")


def test_100k_void_qt_calls_exit_cleanly():
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "ok 999"
    assert "none_dealloc" not in done.stderr


def test_installed_pyside6_matches_the_marker_for_this_python():
    import PySide6

    major_minor = tuple(int(p) for p in PySide6.__version__.split(".")[:2])
    if sys.version_info < (3, 12):
        assert PySide6.__version__ == "6.11.3"
    else:
        assert major_minor >= (6, 12)
