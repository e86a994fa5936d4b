"""A small subset of the registry's search syntax ("Essie") for the fake registry.

Query text (`query.term` / `query.cond` / `query.intr`): words and "quoted phrases" that must
appear in the area's text, joined by AND (or nothing), OR and NOT, grouped with parentheses.
`filter.advanced`: `AREA[StudyFirstPostDate]RANGE[from,to]` and the same for
`AREA[LastUpdatePostDate]` (dates or MIN/MAX), `AREA[Phase]PHASE2`,
`AREA[StudyType]INTERVENTIONAL`, joined the same way. Anything else is a syntax error, which
the server answers with a 400 text body, as the real API does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_TOKEN = re.compile(r'\s*(?:(\()|(\))|"([^"]*)"|(AREA\[[^\]]*\](?:RANGE\[[^\]]*\]|[^\s()]+))'
                    r'|([^\s()"]+))')
Predicate = Callable[[Any], bool]


class EssieError(ValueError):
    pass


def tokens(text: str) -> list[tuple[str, str]]:
    found, position = [], 0
    text = text.strip()
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match or match.end() == position:
            raise EssieError(f"cannot parse the expression near: {text[position:][:30]!r}")
        position = match.end()
        opening, closing, phrase, area, word = match.groups()
        if opening or closing:
            found.append(("paren", opening or closing))
        elif phrase is not None:
            found.append(("atom", phrase))
        elif area:
            found.append(("area", area))
        elif word in ("AND", "OR", "NOT"):
            found.append(("op", word))
        else:
            found.append(("atom", word))
    return found


def compile_expression(text: str, atom: Callable[[str, str], Predicate]) -> Predicate:
    """A predicate for the whole expression; `atom(kind, text)` makes leaf predicates."""
    parser = _Parser(tokens(text), atom)
    predicate = parser.either()
    if parser.position != len(parser.items):
        raise EssieError(f"unexpected {parser.items[parser.position][1]!r} in the expression")
    return predicate


class _Parser:
    def __init__(self, items: list[tuple[str, str]], atom) -> None:
        self.items, self.position, self.atom = items, 0, atom

    def peek(self) -> tuple[str, str] | None:
        return self.items[self.position] if self.position < len(self.items) else None

    def either(self) -> Predicate:
        parts = [self.both()]
        while self.peek() == ("op", "OR"):
            self.position += 1
            parts.append(self.both())
        return lambda s: any(p(s) for p in parts)

    def both(self) -> Predicate:
        parts = [self.unary()]
        while (item := self.peek()) is not None and item not in (("op", "OR"), ("paren", ")")):
            if item == ("op", "AND"):
                self.position += 1
            parts.append(self.unary())
        return lambda s: all(p(s) for p in parts)

    def unary(self) -> Predicate:
        item = self.peek()
        if item is None:
            raise EssieError("the expression ends early")
        self.position += 1
        if item == ("op", "NOT"):
            inner = self.unary()
            return lambda s: not inner(s)
        if item == ("paren", "("):
            inner = self.either()
            if self.peek() != ("paren", ")"):
                raise EssieError("a '(' without its ')'")
            self.position += 1
            return inner
        if item[0] in ("atom", "area"):
            return self.atom(*item)
        raise EssieError(f"unexpected {item[1]!r} in the expression")


# -- filter.advanced areas ---------------------------------------------------------------------

_AREA = re.compile(r"^AREA\[(\w+)\](?:RANGE\[\s*([^,\]]+?)\s*,\s*([^\]]+?)\s*\]|(\S+))$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def area_predicate(kind: str, text: str) -> Predicate:
    if kind != "area":
        raise EssieError(f"filter.advanced: expected AREA[...], got {text!r}")
    match = _AREA.match(text)
    if not match:
        raise EssieError(f"filter.advanced: cannot parse {text!r}")
    field, low, high, value = match.groups()
    if field in _DATE_AREAS and low is not None:
        return _date_range(_DATE_AREAS[field], low, high)
    if field == "Phase" and value:
        return lambda s: value in _design(s).get("phases", [])
    if field == "StudyType" and value:
        return lambda s: _design(s).get("studyType") == value
    raise EssieError(f"filter.advanced: this fake does not know {text!r}")


_DATE_AREAS = {"StudyFirstPostDate": "studyFirstPostDateStruct",
               "LastUpdatePostDate": "lastUpdatePostDateStruct"}


def _date_range(struct: str, low: str, high: str) -> Predicate:
    for bound in (low, high):
        if bound not in ("MIN", "MAX") and not _DATE.match(bound):
            raise EssieError(f"filter.advanced: not a date in RANGE: {bound!r}")

    def inside(study: Any) -> bool:
        posted = (study["protocolSection"]["statusModule"].get(struct) or {}).get("date", "")
        return bool(posted) and (low == "MIN" or posted >= low) and (high == "MAX"
                                                                      or posted <= high)
    return inside


def _design(study: Any) -> dict:
    return study["protocolSection"].get("designModule", {})
