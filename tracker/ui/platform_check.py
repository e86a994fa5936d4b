"""Before Qt starts on Linux: can its window-system plugin load, and is there a display?

Without this, a machine that lacks Qt's xcb libraries (a stock Debian 12 lacks
libxcb-cursor0, libxcb-icccm4, libxcb-keysyms1, ...) ends in Qt's own abort: "could not load
the Qt platform plugin xcb ... Reinstalling the application may fix this problem". Here we read
the plugin's dependencies (DT_NEEDED) and ask the dynamic loader for each system library, so
the message names exactly what is missing and how to install it. Nothing here imports Qt.
"""

from __future__ import annotations

import ctypes
import importlib.util
import os
import sys
from collections.abc import Mapping
from pathlib import Path

from tracker.ui.elf_needed import NotAnElfFile, needed_libraries

# The system packages the window needs, one command line per distribution family (the README
# prints the same lines; a test keeps them equal).
DEBIAN_PACKAGES = (
    "libegl1 libgl1 libfontconfig1 libfreetype6 libglib2.0-0 libdbus-1-3 libxkbcommon0 "
    "libxkbcommon-x11-0 libx11-6 libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0 "
    "libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 "
    "libxcb-sync1 libxcb-util1 libxcb-xfixes0 libxcb-xkb1 libwayland-client0 libwayland-cursor0"
)
FEDORA_PACKAGES = (
    "libglvnd-egl libglvnd-glx fontconfig freetype glib2 dbus-libs libxkbcommon libxkbcommon-x11 "
    "libX11 libX11-xcb libxcb xcb-util xcb-util-cursor xcb-util-wm xcb-util-image "
    "xcb-util-keysyms xcb-util-renderutil libwayland-client libwayland-cursor"
)
INSTALL_LINES = (
    f"Debian/Ubuntu: sudo apt-get install {DEBIAN_PACKAGES}",
    f"Fedora: sudo dnf install {FEDORA_PACKAGES}",
)
_DISPLAY_VARIABLE = {"xcb": "DISPLAY", "wayland": "WAYLAND_DISPLAY",
                     "wayland-egl": "WAYLAND_DISPLAY"}
CHECKED_PLATFORMS = set(_DISPLAY_VARIABLE)
CANNOT_OPEN = "cannot open the window"


def startup_problem(environ: Mapping[str, str] | None = None) -> str | None:
    """Why the window cannot open on this machine (a message for the user), or None.

    None also when we cannot tell (not Linux, a platform we do not check, PySide6's files not
    where a pip install puts them): then Qt decides, as it would without this check.
    """
    environ = os.environ if environ is None else environ
    if not sys.platform.startswith("linux"):
        return None
    platforms = platforms_qt_would_try(environ)
    if not platforms or not set(platforms) <= CHECKED_PLATFORMS:
        return None
    qt_dir = _qt_dir()
    return _display_problem(platforms, environ) or (
        _plugin_problem(platforms, environ, qt_dir) if qt_dir else None)


def qt_import_problem(error: ImportError) -> str:
    """The message when PySide6's own modules do not load (a library of Qt's is missing)."""
    return "\n".join([f"{CANNOT_OPEN}: Qt could not be loaded: {error}",
                      "Install the system libraries it needs with one of:",
                      *(f"  {line}" for line in INSTALL_LINES)])


def missing_libraries(plugins: list[Path], bundled_dirs: list[Path]) -> list[str] | None:
    """System libraries the dynamic loader cannot load for the first loadable plugin of
    `plugins` (those of the first one when none loads); None when no plugin file is readable.
    Libraries found in `bundled_dirs` (Qt's own) are followed, not asked for."""
    first: list[str] | None = None
    for plugin in plugins:
        roots = [plugin, *(d / "libQt6Widgets.so.6" for d in bundled_dirs[:1])]
        try:
            missing = _unloadable(_system_dependencies(roots, bundled_dirs))
        except (OSError, NotAnElfFile):
            continue
        if not missing:
            return []
        first = missing if first is None else first
    return first


def _display_problem(platforms: list[str], environ: Mapping[str, str]) -> str | None:
    if any(environ.get(_DISPLAY_VARIABLE[name]) for name in platforms):
        return None
    if not environ.get("DISPLAY") and not environ.get("WAYLAND_DISPLAY"):
        return (f"{CANNOT_OPEN}: no display (DISPLAY and WAYLAND_DISPLAY are not set); start it "
                "from a desktop session, or use its commands (tracker --help)")
    other = "xcb" if environ.get("DISPLAY") else "wayland"
    needed = " or ".join(dict.fromkeys(_DISPLAY_VARIABLE[name] for name in platforms))
    return (f"{CANNOT_OPEN}: {needed} is not set, which Qt's {'/'.join(platforms)} platform "
            f"needs; try QT_QPA_PLATFORM={other}")


def _plugin_problem(platforms: list[str], environ: Mapping[str, str], qt_dir: Path) -> str | None:
    """None as soon as one platform Qt would try has its libraries and a display that answers."""
    bundled = _bundled_dirs(qt_dir)
    if not (bundled[0] / "libQt6Core.so.6").exists():
        return None  # not the layout we know: let Qt try
    problems, missing_any = [], False
    for name in platforms:
        missing = missing_libraries(_plugin_files(qt_dir, name), bundled)
        if missing:
            missing_any = True
            problems.append(f"{CANNOT_OPEN}: Qt's {name} platform plugin needs system libraries "
                            f"that are not installed: {', '.join(missing)}")
        elif missing is None or not environ.get(_DISPLAY_VARIABLE[name]):
            continue  # a plugin we cannot read (let Qt try), or no display for this one
        elif (problem := _connection_problem(name, environ)) is None:
            return None
        else:
            problems.append(problem)
    if missing_any:
        problems += ["Install them with one of:", *(f"  {line}" for line in INSTALL_LINES)]
    return "\n".join(problems) if problems else None


def platforms_qt_would_try(environ: Mapping[str, str]) -> list[str]:
    """The platform plugins Qt tries, in order (QT_QPA_PLATFORM may list several, `a;b`)."""
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    if chosen:
        return [part.split(":")[0].strip() for part in chosen.split(";") if part.strip()]
    if environ.get("XDG_SESSION_TYPE") == "wayland":
        return ["wayland", "xcb"]  # Qt prefers Wayland in a Wayland session, else falls back
    return ["xcb"]


def _bundled_dirs(qt_dir: Path) -> list[Path]:
    """Where Qt's own libraries are: PySide6's Qt/lib, and the app folder of a frozen build."""
    frozen = getattr(sys, "_MEIPASS", None)
    return [qt_dir / "lib", *([Path(frozen)] if frozen else [])]


def _qt_dir() -> Path | None:
    spec = importlib.util.find_spec("PySide6")
    for location in (spec.submodule_search_locations or []) if spec else []:
        if (Path(location) / "Qt" / "plugins" / "platforms").is_dir():
            return Path(location) / "Qt"
    return None


def _plugin_files(qt_dir: Path, platform: str) -> list[Path]:
    folder = qt_dir / "plugins" / "platforms"
    if platform == "xcb":
        return [folder / "libqxcb.so"]
    return sorted(folder.glob("libqwayland*.so"))


def _system_dependencies(roots: list[Path], bundled_dirs: list[Path]) -> list[str]:
    """Sonames outside Qt's own folders that `roots` need, directly or through Qt's libs."""
    seen: set[str] = set()
    system: list[str] = []
    pending = list(roots)
    while pending:
        for soname in needed_libraries(pending.pop()):
            if soname in seen:
                continue
            seen.add(soname)
            bundled = next((d / soname for d in bundled_dirs if (d / soname).exists()), None)
            if bundled is not None:
                pending.append(bundled)
            else:
                system.append(soname)
    return system


def _unloadable(sonames: list[str]) -> list[str]:
    """Ask the dynamic loader for each library; name what it could not find (which may be a
    library that one of them needs in turn)."""
    missing: list[str] = []
    for soname in sonames:
        try:
            ctypes.CDLL(soname)
        except OSError as error:
            name = _missing_name(str(error), soname)
            if name not in missing:
                missing.append(name)
    return missing


def _missing_name(message: str, asked: str) -> str:
    head, sep, _ = message.partition(": cannot open shared object file")
    return head.strip() if sep and head.strip() else asked


def _connection_problem(platform: str, environ: Mapping[str, str]) -> str | None:
    """For X11: whether the X server named by DISPLAY answers (Qt aborts when it does not)."""
    if platform != "xcb":
        return None
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return None
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    display = environ.get("DISPLAY", "")
    connection = xcb.xcb_connect(display.encode(), None)
    failed = not connection or xcb.xcb_connection_has_error(connection)
    if connection:
        xcb.xcb_disconnect(connection)
    if failed:
        return (f"{CANNOT_OPEN}: cannot connect to the X display {display!r} (is the display "
                "running, and may this user use it?)")
    return None

