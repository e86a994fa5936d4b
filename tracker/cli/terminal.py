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

# C0 controls except tab and newline, DEL, C1 controls (0x9b is a one-byte CSI), and the
# format characters (Unicode category Cf): invisible marks such as the zero-width space and
# the byte-order mark that hide text or split an id, and the bidi embedding/override/isolate
# marks that reorder what is shown. ZWNJ and ZWJ (U+200C, U+200D) are kept: they shape
# Persian and Indic words and emoji, and hide nothing. Lone surrogates would make the encoder
# fail; they are shown as U+FFFD. (tests/unit/test_terminal_filter.py checks the Cf list
# against unicodedata.)
_FORMAT = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b\u200e\u200f"
           "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd"
           "\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001"
           "\U000e0020-\U000e007f")
_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_FORMAT}]")
_SURROGATE = re.compile("[\ud800-\udfff]")
_ANY_UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_FORMAT}\ud800-\udfff]")
_UNSAFE_PROGRESS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_FORMAT}]")


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


class OutputFailed(Exception):
    """Writing to standard output failed (a full disk, an I/O error), not a closed pipe."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))
        self.error = error


def discard_output(stream: TextIO | None) -> None:
    """After a failed write: point file descriptor 1 at the null device, so what is still
    buffered is thrown away at exit instead of failing again with a traceback."""
    import os

    try:
        fd = stream.fileno() if stream is not None else 1
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, fd)
        os.close(null)
    except (OSError, ValueError, AttributeError):  # pytest's capture has no descriptor
        pass


class SafeStream:
    """A text stream that filters everything written through `safe_text`; a failed write
    other than a closed pipe is raised as OutputFailed, so the command can say it in a line."""

    def __init__(self, stream: TextIO, allow_carriage_return: bool = False) -> None:
        self._stream = stream
        self._allow_cr = allow_carriage_return

    def write(self, text: str) -> int:
        try:
            if self._allow_cr and text.startswith("\r"):  # a progress bar redrawing its line
                self._stream.write("\r" + safe_text(text[1:]))
            else:  # a CR inside a message (echoed user input) could overwrite what came before
                self._stream.write(safe_text(text))
        except BrokenPipeError:
            raise
        except OSError as error:  # ENOSPC (`> /dev/full`), EIO, EFBIG …
            raise OutputFailed(error) from error
        return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise OutputFailed(error) from error

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str):  # flush, isatty, fileno, encoding, buffer …
        return getattr(self._stream, name)


def guard_streams() -> tuple[TextIO, TextIO]:
    """Filter stdout and stderr (stderr keeps a leading \\r for the progress bar); return the
    originals."""
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
