"""Counts in words: "1 trial", "2 trials", "1 study", "0 notes" — one rule for every message."""

from __future__ import annotations

_IRREGULAR = {"study": "studies", "search": "searches", "saved search": "saved searches",
              "was": "were", "is": "are", "its": "their", "has": "have", "stays": "stay"}


def plural(word: str, count: int) -> str:
    """`word` as it agrees with `count` (English: singular for exactly one)."""
    if count == 1:
        return word
    return _IRREGULAR.get(word, word + "s")


def counted(count: int, word: str) -> str:
    """'1 trial', '2 trials', '1000 studies' (no thousands separator: scripts read these)."""
    return f"{count} {plural(word, count)}"
