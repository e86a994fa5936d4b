"""Counts in words: "1 trial", "2 trials", "1 study was" — one rule for every message."""

from __future__ import annotations

import re

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


def listed(names: list[str], most: int = 3) -> str:
    """Names in a sentence, at most `most` of them: 'A', 'A and B', 'A, B and C',
    'A, B, C and 4 more'."""
    shown = list(names[:most])
    if len(names) > most:
        shown.append(f"{len(names) - most} more")
    if len(shown) <= 1:
        return "".join(shown)
    return ", ".join(shown[:-1]) + " and " + shown[-1]


def lower_first(text: str) -> str:
    """A label inside a sentence: "now active not recruiting", "now something new
    (unrecognised status, registry code SOMETHING_NEW)": the first letter lowered, a code in
    it kept as written."""
    return text[:1].lower() + text[1:]


def named_trial(trial_id: str, title: str | None) -> str:
    """A trial named in a message: 'CLL14 — Venetoclax… (NCT02242942)', or its id alone when
    it has no title of its own."""
    return f"{title} ({trial_id})" if title and title != trial_id else trial_id


_INNER_BRACKET = re.compile(r"\s*\(([^()]*)\)")


def bracketable(text: str) -> str:
    """`text` to be written inside brackets: its own brackets become commas, so a figure
    reads "(6 months, as labelled in the table; tisagenlecleucel)", not "(6 months (as
    labelled in the table); tisagenlecleucel)"."""
    return _INNER_BRACKET.sub(r", \1", text)


def typed_tags(texts: list[str]) -> list[str]:
    """The tags in what was typed: a comma separates tags, as the window's tag box reads
    them, so `tracker tag ID "AML, journal club"` is two tags; blanks are dropped."""
    return [part.strip() for text in texts for part in text.split(",") if part.strip()]
