"""Curators' caveats where a reader meets the figure: notes under the comparison table, and
each caveat printed once in a trial's section.

In the table a caveated figure carries a letter (61%ᵃ) and the caveat is printed right under
the table ("a. ZUMA-7 — OS: The review's Table 1 ..."): one letter per distinct caveat of a
trial, so two figures that share one caveat share one letter. A misprinted figure (its
curated print fault, `tracker.domain.misprints`: CLL14's PFS, a median in months printed as a
rate) is not printed in the table at all: its cell says "see note a", and the note says the
table gives no number there before the caveat. A mislabelled one (ZUMA-7's "PFS 41%", its
EFS) sits with its letter under what it measures, and its note says how the review labels
it. In a trial's section the first figure with a caveat prints it in full and a later figure
sharing it refers back to that figure instead of printing it again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.domain import Outcome
from tracker.domain.metrics import labelled_value

# Letters as superscripts (DejaVu Sans and the usual UI fonts have these modifier letters);
# "q" has no superscript form in common fonts, so the sequence skips it.
_LETTERS = "abcdefghijklmnoprstuvwxyz"
_SUPERSCRIPT = dict(zip(_LETTERS, "ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻ", strict=True))


def note_letter(index: int) -> str:
    """0 -> "a", 24 -> "z", 25 -> "aa": the footnote letter of the table's index-th caveat."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, len(_LETTERS))
        letters = _LETTERS[rest] + letters
    return letters


def superscript(letter: str) -> str:
    return "".join(_SUPERSCRIPT[c] for c in letter)


@dataclass(frozen=True)
class CaveatNote:
    """A note under the comparison table: "a. CLL14 — PFS: <the curator's caveat>"."""

    letter: str
    trial: str  # the trial's display title
    metrics: tuple[str, ...]  # the columns whose figures carry the letter
    text: str
    withheld: tuple[str, ...] = ()  # those whose cells point here instead of a number
    #: (column, the review's label) of a mislabelled figure shown under what it measures
    relabelled: tuple[tuple[str, str], ...] = ()

    @property
    def marker(self) -> str:
        return superscript(self.letter)

    def line(self) -> str:
        """"a. CLL14 — PFS: not usable as printed, so …: <caveat>" for a withheld figure;
        "b. ZUMA-7 — EFS: the review labels this figure PFS; the table shows it under EFS,
        what it measures. <caveat>" for a mislabelled one."""
        said = f"{self.letter}. {self.trial} — {', '.join(self.metrics)}: "
        if self.withheld:
            which = "" if self.withheld == self.metrics else f" ({', '.join(self.withheld)})"
            said += (f"not usable as printed{which}, so the table gives no number here (the "
                     "trial's own outcomes quote the review, with its source). ")
        for column, label in self.relabelled:
            which = "this figure" if self.metrics == (column,) else f"the {column} figure"
            said += (f"the review labels {which} {label}; the table shows it under {column}, "
                     "what it measures. ")
        return said + self.text


@dataclass
class _Note:
    trial: str
    text: str
    columns: list[str] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)
    relabelled: list[tuple[str, str]] = field(default_factory=list)

    def add(self, column: str, withheld: bool, relabelled: str | None) -> None:
        for chosen, item, wanted in ((self.columns, column, True),
                                     (self.withheld, column, withheld),
                                     (self.relabelled, (column, relabelled), relabelled)):
            if wanted and item not in chosen:
                chosen.append(item)


class CaveatNotes:
    """Collects the table's caveats in the order the cells are filled, and letters them."""

    def __init__(self) -> None:
        self._letters: dict[tuple[str, str], str] = {}
        self._notes: dict[str, _Note] = {}

    def letter_for(self, trial_id: str, trial_title: str, column: str, caveat: str, *,
                   withheld: bool = False, relabelled: str | None = None) -> str:
        """The caveat's letter; `withheld`: the figure's cell points here, with no number;
        `relabelled`: the review's label of a figure shown under `column`, what it measures."""
        key = (trial_id, caveat)
        letter = self._letters.get(key)
        if letter is None:
            letter = self._letters[key] = note_letter(len(self._letters))
            self._notes[letter] = _Note(trial_title, caveat)
        self._notes[letter].add(column, withheld, relabelled)
        return letter

    def notes(self) -> list[CaveatNote]:
        return [CaveatNote(letter, n.trial, tuple(n.columns), n.text, tuple(n.withheld),
                           tuple(n.relabelled)) for letter, n in self._notes.items()]


@dataclass(frozen=True)
class SectionCaveat:
    """How a trial section writes a figure's caveat: in full, or as a reference back."""

    text: str  # the caveat, or the figure it was printed with ("PFS 76.2%")
    first: bool


def section_caveats(outcomes: list[Outcome]) -> dict[int, SectionCaveat]:
    """For each caveated outcome (by position in the order the section prints them): the
    caveat in full the first time, afterwards the figure where it was printed."""
    printed_with: dict[str, str] = {}
    found: dict[int, SectionCaveat] = {}
    for position, outcome in enumerate(outcomes):
        if not outcome.caveat:
            continue
        first = printed_with.get(outcome.caveat)
        if first is None:
            printed_with[outcome.caveat] = labelled_value(outcome)
            found[position] = SectionCaveat(outcome.caveat, True)
        else:
            found[position] = SectionCaveat(first, False)
    return found
