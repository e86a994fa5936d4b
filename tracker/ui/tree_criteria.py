"""How the library tree's entries combine: one entry per section, sections joined by AND.

A plain click shows one entry ("CAR-T"). Ctrl-click adds an entry of another section to it
("CAR-T" and "Multiple myeloma": CAR-T trials in myeloma), replaces the entry of its own
section (a trial has one modality, so "CAR-T" or "Bispecific" is not a narrowing anyone
needs), and takes a chosen entry back out. The criteria are TrialQuery fields, which
combine with AND already.
"""

from __future__ import annotations

#: The keys each section's entries set, in tree order (a disease entry may also set
#: `disease_exact`, a watch list entry also names the list).
SECTION_KEYS: tuple[tuple[str, ...], ...] = (
    ("modality",), ("disease", "disease_exact"), ("status",),
    ("watchlist_id", "watchlist_name"), ("tag",),
)


def section_of(criteria: dict) -> tuple[str, ...] | None:
    """The section keys of an entry's criteria; None for "All trials" or unknown keys."""
    return next((keys for keys in SECTION_KEYS if keys[0] in criteria), None)


def parts(criteria: dict) -> list[dict]:
    """`criteria` as the entries it is made of, in tree order."""
    return [{key: criteria[key] for key in keys if key in criteria}
            for keys in SECTION_KEYS if keys[0] in criteria]


def part_with(criteria: dict, key: str) -> dict:
    """The entry of `criteria` that sets `key` ({} when none does)."""
    return next((part for part in parts(criteria) if key in part), {})


def toggled(current: dict, entry: dict) -> dict:
    """`current` with `entry` taken out when it is one of its entries, else put in (in
    place of its section's entry). "All trials" ({}) clears everything."""
    keys = section_of(entry)
    if keys is None:
        return {}
    others = {key: value for key, value in current.items() if key not in keys}
    return others if entry in parts(current) else others | entry


def replaced(current: dict, old: dict, new: dict) -> dict:
    """`current` with its entry `old` replaced by `new` (a renamed tag or list), or without
    it when `new` is {} (deleted); unchanged when `old` is not one of its entries."""
    if old not in parts(current):
        return dict(current)
    keys = section_of(old) or ()
    rest = {key: value for key, value in current.items() if key not in keys}
    return rest | new
