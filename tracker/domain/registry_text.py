"""Registry text as the app keeps it: what a reader can see, nothing that hides or reorders it.

ClinicalTrials.gov passes on what sponsors type, and some of it is not text: terminal escape
sequences (ESC [ 31 m), other C0/C1 control characters, bidirectional overrides, embeddings
and isolates (a U+202E at the start of a title prints it backwards) and the other invisible
format characters of Unicode category Cf (zero-width space, LRM/RLM, BOM, soft hyphen…).
Every text field is cleaned once, when a study is mapped (`tracker.ctgov.records`), so the
window, the CLI and every export read the same clean text; the study as received is kept
whole in the version store as the evidence.

What stays: every letter, mark, digit, symbol and emoji (accents, α/β/κ/λ, ≥, ±, CJK, Hebrew
and Arabic text, which lays itself out right-to-left without any override), the joiners
(ZWNJ/ZWJ) where they join two non-ASCII characters (Persian words, emoji sequences), and the
Arabic/Syriac number marks of Cf, which print. Single-line fields have every whitespace run
folded into one space (one no-break space is kept); long descriptions keep their line breaks
and spacing.
A field with nothing left is None: it is absent, not an empty string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# ECMA-48 sequences, removed whole: CSI (ESC [ or the one-byte 0x9B, parameters, intermediates,
# a final byte); a control string (OSC ESC ], DCS ESC P, SOS, PM, APC, or their C1 bytes) up to
# its terminator (BEL, ESC \ or ST); any other ESC + intermediates + final byte (ESC ( B,
# ESC 7). An unterminated control string loses only its introducer: its text stays.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x00-\x1f\x7f-\x9f]*(?:\x07|\x1b\\|\x9c)"
    r"|\x1b[\x20-\x2f]*[\x30-\x7e]"
)
# Category Cf without the prepended concatenation marks (U+0600-0605, 06DD, 070F, 0890-0891,
# 08E2, 110BD, 110CD: Arabic, Syriac and Kaithi number signs that print) and without the
# joiners, which `_STRAY_JOINER` handles. tests/unit/test_registry_text.py checks the list
# against unicodedata (ranges reach past Unicode 14 to the blocks' ends).
_FORMAT = ("\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
           "\ufff9-\ufffb\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
           "\U000e0001\U000e0020-\U000e007f")
# Control characters other than tab and the line breaks, DEL, C1, and the format characters.
_INVISIBLE = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f{_FORMAT}]")
# A joiner shapes the characters either side; next to ASCII, a space or an end it only hides.
_STRAY_JOINER = re.compile(r"(?:^|(?<=[\x00-\x7f\s]))[\u200c\u200d]+"
                           r"|[\u200c\u200d]+(?=[\x00-\x7f\s]|$)")
_SURROGATE = re.compile("[\ud800-\udfff]")
# Anything `_visible` would change (tab and line breaks are kept, so they are not suspect).
_SUSPECT = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\u200c\u200d{_FORMAT}"
                      "\ud800-\udfff]")
_ASCII_CHANGED_IN_BLOCKS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")  # all but tab and \n
_LINE_BREAK = re.compile(r"\r\n|[\r\x0b\x0c\x85\u2028\u2029]")
# What folding changes: a run of two or more whitespace characters, or one that is not a space
# (one plain space, by far the most common match of \s+, is left alone without a call).
_SPACES = re.compile(r"\s{2,}|[^\S ]")
_NO_BREAK_SPACES = frozenset("\u00a0\u2007\u202f")


def _visible(text: str) -> str:
    """`text` without escape sequences, controls (tab and line breaks kept) or hidden marks."""
    if _SUSPECT.search(text) is None:  # nearly all registry text: one scan, nothing to do
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _STRAY_JOINER.sub("", _INVISIBLE.sub("", text))
    return _SURROGATE.sub("\ufffd", text)  # what a \ud800 in the JSON became


def _fold(match: re.Match[str]) -> str:
    run = match.group()
    return run if run in _NO_BREAK_SPACES else " "


def clean_line(text: str | None) -> str | None:
    """A one-line field (title, acronym, sponsor, condition…): visible text, whitespace runs
    (line breaks and tabs included) folded into one space; None when nothing is left."""
    if text is None:
        return None
    if text.isascii() and text.isprintable():  # most registry text: only spaces to fold
        folded = " ".join(text.split()) if "  " in text else text.strip()
    else:
        folded = _SPACES.sub(_fold, _visible(text)).strip()
    return folded or None


def clean_block(text: str | None) -> str | None:
    """A long description (Markdown): visible text with its line breaks (as \\n), spaces as
    sent (two at a line's end are a Markdown line break); None when nothing is left."""
    if text is None:
        return None
    if text.isascii() and _ASCII_CHANGED_IN_BLOCKS.search(text) is None:
        cleaned = text  # most registry text: plain ASCII with \n line breaks
    else:
        cleaned = _LINE_BREAK.sub("\n", _visible(text))
    return cleaned.strip("\n") if cleaned.strip() else None


def visible_text(text: str) -> str | None:
    """Text read from a stored whole record (eligibility, arms, sites, results, the change
    log's facts): escape sequences and invisible characters dropped, the rest as stored;
    None when nothing visible is left."""
    shown = _visible(text)
    return shown if shown.strip() else None


def clean_items(items: Iterable[str]) -> tuple[str, ...]:
    """Each item as `clean_line`; items with nothing left are dropped."""
    return tuple(item for item in map(clean_line, items) if item is not None)


def shown_visibly(text: str) -> str:
    """`text` for a message: each control or invisible character written as <U+XXXX>, so the
    reader sees why "NCT03361748" was refused."""
    return _SHOWN.sub(lambda m: f"<U+{ord(m.group()):04X}>", text)


_SHOWN = re.compile(f"[\x00-\x1f\x7f-\x9f\u200c\u200d{_FORMAT}\u0600-\u0605\u06dd\u070f"
                    "\u0890\u0891\u08e2\ud800-\udfff]")
