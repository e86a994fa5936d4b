"""Where the library is and what is there, checked before SQLite opens anything: the data
folder (created owner-only), a symbolic link that loops, a device or named pipe where the
file should be, and an empty (0-byte) file that may have been a library.

Nothing here opens the library file: `os.stat` never blocks, while opening a named pipe
waits for a writer, and SQLite deletes the -wal file of a 0-byte database when it opens it.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

from tracker.domain.errors import LibraryEmptyError, LibraryError, LibraryReadOnlyError
from tracker.domain.file_kinds import not_a_file

PRIVATE_DIR_MODE = 0o700
WAL_HEADER_BYTES = 32  # a -wal file no longer than its header holds no change
_LOOP = "a symbolic link that loops back on itself"
_PERMISSIONS = "check the permissions of the folders on its path, or choose another --data-dir"


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
        if error.errno in (errno.ENOENT, errno.ENOTDIR):
            return None  # missing (or below a file: mkdir says so)
        raise _unreachable("the data folder", folder, error) from None
    return not_a_file(mode) or "a file"


def _unreachable(what: str, path: Path, error: OSError) -> LibraryError:
    """"the library … cannot be reached (Permission denied): check the permissions …"."""
    denied = error.errno in (errno.EACCES, errno.EPERM)
    step = _PERMISSIONS if denied else "choose another --data-dir"
    return LibraryError(f"{what} {path} cannot be reached ({error.strerror}): {step}")


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
    folder, a device, a named pipe, a socket or a symbolic link that loops, or cannot be
    reached (a folder on its path without permission). Nothing is opened."""
    try:
        info = os.stat(path)  # follows a symbolic link: what it points at is what is opened
    except FileNotFoundError:
        return None
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise LibraryError(f"{_loop_words('the library', path)}: move it away or choose "
                               "another --data-dir") from None
        raise _unreachable("the library", path, error) from None
    refuse_unless_file(path, info.st_mode)
    return info


def refuse_unless_file(path: Path, mode: int) -> None:
    """A clear error when `mode` (of the file at `path`) is not a regular file's."""
    kind = not_a_file(mode)
    if kind:
        target = f" ({os.path.realpath(path)})" if path.is_symlink() else ""
        raise LibraryError(f"the library {path} is {kind}{target}, not a file: move it away or "
                           "choose another --data-dir")


def backups_beside(path: Path) -> list[Path]:
    """The backups in the library's folder (`*.bak*`: those written before each upgrade, and
    the user's own), newest first; empty files and anything but regular files are left out."""
    found = []
    for candidate in path.parent.glob("*.bak*"):
        try:
            info = os.stat(candidate)
        except OSError:
            continue
        if not not_a_file(info.st_mode) and info.st_size > 0:
            found.append((info.st_mtime, candidate))
    return [candidate for _, candidate in sorted(found, reverse=True)]


def wal_bytes(path: Path) -> int:
    """How many bytes of changes the library's -wal file holds (0: none, or no such file)."""
    try:
        size = os.stat(f"{path}-wal").st_size
    except OSError:
        return 0
    return size if size > WAL_HEADER_BYTES else 0


def refuse_emptied_library(path: Path) -> None:
    """For a library file of 0 bytes: LibraryEmptyError, leaving it untouched, when a backup
    or a -wal file beside it shows that it held a library (a failed copy or sync client, a
    truncation). With nothing beside it, it may be started afresh (`started_afresh`)."""
    backups, wal = backups_beside(path), wal_bytes(path)
    if not backups and not wal:
        return
    beside = _what_is_beside(path, backups, wal)
    if backups:
        step = ("run `tracker doctor` to see how to restore a backup, or delete the empty file "
                "to start a new library")
    else:
        step = (f"restore your own backup of {path.name}, or move it and {path.name}-wal away "
                "to start a new library")
    raise LibraryEmptyError(f"the library {path} is empty (0 bytes) and was left untouched"
                            f"{beside}: {step}", f"it is empty (0 bytes){beside}")


def started_afresh(path: Path) -> str:
    """The one line said when an empty library file with nothing beside it was started afresh."""
    return (f"the library {path} was empty (0 bytes), with no backup or -wal file beside it: "
            "a new library was started in its place")


def _what_is_beside(path: Path, backups: list[Path], wal: int) -> str:
    parts = []
    if wal:
        parts.append(f"{path.name}-wal beside it holds {_kilobytes(wal)} of its last changes, "
                     "which cannot be read without the rest of the file")
    if backups:
        newest = backups[0]
        try:
            when = dt.datetime.fromtimestamp(newest.stat().st_mtime)
            saved = f" (saved {when:%Y-%m-%d %H:%M})"
        except OSError:  # gone since it was listed
            saved = ""
        more = f" and {len(backups) - 1} older" if len(backups) > 1 else ""
        parts.append(f"a backup beside it, {newest.name}{saved}{more}, may hold your "
                     "trials, notes and lists")
    return "; " + "; ".join(parts)


def _kilobytes(count: int) -> str:
    return f"{max(1, round(count / 1024)):,} KB"
