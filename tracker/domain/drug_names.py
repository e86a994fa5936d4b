"""How a curated drug name is written for readers.

Curated files keep drug names lower-case so searches and the modality rule can match them
("cd19 car-t", "pf-04518600"). Generic names stay lower-case in print too (venetoclax), but
code names, targets and product classes are written as their owners and papers write them:
a word with a digit in it (`CD19`, `PF-04518600`, `UCART19`) or one of the abbreviations below
is upper-case.
"""

from __future__ import annotations

import re

#: Abbreviations without a digit that are written upper-case.
UPPER_CASE_WORDS = frozenset({"car-t", "car-nk", "bcma", "arc-t", "sparx", "amg", "tki", "hma",
                              "bite"})

_WORD = re.compile(r"[^\s/()]+")


def drug_label(name: str) -> str:
    """'cd19/cd22 car-t' -> 'CD19/CD22 CAR-T'; 'venetoclax' stays 'venetoclax'."""
    return _WORD.sub(_word_label, name)


def _word_label(match: re.Match[str]) -> str:
    word = match.group(0)
    if word.lower() in UPPER_CASE_WORDS or any(character.isdigit() for character in word):
        return word.upper()
    if "-" in word:  # 'anti-bcma' -> 'anti-BCMA': an abbreviation inside a compound word
        return "-".join(part.upper() if part.lower() in UPPER_CASE_WORDS else part
                        for part in word.split("-"))
    return word
