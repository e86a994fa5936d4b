"""Where the library is and what is there, checked before SQLite opens anything: the data
folder (created owner-only), a symbolic link that loops, and a device or named pipe where
the file should be.

Nothing here opens the library file: `os.stat` never blocks, while opening a named pipe
waits for a writer.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from tracker.domain.errors import LibraryError, LibraryReadOnlyError
from tracker.domain.file_kinds import not_a_file

PRIVATE_DIR_MODE = 0o700
_LOOP = "a symbolic link that loops back on itself"


def prepare_folder(folder: Path) -> None:
    """Create the data folder (owner only); a clear error when it is a file, a device, a
    symbolic link that loops, or cannot be created."""
    kind = _folder_kind(folder)
    if kind == "a folder":
        return
    if kind is not None:
        what = "a file" if kind == "not a regular file" else kind
        raise LibraryError(f"the data folder {folder} is {what}, not a folder: "
                           "choose another --data-dir")
    try:
        folder.mkdir(parents=True, mode=PRIVATE_DIR_MODE)
        os.chmod(folder, PRIVATE_DIR_MODE)  # whatever the umask says
    except OSError as error:
        if error.errno == errno.EROFS:
            raise LibraryReadOnlyError(f"cannot create the data folder {folder}: read-only file "
                                       "system; choose a writable --data-dir") from None
        raise LibraryError(f"cannot create the data folder {folder}: {error.strerror}; "
                           "choose another --data-dir") from None


def _folder_kind(folder: Path) -> str | None:
    """"a folder", "a file", "a device"…, or None when nothing is there (yet)."""
    try:
        mode = os.stat(folder).st_mode
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise LibraryError(f"{_loop_words('the data folder', folder)}: choose another "
                               "--data-dir") from None
        return None  # missing (or below a file: mkdir says so)
    return not_a_file(mode) or "a file"


def _loop_words(what: str, path: Path) -> str:
    """"the data folder X is a symbolic link that loops back on itself", or "… is inside Y,
    a symbolic link that …" when the loop is a folder above it."""
    for candidate in (*reversed(path.parents), path):
        try:
            os.stat(candidate)
        except OSError as error:
            if error.errno == errno.ELOOP and candidate != path:
                return f"{what} {path} is inside {candidate}, {_LOOP}"
            if error.errno == errno.ELOOP:
                break
    return f"{what} {path} is {_LOOP}"


def library_file_status(path: Path) -> os.stat_result | None:
    """The library file's status (None when there is none yet); a clear error when it is a
    device, a named pipe, a socket or a symbolic link that loops. Nothing is opened."""
    try:
        info = os.stat(path)  # follows a symbolic link: what it points at is what is opened
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise LibraryError(f"{_loop_words('the library', path)}: move it away or choose "
                               "another --data-dir") from None
        raise
    refuse_unless_file(path, info.st_mode)
    return info


def refuse_unless_file(path: Path, mode: int) -> None:
    """A clear error when `mode` (of the file at `path`) is not a regular file's."""
    kind = not_a_file(mode)
    if kind:
        target = f" ({os.path.realpath(path)})" if path.is_symlink() else ""
        raise LibraryError(f"the library {path} is {kind}{target}, not a file: move it away or "
                           "choose another --data-dir")
