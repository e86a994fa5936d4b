"""What a trial's timeline bar spans: one rule for the window's timeline and the handout's."""

from __future__ import annotations

from typing import TypeVar

T = TypeVar("T")

#: What the bar and its mark stand for, in the words both timelines use.
BAR_SPAN = "start → completion"
PRIMARY_MARK = "primary completion"


def bar_ends(start: T | None, primary: T | None, completion: T | None) -> tuple[T, T] | None:
    """Where a trial's bar begins and ends: from its start to its (study) completion; the
    primary completion is a mark on the bar, not its end. Without a start the bar begins at
    the primary completion (else the completion); without a completion it ends at the
    primary completion (else the start). None when the trial has none of the three dates."""
    begin = start or primary or completion
    end = completion or primary or start
    return None if begin is None or end is None else (begin, end)


def year_step(pixels_per_year: float, label_width: float, gap: float = 8) -> int:
    """Every how many years a timeline's axis is labelled so that labels keep `gap` px
    apart: 1, 2, 5, 10, … (a year every 40 px on a wide window, every 5 or 10 on a narrow
    one; a handout's 20-year span once printed "201420152016…"). Both timelines use it."""
    for step in (1, 2, 5, 10, 20, 50):
        if step * pixels_per_year >= label_width + gap:
            return step
    return 100
