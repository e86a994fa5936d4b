"""What narrows the shown cards, in words: the count ("5 of 117 trials: watch list “AML” +
search “venetoclax”") and the empty state ("No trials in the watch list “AML” match
“ZUMA-1”.")."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.words import listed, word_for

#: A name longer than this is cut in the count (the tab bar's corner); its tooltip has it whole.
COUNT_NAME_CHARS = 30


@dataclass(frozen=True)
class Narrowing:
    """The search, the tree entries chosen and the filter boxes set."""

    search: str | None = None
    lists: tuple[str, ...] = ()  # watch list names
    tags: tuple[str, ...] = ()
    entries: tuple[str, ...] = ()  # tree entries and the phase: "CAR-T", "MM", "Phase 3"
    conditions: tuple[str, ...] = ()  # "changed since 2026-11-03", "within 500 km of home"

    def parts(self, short: bool = False) -> list[str]:
        """Each narrowing as a name for the count ("watch list “AML”", "CAR-T")."""
        cut = _cut if short else (lambda name: name)
        return ([f"watch list “{cut(name)}”" for name in self.lists]
                + [f"tag “{cut(name)}”" for name in self.tags] + list(self.entries)
                + list(self.conditions)
                + ([f"search “{cut(self.search)}”"] if self.search else []))


def _cut(name: str) -> str:
    return name if len(name) <= COUNT_NAME_CHARS else name[:COUNT_NAME_CHARS - 1] + "…"


def count_text(shown: int, total: int, narrowing: Narrowing, short: bool = True) -> str:
    """"15 of 117 trials", and what is combined when more than one thing narrows them:
    "15 of 117 trials: CAR-T + MM" (one alone is in sight: the tree's highlight, the box)."""
    parts = narrowing.parts(short)
    return f"{shown} of {total} trials" + (f": {' + '.join(parts)}" if len(parts) > 1 else "")


def no_match_text(narrowing: Narrowing) -> str:
    """The empty state: "No trials match “venetoclax”.", "No trials with the filters BCL-2
    and Phase 3.", "No trials in the watch list “AML club” changed since 2026-11-03.", "No
    trials in the watch list “AML club” match “ZUMA-1”."."""
    n = narrowing
    where = ([f"in the watch list “{name}”" for name in n.lists]
             + [f"tagged “{name}”" for name in n.tags]
             + ([f"with the {word_for(len(n.entries), 'filter')} "
                 + listed(list(n.entries), len(n.entries))] if n.entries else [])
             + list(n.conditions))
    if n.search and where:
        # commas set the qualifiers apart once there are several: "…, changed since …, match"
        quals = ", ".join(where) + ("," if len(where) > 1 else "")
        return f"No trials {quals} match “{n.search}”."
    if n.search:
        return f"No trials match “{n.search}”."
    if where:
        return f"No trials {' '.join(where)}."
    return "No trials in this view."
