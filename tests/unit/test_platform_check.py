"""Starting the window on a machine without Qt's system libraries or without a display.

The checks ask the real dynamic loader. A missing library is made real by copying Qt's xcb
plugin and renaming one of its DT_NEEDED entries to a soname no machine has; the copy sits in a
PySide6 folder that shadows the installed one for a `tracker` run in a subprocess.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import PySide6
import pytest

from tests.conftest import REPO_ROOT
from tracker.ui.elf_needed import NotAnElfFile, needed_libraries
from tracker.ui.platform_check import (
    DEBIAN_PACKAGES,
    FEDORA_PACKAGES,
    missing_libraries,
    platforms_qt_would_try,
    startup_problem,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux loader")

REAL_QT = Path(PySide6.__file__).parent / "Qt"
PLATFORMS = REAL_QT / "plugins" / "platforms"
REAL_SONAME = b"libxcb-cursor.so.0"
MADE_UP_SONAME = b"libtt-nowhere.so.0"  # same length, so the string table keeps its layout


def _patched_xcb_plugin(folder: Path) -> Path:
    data = (PLATFORMS / "libqxcb.so").read_bytes()
    assert REAL_SONAME in data, "Qt's xcb plugin no longer needs libxcb-cursor: pick another"
    folder.mkdir(parents=True, exist_ok=True)
    plugin = folder / "libqxcb.so"
    plugin.write_bytes(data.replace(REAL_SONAME, MADE_UP_SONAME))
    return plugin


def _shadow_pyside(tmp_path: Path, xcb_plugin_from: Path | None) -> Path:
    """A PySide6 package with Qt's real libraries and our own xcb plugin (or none)."""
    site = tmp_path / "site"
    (site / "PySide6" / "Qt" / "plugins" / "platforms").mkdir(parents=True)
    (site / "PySide6" / "__init__.py").write_text("")
    (site / "PySide6" / "Qt" / "lib").symlink_to(REAL_QT / "lib")
    if xcb_plugin_from is not None:
        target = site / "PySide6" / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        target.write_bytes(xcb_plugin_from.read_bytes())
    return site


def _run_tracker(tmp_path: Path, site: Path | None, **env: str) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items()
               if k not in {"DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE",
                            "PYTHONPATH"}}
    if site is not None:
        environ["PYTHONPATH"] = str(site)
    environ.update(env, TRACKER_DATA_DIR=str(tmp_path / "data"))
    return subprocess.run([sys.executable, "-m", "tracker"], env=environ, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120, check=False)


def test_the_elf_reader_lists_what_the_plugin_needs(tmp_path):
    needed = needed_libraries(PLATFORMS / "libqxcb.so")
    assert {"libQt6Gui.so.6", "libxcb.so.1", REAL_SONAME.decode()} <= set(needed)
    patched = needed_libraries(_patched_xcb_plugin(tmp_path))
    assert MADE_UP_SONAME.decode() in patched and REAL_SONAME.decode() not in patched
    (tmp_path / "not-elf.so").write_bytes(b"#!/bin/sh\n" * 10)
    with pytest.raises(NotAnElfFile):
        needed_libraries(tmp_path / "not-elf.so")


def test_the_loader_finds_what_is_missing_and_nothing_when_all_loads(tmp_path):
    plugin = _patched_xcb_plugin(tmp_path)
    assert MADE_UP_SONAME.decode() in missing_libraries([plugin], [REAL_QT / "lib"])
    # the offscreen plugin is what the whole UI suite runs on, so its libraries do load here
    assert missing_libraries([PLATFORMS / "libqoffscreen.so"], [REAL_QT / "lib"]) == []
    assert missing_libraries([tmp_path / "absent.so"], [REAL_QT / "lib"]) is None


def test_tracker_names_the_missing_library_and_how_to_install_it(tmp_path):
    site = _shadow_pyside(tmp_path, _patched_xcb_plugin(tmp_path / "plugin"))
    result = _run_tracker(tmp_path, site, DISPLAY=":93")
    assert result.returncode == 1
    first, *rest = result.stderr.splitlines()
    assert first.startswith("tracker: cannot open the window: Qt's xcb platform plugin needs")
    assert MADE_UP_SONAME.decode() in first
    assert f"  Debian/Ubuntu: sudo apt-get install {DEBIAN_PACKAGES}" in rest
    assert f"  Fedora: sudo dnf install {FEDORA_PACKAGES}" in rest
    assert "Traceback" not in result.stderr and "qt.qpa" not in result.stderr
    assert result.stdout == ""
    assert not (tmp_path / "data").exists(), "nothing is written when the window cannot open"


def test_without_a_display_tracker_says_so_in_one_line(tmp_path):
    result = _run_tracker(tmp_path, None)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        ("tracker: cannot open the window: no display (DISPLAY and WAYLAND_DISPLAY are not set); "
         "start it from a desktop session, or use its commands (tracker --help)")]


def _unused_display() -> str:
    """An X display number nothing listens on here (a test machine may run Xvfb servers)."""
    taken = {p.name for p in Path("/tmp/.X11-unix").glob("X*")}
    return next(f":{n}" for n in range(93, 200) if f"X{n}" not in taken)


def test_an_x_display_that_does_not_answer_is_one_line_not_a_qt_abort(tmp_path):
    # a plugin whose libraries all load (the offscreen one) stands in for a complete xcb setup
    site = _shadow_pyside(tmp_path, PLATFORMS / "libqoffscreen.so")
    display = _unused_display()
    result = _run_tracker(tmp_path, site, DISPLAY=display)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        (f"tracker: cannot open the window: cannot connect to the X display '{display}' (is the "
         "display running, and may this user use it?)")]


def test_qt_that_cannot_be_imported_is_a_message_not_a_traceback(tmp_path):
    site = _shadow_pyside(tmp_path, None)  # a PySide6 without its Qt modules
    result = _run_tracker(tmp_path, site, QT_QPA_PLATFORM="offscreen")
    assert result.returncode == 1
    assert result.stderr.startswith("tracker: cannot open the window: Qt could not be loaded: ")
    assert "Traceback" not in result.stderr and "sudo apt-get install" in result.stderr


def test_which_platforms_are_checked():
    assert platforms_qt_would_try({}) == ["xcb"]
    assert platforms_qt_would_try({"XDG_SESSION_TYPE": "wayland"}) == ["wayland", "xcb"]
    assert platforms_qt_would_try({"QT_QPA_PLATFORM": "wayland;xcb:foo=1"}) == ["wayland", "xcb"]
    # platforms that need no display server are left to Qt
    assert startup_problem({"QT_QPA_PLATFORM": "offscreen"}) is None
    assert startup_problem({"QT_QPA_PLATFORM": "vnc"}) is None


def test_the_readme_names_the_same_packages_as_the_message():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    assert f"sudo apt-get install {DEBIAN_PACKAGES}" in readme
    assert f"sudo dnf install {FEDORA_PACKAGES}" in readme


def test_a_display_of_the_other_kind_is_named_with_the_way_to_use_it():
    problem = startup_problem({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"})
    assert problem == ("cannot open the window: DISPLAY is not set, which Qt's xcb platform "
                       "needs; try QT_QPA_PLATFORM=wayland")
    problem = startup_problem({"QT_QPA_PLATFORM": "wayland", "DISPLAY": ":0"})
    assert problem.endswith("WAYLAND_DISPLAY is not set, which Qt's wayland platform needs; "
                            "try QT_QPA_PLATFORM=xcb")
