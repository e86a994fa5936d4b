"""A readable file name made of a name people gave ("AML – December.pdf"), valid on Windows,
macOS and Linux: only what one of them refuses is replaced."""

from __future__ import annotations

import re

# Windows refuses < > : " / \ | ? * and control characters; macOS and Linux refuse "/" (and
# NUL), and Finder shows ":" as "/"
_REFUSED = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
#: names Windows keeps for devices, with any extension ("CON.pdf" cannot be created)
_DEVICES = frozenset({"CON", "PRN", "AUX", "NUL", *(f"COM{n}" for n in range(1, 10)),
                      *(f"LPT{n}" for n in range(1, 10))})
STEM_MAX_CHARS = 120  # a watch list name's limit; paths stay well under the systems' limits


def file_stem(name: str, fallback: str = "watch-list") -> str:
    """`name` as a file name's stem: refused characters become "-", runs of spaces one, no
    dot or space at either end (Windows drops a trailing one; a leading dot hides the file),
    not a Windows device name; `fallback` when nothing is left."""
    stem = " ".join(_REFUSED.sub("-", name).split()).strip(". ")[:STEM_MAX_CHARS].strip(". ")
    if not stem:
        return fallback
    return f"{stem}-" if stem.split(".")[0].upper() in _DEVICES else stem
