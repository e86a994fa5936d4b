"""Sizes the app accepts from people and files (one place, documented in the README)."""

from __future__ import annotations

from tracker.domain.errors import NoteTooLongError

NOTE_MAX_BYTES = 100 * 1024  # 100 KB of UTF-8: pages of text, far below what freezes a view


def check_note_size(body: str) -> str:
    """Return `body`, or raise NoteTooLongError when its UTF-8 form is over NOTE_MAX_BYTES."""
    size = len(body.encode("utf-8", "surrogatepass"))
    if size > NOTE_MAX_BYTES:
        raise NoteTooLongError(
            f"the note is {size // 1024} KB; notes are limited to {NOTE_MAX_BYTES // 1024} KB: "
            "shorten it or keep long documents as files and link to them")
    return body
