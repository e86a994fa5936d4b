"""Counts in words: "1 trial", "2 trials", "1 study was" — one rule for every message."""

from __future__ import annotations

_IRREGULAR = {"study": "studies", "search": "searches", "saved search": "saved searches",
              "was": "were", "is": "are", "its": "their", "has": "have", "stays": "stay"}


def word_for(count: int, noun: str, nouns: str | None = None) -> str:
    """`noun` as it agrees with `count` (singular for exactly one): 'study'/'studies',
    'was'/'were'."""
    if count == 1:
        return noun
    return nouns or _IRREGULAR.get(noun, noun + "s")


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    """'1 trial', '2 trials', '0 trials', '1000 studies' (no thousands separator: scripts
    read these)."""
    return f"{count} {word_for(count, noun, nouns)}"
