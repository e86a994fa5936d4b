"""Sizes the app accepts from people and files (one place, documented in the README)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from tracker.domain.errors import NoteTooLongError

NOTE_MAX_BYTES = 100 * 1024  # 100 KB of UTF-8: pages of text, far below what freezes a view
TRIAL_NOTES_MAX_BYTES = 1024 * 1024  # notes one import may bring for one trial (1 MB)


def check_note_size(body: str) -> str:
    """Return `body`, or raise NoteTooLongError when its UTF-8 form is over NOTE_MAX_BYTES."""
    size = len(body.encode("utf-8", "surrogatepass"))
    if size > NOTE_MAX_BYTES:
        raise NoteTooLongError(
            f"the note is {size // 1024} KB; notes are limited to {NOTE_MAX_BYTES // 1024} KB: "
            "shorten it or keep long documents as files and link to them")
    return body


#: More patients than any study enrols (the largest registry cohorts are in the millions);
#: a count above it is a registry glitch, and one over 2**63 cannot even be stored.
ENROLLMENT_MAX = 100_000_000


def enrollment_problem(count: object) -> str | None:
    """Why an enrollment count from the registry or a file cannot be taken, or None: a
    negative count, or one no study reaches ("a negative count (-5)")."""
    if not isinstance(count, int) or isinstance(count, bool):
        return None if count is None else f"not a whole number ({str(count)[:40]!r})"
    if count < 0:
        return f"a negative count ({count:,})"
    if count > ENROLLMENT_MAX:
        return f"an implausible count ({count:,}; at most {ENROLLMENT_MAX:,})"
    return None


TAG_MAX_CHARS = 64
WATCHLIST_NAME_MAX_CHARS = 120
# C0 and C1 controls, DEL, and the invisible format characters (Cf) a name has no use for;
# ZWNJ/ZWJ (U+200C/D) are allowed, they shape words. Lone surrogates are what Python makes
# of command-line bytes that are not UTF-8.
_NOT_IN_NAMES = re.compile(
    "[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u206f"
    "\ufeff\ufff9-\ufffb"
    # characters that print as nothing or as a blank: a name could look like another
    "\u034f\u115f\u1160\u2800\u3164\uffa0]"
    # a joiner shapes the letters of the scripts that use it, never next to Latin or at an end
    "|^[\u200c\u200d]|[\u200c\u200d]$|[\x20-\x7e][\u200c\u200d]|[\u200c\u200d][\x20-\x7e]")
#: The one form names are kept in: NFKC folds what only looks different (é typed as e plus an
#: accent, fullwidth ＡＭＬ) into one spelling, so a look-alike is found as the same name.
NAME_FORM = "NFKC"
_SURROGATE = re.compile("[\ud800-\udfff]")


def not_utf8_message(bad: str) -> str:
    """The one message for text that came from bytes that are not UTF-8."""
    return (f"the text {bad!r} is not valid UTF-8; nothing was changed: check the terminal's "
            "encoding (UTF-8 expected)")


def check_name(value: object, what: str, limit: int) -> object:
    """A tag's or watch list's name as typed: not blank, no control characters, at most
    `limit` characters, in Unicode normal form NFKC. Raises ValueError with a sentence a user
    can act on."""
    if not isinstance(value, str):
        return value  # pydantic says what type it wanted
    surrogate = _SURROGATE.search(value)
    if surrogate:
        raise ValueError(not_utf8_message(surrogate.group()))
    control = _NOT_IN_NAMES.search(value)
    if control:
        found = next(ch for ch in control.group() if not " " <= ch <= "~")
        raise ValueError(f"{what} cannot contain control or invisible characters "
                         f"(found U+{ord(found):04X}); type it again")
    if not value.strip():
        raise ValueError(f"{what.removesuffix(' name')} needs a name; type one")
    value = unicodedata.normalize(NAME_FORM, value)
    if len(value.strip()) > limit:
        raise ValueError(f"{what} has {len(value.strip())} characters; it may have "
                         f"at most {limit} characters")
    return value


def typed_name(text: str) -> str:
    """A name as typed to find a saved one: spaces folded, in NAME_FORM (what the name rules
    stored), so `rm ＡＭＬ` finds "AML"."""
    return unicodedata.normalize(NAME_FORM, " ".join(text.split()))


def comparable_name(text: str) -> str:
    """A name as compared with one stored under older rules: NFKC, invisible and control
    characters dropped, spaces folded, case ignored ('AML\u200bwatch' is 'amlwatch')."""
    shown = "".join(ch for ch in unicodedata.normalize(NAME_FORM, text)
                    if unicodedata.category(ch) not in ("Cf", "Cc"))
    return " ".join(shown.split()).casefold()


#: Meeting dates a watch list may carry: a mistyped year (9999) is refused, not exported.
MEETING_YEARS = (2000, 2100)


#: The earliest year a "changes since" date may name (a mistyped year is refused).
SINCE_YEAR_MIN = MEETING_YEARS[0]


def since_date_problem(date: dt.date, today: dt.date) -> str | None:
    """Why `date` cannot start a "changes since" window, or None: a date after today (a
    mistyped year, 2027 for 2026) would report no change for any trial and say nothing of
    it; one before 2000 is a mistyped year too."""
    if date > today:
        return (f"{date.isoformat()} is after today ({today.isoformat()}), so no change can "
                "have been seen since then: check the year")
    if date.year < SINCE_YEAR_MIN:
        return f"{date.isoformat()} is before {SINCE_YEAR_MIN}: check the year"
    return None


def meeting_date_problem(date: dt.date | None) -> str | None:
    """Why `date` cannot be a meeting date, or None."""
    if date is not None and not MEETING_YEARS[0] <= date.year <= MEETING_YEARS[1]:
        return (f"the meeting date {date.isoformat()} is not between {MEETING_YEARS[0]} and "
                f"{MEETING_YEARS[1]}: check the year")
    return None


#: Past meetings one watch-list file may carry: weekly meetings for nineteen years.
PAST_MEETINGS_MAX = 1000


def past_meeting_problem(day: dt.date, today: dt.date) -> str | None:
    """Why `day` cannot be a meeting a watch list held, or None: a year out of range
    (`meeting_date_problem`), or a day after tomorrow. One day's leeway: a colleague's file
    from a time zone ahead of the user's may name a meeting held on what is still today (or,
    at the far ends of the zones, tomorrow) here; it counts from the day after it."""
    problem = meeting_date_problem(day)
    if problem:
        return problem
    if day > today + dt.timedelta(days=1):
        return (f"the past meeting {day.isoformat()} is after today ({today.isoformat()}): "
                "a meeting that has not come yet was not held")
    return None
