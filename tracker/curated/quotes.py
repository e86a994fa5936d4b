"""Find the passage of a review article a curated figure was read from (a maintenance aid).

Used by `python -m tracker.curated.verify --fill-quotes`: for an outcome with no `quote`, pick the
sentence (or table row) of the seed text that prints its value and best matches the trial, trimmed
to a short window around the value. The curator then reads the picks and fixes bad ones by hand.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MAX_QUOTE = 220
_ABBREVIATIONS = {"vs", "al", "e.g", "i.e", "fig", "ref", "refs", "approx", "no", "et", "ca"}
_SENTENCE_END = re.compile(r"[.!?][\"”')\]]?\s+")
_PARAGRAPH = re.compile(r"\n\s*\n")


def fold(text: str) -> str:
    """White space folded to single spaces: how quotes and values are compared with the seeds."""
    return " ".join(text.split())


def value_pattern(value: str) -> re.Pattern[str]:
    """The value with any white space between its words, not inside a longer number or word."""
    body = r"\s+".join(re.escape(token) for token in value.split())
    before = r"(?<![\w.])" if value[:1].isalnum() else ""
    after = r"(?![\w])" if value[-1:].isalnum() else ""
    return re.compile(before + body + after)


def candidate_passages(seed: str, value: str) -> list[str]:
    """Every sentence or table row of `seed` that prints `value`, folded and trimmed."""
    found = []
    for match in value_pattern(value).finditer(seed):
        passage, offset = _enclosing_passage(seed, match.start(), match.end())
        found.append(_trim(passage, offset, fold(match.group())))
    return list(dict.fromkeys(found))


def best_quote(seed: str, value: str, hints: Iterable[str],
               sibling_values: Iterable[str] = ()) -> str | None:
    """The candidate passage mentioning most of the hint words (acronym, drugs, metric...) and
    of the trial's other figures (a table row prints several of them)."""
    words = {w for hint in hints if hint for w in re.findall(r"[a-z0-9][a-z0-9-]{2,}", hint.lower())}
    others = [fold(v) for v in sibling_values if fold(v) != fold(value) and len(v) >= 3]
    candidates = candidate_passages(seed, value)
    if not candidates:
        return None

    def score(candidate: str) -> int:
        lower = candidate.lower()
        return sum(w in lower for w in words) + 2 * sum(v in candidate for v in others)

    return max(candidates, key=score)


def _enclosing_passage(seed: str, start: int, end: int) -> tuple[str, int]:
    """The table row (markdown `|` line) or sentence around seed[start:end], and the match offset
    within the folded passage."""
    line_start = seed.rfind("\n", 0, start) + 1
    line_end = seed.find("\n", end)
    line_end = len(seed) if line_end < 0 else line_end
    if seed[line_start:line_end].lstrip().startswith("|"):
        begin, finish = line_start, line_end
    else:
        begin, finish = _sentence_start(seed, start), _sentence_end(seed, end)
    return fold(seed[begin:finish]), len(fold(seed[begin:start] + "x")) - 1


def _is_abbreviation(seed: str, dot: int) -> bool:
    word = re.search(r"([A-Za-z.]+)$", seed[max(0, dot - 8):dot])
    return bool(word) and (word.group(1).lower() in _ABBREVIATIONS or len(word.group(1)) == 1)


def _sentence_start(seed: str, position: int) -> int:
    window_start = max(0, position - 1500)
    start = window_start
    for match in _SENTENCE_END.finditer(seed, window_start, position):
        if not _is_abbreviation(seed, match.start()):
            start = match.end()
    for match in _PARAGRAPH.finditer(seed, window_start, position):
        start = max(start, match.end())
    return start


def _sentence_end(seed: str, position: int) -> int:
    limit = min(len(seed), position + 1500)
    paragraph = _PARAGRAPH.search(seed, position, limit)
    end = paragraph.start() if paragraph else limit
    for match in _SENTENCE_END.finditer(seed, position, end):
        if not _is_abbreviation(seed, match.start()):
            return match.start() + 1
    return end


def _trim(passage: str, offset: int, value: str) -> str:
    """At most MAX_QUOTE characters of `passage`, whole words, growing out from the value."""
    if len(passage) <= MAX_QUOTE:
        return passage.strip()
    start, end = offset, offset + len(value)
    while True:
        grown = False
        left = passage.rfind(" ", 0, max(start - 1, 0)) + 1 if start > 0 else 0
        if start > 0 and end - left <= MAX_QUOTE:
            start, grown = left, True
        right = passage.find(" ", end + 1)
        right = len(passage) if right < 0 else right
        if end < len(passage) and right - start <= MAX_QUOTE:
            end, grown = right, True
        if not grown:
            return passage[start:end].strip()
