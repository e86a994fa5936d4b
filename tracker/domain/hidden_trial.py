"""Why the selected trial is not among the results, in words: the search, the library tree's
choice (a watch list, tag, modality, disease or status) or a filter box, named for what each
does, so a trial in the watch list shown is never said to be outside it."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.words import listed


@dataclass(frozen=True)
class HiddenBy:
    """What hides a trial. `search`: the search text that leaves it out; `not_in`: the tree's
    choice it is not in ("the watch list “AML club”", "CAR-T"); `filters`: the filter boxes
    that leave it out ("changed since the last sync"); `listed_in`: the tree's choice it is in,
    while something else hides it."""

    search: str | None = None
    not_in: tuple[str, ...] = ()
    filters: tuple[str, ...] = ()
    listed_in: tuple[str, ...] = ()

    def why(self) -> str:
        """'is in the watch list “Heme JC” but hidden by the filter “changed since the last
        sync”'; 'is not in this watch list or filter (CAR-T) and is hidden by the current
        search “cilta”'."""
        parts = [f"is not in this watch list or filter ({', '.join(self.not_in)})"] \
            if self.not_in else []
        hiding = ([f"the current search “{self.search}”"] if self.search else []) + (
            [f"the {'filter' if len(self.filters) == 1 else 'filters'} "
             + listed([f"“{name}”" for name in self.filters], len(self.filters))]
            if self.filters else [])
        if hiding:
            lead = f"is in {listed(list(self.listed_in))} but " \
                if self.listed_in and not self.not_in else "is "
            parts.append(f"{lead}hidden by {' and '.join(hiding)}")
        return " and ".join(parts) or "is not among the results"

    def undo(self) -> str:
        """What shows it again: 'clear the search', 'choose All trials', 'turn off that
        filter', or several of them."""
        steps = (["clear the search"] if self.search else []) + (
            ["choose All trials"] if self.not_in else []) + (
            [f"turn off {'that filter' if len(self.filters) == 1 else 'those filters'}"]
            if self.filters else [])
        return listed(steps, len(steps)) or "choose All trials"
