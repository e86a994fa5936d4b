"""Checks of what was typed that run before a command opens the library: the data folder,
the registry URL, and paths the file system cannot take (a name over 255 bytes)."""

from __future__ import annotations

import argparse
import errno
import os
import unicodedata
from pathlib import Path

from tracker.domain.limits import NAME_FORM

_SHOWN_PATH = 60  # a 300-character name is shown by its start and its end


def bad_data_dir(args: argparse.Namespace) -> str | None:
    """An empty --data-dir or TRACKER_DATA_DIR would silently mean the default library; a
    folder name the file system cannot take would fail deep inside the library."""
    from tracker.paths import DATA_DIR_ENV

    if args.data_dir is not None:
        if str(args.data_dir) == "":
            return ("--data-dir is empty: give a folder, or leave the option out to use "
                    f"${DATA_DIR_ENV} or the default library")
        return _too_long("--data-dir", args.data_dir)
    value = os.environ.get(DATA_DIR_ENV, None)
    if value == "":
        return (f"{DATA_DIR_ENV} is set but empty: give it a folder, or unset it to use the "
                "default library")
    return _too_long(DATA_DIR_ENV, value) if value else None


def bad_api_url(args: argparse.Namespace) -> str | None:
    """What is wrong with --api-url or $TRACKER_API_URL (one line, no credentials), or None."""
    from tracker.settings_url import override_problem

    return override_problem(args.api_url)


def path_too_long(path: str | os.PathLike) -> bool:
    """True when the file system refuses the path as too long (a name over NAME_MAX bytes,
    usually 255, or the whole path over PATH_MAX)."""
    try:
        os.lstat(path)
    except OSError as error:
        return error.errno == errno.ENAMETOOLONG
    except ValueError:  # an embedded NUL: not "too long", refused elsewhere
        return False
    return False


def too_long_message(what: str, path: str | os.PathLike) -> str:
    return (f"{what} {shown_path(path)} is too long for the file system (each name at most "
            "255 bytes, the whole path at most 4096); choose a shorter name")


def _too_long(what: str, path: str | os.PathLike) -> str | None:
    return too_long_message(what, path) if path_too_long(Path(path).expanduser()) else None


def shown_path(path: str | os.PathLike) -> str:
    """A path as printed: a very long one shortened in the middle."""
    text = os.fsdecode(path) if isinstance(path, (str, bytes, os.PathLike)) else str(path)
    if len(text) <= _SHOWN_PATH:
        return text
    return f"{text[:_SHOWN_PATH // 2]}…{text[-_SHOWN_PATH // 2:]} ({len(text)} characters)"


def os_error_message(error: OSError) -> str:
    """One line for a file-system failure nothing else explained: what failed and where."""
    if error.errno == errno.ENAMETOOLONG and error.filename is not None:
        return too_long_message("the path", error.filename)
    where = f" ({shown_path(error.filename)})" if error.filename is not None else ""
    return f"{error.strerror or error}{where}"


_NAMES = ("name", "new_name", "watchlist", "tags")  # never file names: those are bytes on disk


def normalise_names(args: argparse.Namespace) -> None:
    """Watch list, tag and saved search names typed in the form they are stored in
    (domain.limits.NAME_FORM): "Café" typed with a combining accent finds the list saved with
    a precomposed é, and ＡＭＬ typed fullwidth finds AML."""
    for attribute in _NAMES:
        value = getattr(args, attribute, None)
        if isinstance(value, str):
            setattr(args, attribute, unicodedata.normalize(NAME_FORM, value))
        elif isinstance(value, list):
            setattr(args, attribute, [unicodedata.normalize(NAME_FORM, v) if isinstance(v, str)
                                      else v for v in value])
