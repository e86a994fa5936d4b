"""Export a watch list for a journal club: CSV, xlsx, Markdown, HTML, PDF, JSON, RIS and ICS.

One entry point, used by the window and by `tracker export`. PDF needs Qt's PDF writer, so
the caller (which may import Qt) passes a renderer that paints a `PrintDocument` into bytes;
the window, whose Qt paints only on its GUI thread, instead asks `prepare_pdf` for the
document off that thread, paints it, and hands the bytes back to `save_export` off the GUI
thread again. Every export in a format that reports the list's changes (`CHANGE_FORMATS`) is
recorded (`WatchListRepository.record_export`) the same way, once its file is written: the
next handout's "since the list's last export" reads it.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import stat
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tracker.domain import TrackerError
from tracker.domain.file_kinds import not_a_file
from tracker.services.citations import ris_record
from tracker.services.export_formats import CHANGE_FORMATS, FORMATS
from tracker.services.exports.calendar import NothingToCalendarError, render_ics
from tracker.services.exports.documents import PrintDocument, print_document, render_html
from tracker.services.exports.exchange import render_json
from tracker.services.exports.handout import Handout, build_handout
from tracker.services.exports.markdown import render_markdown
from tracker.services.exports.tabular import render_csv
from tracker.store import Library

_UMASK = os.umask(0o022)  # read once at import (os.umask can only be read by setting it)
os.umask(_UMASK)
PdfRenderer = Callable[[PrintDocument], bytes]

__all__ = ["FORMATS", "ExportError", "MadeExport", "NothingToCalendarError", "PendingExport",
           "PrintDocument", "export_bytes", "export_watchlist", "prepare_pdf", "render",
           "save_export", "write_atomically"]


class ExportError(TrackerError):
    """An export that cannot be made (unknown format, no PDF renderer, unwritable file)."""


def render(handout: Handout, fmt: str, *, exported_by: str | None = None,
           pdf_renderer: PdfRenderer | None = None) -> bytes:
    if fmt == "csv":
        return render_csv(handout).encode("utf-8-sig")  # BOM: Excel reads UTF-8 correctly
    if fmt == "xlsx":
        from tracker.services.exports.spreadsheet import render_xlsx

        return render_xlsx(handout)
    if fmt == "md":
        return render_markdown(handout).encode()
    if fmt == "html":
        return render_html(handout).encode()
    if fmt == "json":
        return render_json(handout, exported_by or None).encode()
    if fmt == "ris":
        return "".join(ris_record(i.trial, handout.day, tags=i.details.tags)
                       for i in handout.trials).encode()
    if fmt == "ics":
        return render_ics(handout).encode()
    if fmt == "pdf":
        if pdf_renderer is None:
            raise ExportError("PDF export needs the Qt PDF writer, which is not available here")
        return pdf_renderer(print_document(handout))
    raise ExportError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")


def export_watchlist(library: Library, name: str, fmt: str, destination: Path, *,
                     since: dt.date | None = None, include_notes: bool = False,
                     exported_by: str | None = None, pdf_renderer: PdfRenderer | None = None,
                     now: dt.datetime | None = None) -> Path:
    """Write the export to `destination` atomically (a crash leaves no half file), then
    record it."""
    _check_format(fmt)
    check_destination(Path(destination), fmt)
    handout = build_handout(library, name, since=since, include_notes=include_notes, now=now)
    data = render(handout, fmt, exported_by=exported_by, pdf_renderer=pdf_renderer)
    return save_export(library, _made(handout, fmt), destination, data)


def export_bytes(library: Library, name: str, fmt: str, *, since: dt.date | None = None,
                 include_notes: bool = False, exported_by: str | None = None,
                 pdf_renderer: PdfRenderer | None = None, now: dt.datetime | None = None,
                 deliver: Callable[[bytes], None] | None = None) -> bytes:
    """The export as bytes (for `tracker export -o -`), recorded as `save_export` records
    once `deliver` has written them (standard output: a write that fails records nothing);
    without `deliver`, once made."""
    _check_format(fmt)
    handout = build_handout(library, name, since=since, include_notes=include_notes, now=now)
    data = render(handout, fmt, exported_by=exported_by, pdf_renderer=pdf_renderer)
    if deliver is not None:
        deliver(data)
    _record_export(library, _made(handout, fmt))
    return data


@dataclass(frozen=True)
class MadeExport:
    """Which list a handout was made from, when, and in which format (what recording an
    export needs)."""

    watchlist_name: str
    generated_at: dt.datetime
    fmt: str


@dataclass(frozen=True)
class PendingExport:
    """A PDF handout read from the library, to be painted where Qt can paint, then passed
    with its bytes to `save_export`."""

    document: PrintDocument
    made: MadeExport


def prepare_pdf(library: Library, name: str, *, destination: Path | None = None,
                since: dt.date | None = None, include_notes: bool = False,
                now: dt.datetime | None = None) -> PendingExport:
    """The printable handout (what the PDF is painted from); nothing is recorded yet.
    `destination` is checked first, so a place that cannot take the file is refused before
    anything is painted."""
    if destination is not None:
        check_destination(Path(destination))
    handout = build_handout(library, name, since=since, include_notes=include_notes, now=now)
    return PendingExport(print_document(handout), _made(handout, "pdf"))


def save_export(library: Library, made: MadeExport, destination: Path, data: bytes) -> Path:
    """Write an export's bytes and record it (for the window's PDF: `PendingExport.made`); a
    file that could not be written is not recorded."""
    write_atomically(destination, data)
    _record_export(library, made)
    return destination


def _made(handout: Handout, fmt: str) -> MadeExport:
    return MadeExport(handout.watchlist.name, handout.generated_at, fmt)


def _check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")


def _record_export(library: Library, made: MadeExport) -> None:
    """Remember when the list was exported in a format that reports its changes (the next
    handout's default window may start there: `CHANGE_FORMATS`); a read-only library still
    exports, it just cannot remember."""
    if made.fmt not in CHANGE_FORMATS:
        return
    try:
        library.watchlists.record_export(made.watchlist_name, made.generated_at)
    except (sqlite3.Error, TrackerError):
        pass


def check_destination(destination: Path, fmt: str = "pdf") -> None:
    """Refuse a directory, a missing folder or anything that is not a regular file (a device,
    a named pipe, a socket) with a message saying what to do, its example file name in the
    format asked for. A symbolic link is judged by what it points at (the export is written
    there)."""
    if destination.is_dir():
        raise ExportError(f"{destination} is a folder; give a file name, e.g. "
                          f"{destination / f'handout.{fmt}'}")
    parent = Path(os.path.realpath(destination)).parent
    if not parent.exists():
        raise ExportError(f"cannot write {destination}: the folder {parent} does not exist "
                          "(create it first or choose another place)")
    if not parent.is_dir():
        raise ExportError(f"cannot write {destination}: {parent} is not a folder")
    try:
        mode = destination.stat().st_mode
    except OSError:
        return
    kind = not_a_file(mode)
    if kind:
        raise ExportError(f"cannot write {destination}: it is {kind}, not a regular file; "
                          "choose a file name")


def write_atomically(destination: Path, data: bytes) -> None:
    """Replace `destination` in one step; a replaced file keeps its permission bits.

    A symbolic link stays a link: the file it points at is replaced. A failed write (full
    disk, interrupted) leaves the old file as it was and no temporary file behind."""
    given = Path(destination)
    check_destination(given)
    destination = Path(os.path.realpath(given)) if given.is_symlink() else given
    try:
        mode = stat.S_IMODE(destination.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_UMASK  # a new handout is shared: the usual mode for a new file
    except OSError as error:
        raise ExportError(f"cannot write {given}: {error.strerror or error}") from error
    temporary = None
    try:
        handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".export-")
        with os.fdopen(handle, "wb") as file:
            _write(file, data)
        os.chmod(temporary, mode)
        os.replace(temporary, destination)
        temporary = None
    except OSError as error:
        raise ExportError(f"cannot write {given}: {error.strerror or error}") from error
    finally:
        if temporary is not None:
            _remove_quietly(temporary)


def _write(file, data: bytes) -> None:
    file.write(data)
    file.flush()
    os.fsync(file.fileno())


def _remove_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
