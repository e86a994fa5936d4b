"""Which arms a posted statistical analysis compares, in words a reader can quote.

The registry names the compared groups by id (`groupIds`); the reader needs their titles.
Titles that share words are written once around the part that differs: "Ide-cel 150 x10^6"
and "Ide-cel 450 x10^6" become "Ide-cel 150 vs 450 x10^6"; titles that combine treatments
("Venetoclax + Azacitidine") are kept whole. The order is the registry's: it
does not say which arm is the reference, so its own description ("450 vs 300") is shown too.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Protocol

ARM_WORDS_MAX = 40  # characters of one arm's differing words before "…"
#: Words that join treatments or parts of a title: titles holding one are never factored, as
#: "Venetoclax vs Placebo + Azacitidine" would misread "Venetoclax + Azacitidine".
_CONNECTORS = frozenset({"+", "plus", "and", "with", "/", "&", "or", "vs", "vs.", "versus", "-",
                         "–", "—", "then", "followed"})


class _Group(Protocol):
    id: str
    title: str


def compared_arms(group_ids: Sequence[str], groups: Sequence[_Group],
                  joiner: str = " vs ") -> str:
    """"Ide-cel 300 vs 450 x10^6"; an id the measure does not list, or lists for two arms,
    is named as such rather than guessed; "" when the analysis names no group. `joiner`
    " and " names the arms without an order (when the registry's own words give it)."""
    if not group_ids:
        return ""
    known = all(sum(g.id == group_id for g in groups) == 1 for group_id in group_ids)
    titles = [_title(group_id, groups) for group_id in group_ids]
    if len(titles) < 2 or not known or len(set(titles)) < len(titles):
        return joiner.join(titles)
    titles = [next(g.title for g in groups if g.id == group_id) for group_id in group_ids]
    split = [t.split() for t in titles]
    shortest = min(len(words) for words in split)
    head = _shared(split, shortest - 1)
    tail = _shared([list(reversed(w)) for w in split], shortest - 1 - head)
    if any(_CONNECTORS & {w.lower() for w in words} for words in split):
        return joiner.join(short_arm(t) for t in titles)  # "A + B vs C + B" stays whole
    middles = [" ".join(words[head:len(words) - tail]) for words in split]
    if any(not _whole_part(middle) for middle in middles):  # "1 (100 vs 2 (200 mg)"
        return joiner.join(short_arm(t) for t in titles)
    prefix = short_arm(" ".join(split[0][:head]))
    suffix = short_arm(" ".join(split[0][len(split[0]) - tail:])) if tail else ""
    body = joiner.join(short_arm(m) for m in middles)
    return " ".join(p for p in (prefix, body, suffix) if p)


def _whole_part(text: str) -> bool:
    """Whether `text` can stand between shared words: its brackets close inside it, and it
    holds no label's colon ("Cohort A: … vs B: …" would misread)."""
    return (":" not in text and text.count("(") == text.count(")")
            and text.count("[") == text.count("]"))


def _title(group_id: str, groups: Sequence[_Group]) -> str:
    matches = [g.title for g in groups if g.id == group_id]
    if not matches:
        return f"group {group_id} (not among this measure's arms)"
    if len(matches) > 1:
        return f"group {group_id} (posted for {len(matches)} arms: {' / '.join(matches)})"
    return short_arm(matches[0])


def _shared(split: list[list[str]], most: int) -> int:
    """How many leading words every title shares, leaving each at least one of its own."""
    count = 0
    while count < most and all(words[count] == split[0][count] for words in split):
        count += 1
    return count


def short_arm(title: str, most: int = ARM_WORDS_MAX) -> str:
    """An arm's title cut at a word to at most `most` characters ("…" marks the cut)."""
    return textwrap.shorten(title, most, placeholder=" …")
