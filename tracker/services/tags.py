"""Tags across the library: counts for the tree, renaming and deleting a tag everywhere."""

from __future__ import annotations

from tracker.domain import TrackerError
from tracker.store import Library


class TagError(TrackerError):
    """A tag rename or delete that cannot be done (unknown tag, empty name)."""


def tag_counts(library: Library) -> dict[str, int]:
    return library.tags.counts()


def rename_tag(library: Library, old: str, new: str) -> int:
    """Rename `old` to `new` on every trial that carries it; trials that already carry
    `new` keep one copy. Returns how many trials were touched."""
    new = " ".join(new.split())
    if not new:
        raise TagError("A tag needs a name; type one or press Cancel.")
    if old.lower() not in _names(library):
        raise TagError(f"There is no tag “{old}” any more; it may have been deleted.")
    return library.tags.rename(old, new)


def delete_tag(library: Library, name: str) -> int:
    """Remove the tag from every trial (the trials stay). Returns how many lost it."""
    if name.lower() not in _names(library):
        raise TagError(f"There is no tag “{name}” any more; it may have been deleted.")
    return library.tags.delete(name)


def _names(library: Library) -> set[str]:
    return {name.lower() for name in library.tags.counts()}
