"""Text made safe for each export format, so no export can be turned against its reader.

Registry and user text may hold anything. Each format gets one function:
- spreadsheet cells (CSV, xlsx): a cell starting with =, +, -, @, tab or CR is read as a
  formula by Excel and LibreOffice; OWASP's advice is to prefix such cells with `'`;
- RIS: one tag per line, so a value's line breaks would start a new tag or record;
- iCalendar: TEXT values escape backslash, `;`, `,` and newlines, and carry no other control
  character (a lone CR would end the content line);
- Markdown: inline text cannot open a new line, close a table cell, or start a heading or a
  setext underline;
- every format: no bidirectional controls (a right-to-left override in a registry title
  would print the rest of the line backwards, the NCT id and phase with it), and no control
  characters an XML-based file (xlsx) cannot hold (a vertical tab pasted from Word).
"""

from __future__ import annotations

import re
from html import escape

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029]")
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\u0085\u2028\u2029\x0b\x0c]")


_BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
_NOT_IN_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(text: str) -> str:
    """`text` without bidirectional controls, and with the control characters XML cannot hold
    (vertical tab, form feed, escape, ...) turned into spaces; tabs and line breaks stay."""
    return _NOT_IN_XML.sub(" ", _BIDI_CONTROLS.sub("", text))


def html_text(text: str, quote: bool = True) -> str:
    """HTML-escaped `plain` text (for the HTML and PDF handouts)."""
    return escape(plain(text), quote=quote)


def spreadsheet_cell(text: str) -> str:
    """`plain` text; a would-be formula neutralised with a leading apostrophe (OWASP CSV
    injection)."""
    text = plain(text)
    return "'" + text if text.startswith(_FORMULA_START) else text


def one_line(text: str) -> str:
    """Line breaks become spaces and other control characters go: one line of text."""
    return " ".join(_CONTROL.sub("", _LINE_BREAKS.sub(" ", text)).split(" ")).strip()


def ris_value(text: str) -> str:
    return one_line(text)


def ics_text(text: str) -> str:
    """An RFC 5545 TEXT value: escapes, newlines as `\\n`, no other control characters."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    text = _LINE_BREAKS.sub("\\\\n", text)
    return _CONTROL.sub("", text.replace("\t", " "))


_MD_SPECIAL = "\\`*_[]#|<>!~"
_ORDERED = re.compile(r"^(\d+)([.)])(?=\s|$)")


def md_inline(text: str | None) -> str:
    """Markdown inline text: one line, HTML-escaped, every markup character escaped."""
    if not text:
        return ""
    flat = escape(one_line(plain(text)), quote=False)
    out = []
    for char in flat:
        out.append("\\" + char if char in _MD_SPECIAL else char)
    safe = "".join(out)
    if safe[:1] in ("-", "=", "+"):  # a list item or a setext underline
        return "\\" + safe
    return _ORDERED.sub(r"\1\\\2", safe)  # "1. x" would start an ordered list


def md_block(text: str) -> str:
    """A quoted block (notes): each line escaped on its own, none can become markup."""
    lines = _LINE_BREAKS.sub("\n", text).split("\n")
    return "\n".join("> " + md_inline(line) if line.strip() else ">" for line in lines)
