"""Export a watch list for a journal club: CSV, Markdown, HTML, PDF, JSON, RIS and ICS.

One entry point, used by the window and by `tracker export`. PDF needs Qt's PDF writer, so
the caller (which may import Qt) passes a renderer that turns the handout HTML into bytes.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from tracker.domain import TrackerError
from tracker.services.citations import ris_record
from tracker.services.exports.calendar import render_ics
from tracker.services.exports.documents import render_html, render_markdown
from tracker.services.exports.exchange import render_json
from tracker.services.exports.handout import Handout, build_handout
from tracker.services.exports.tabular import render_csv
from tracker.store import Library

FORMATS = ("csv", "md", "html", "pdf", "json", "ris", "ics")
_UMASK = os.umask(0o022)  # read once at import (os.umask can only be read by setting it)
os.umask(_UMASK)
PdfRenderer = Callable[[str], bytes]


class ExportError(TrackerError):
    """An export that cannot be made (unknown format, no PDF renderer, unwritable file)."""


def default_author() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "a colleague"


def render(handout: Handout, fmt: str, *, exported_by: str | None = None,
           pdf_renderer: PdfRenderer | None = None) -> bytes:
    if fmt == "csv":
        return render_csv(handout).encode("utf-8-sig")  # BOM: Excel reads UTF-8 correctly
    if fmt == "md":
        return render_markdown(handout).encode()
    if fmt == "html":
        return render_html(handout).encode()
    if fmt == "json":
        return render_json(handout, exported_by or default_author()).encode()
    if fmt == "ris":
        return "".join(ris_record(i.trial, handout.generated_at.date())
                       for i in handout.trials).encode()
    if fmt == "ics":
        return render_ics(handout).encode()
    if fmt == "pdf":
        if pdf_renderer is None:
            raise ExportError("PDF export needs the Qt PDF writer, which is not available here")
        return pdf_renderer(render_html(handout, for_print=True))
    raise ExportError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")


def export_watchlist(library: Library, name: str, fmt: str, destination: Path, *,
                     since: dt.date | None = None, include_notes: bool = True,
                     exported_by: str | None = None, pdf_renderer: PdfRenderer | None = None,
                     now: dt.datetime | None = None) -> Path:
    """Write the export to `destination` atomically (a crash leaves no half file)."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r} (choose one of {', '.join(FORMATS)})")
    handout = build_handout(library, name, since=since, include_notes=include_notes, now=now)
    data = render(handout, fmt, exported_by=exported_by, pdf_renderer=pdf_renderer)
    write_atomically(destination, data)
    return destination


def handout_html(library: Library, name: str, *, since: dt.date | None = None,
                 include_notes: bool = True) -> str:
    """The printable handout HTML (what the PDF is painted from)."""
    handout = build_handout(library, name, since=since, include_notes=include_notes)
    return render_html(handout, for_print=True)


def write_atomically(destination: Path, data: bytes) -> None:
    destination = Path(destination)
    try:
        destination.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=destination.parent, prefix=".export-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.chmod(temporary, 0o666 & ~_UMASK)  # mkstemp makes 0600; handouts are shared
        os.replace(temporary, destination)
    except OSError as error:
        raise ExportError(f"cannot write {destination}: {error.strerror or error}") from error
