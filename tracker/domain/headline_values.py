"""A figure's value written compactly for a headline, the way a results table writes it.

The reviews sometimes print a result as prose: "Three out of five patients (60%)", "12 patients
(52%)", "exceeding 80%", "9.14-month", "two cases". The detail view, `tracker show` and the
handouts' trial sections keep the value exactly as printed, beside its quote and source; a
headline (a card, `tracker list`, a handout's lead line) writes the same facts in a results
table's form: "60% (3/5)", ">80%", "9.14 months", "2 cases". Only the form changes: no number
is added, dropped or derived, and a value no rule matches is written as printed. A count
without its denominator ("12 patients (52%)") keeps the count first: written "52% (12
patients)" it would read as 52% of 12. A "vs" pair is written as printed on both sides.
"""

from __future__ import annotations

import re

from tracker.domain.headline_labels import with_unit

# Number words as the reviews print small counts ("Three out of five patients").
_NUMBER_WORDS = {word: str(number) for number, word in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty".split())}

# Words that bound a figure, and the sign a results table writes for them.
_BOUND_SIGNS = {"exceeding": ">", "more than": ">", "greater than": ">", "over": ">",
                "above": ">", "at least": "≥", "up to": "≤", "less than": "<", "below": "<",
                "under": "<", "approximately": "~", "about": "~", "around": "~"}

_NUMBER = r"\d+(?:\.\d+)?"
_COUNT = rf"(?:{_NUMBER}|{'|'.join(_NUMBER_WORDS)})"
_SUBJECTS = r"(?:patients?|cases?|participants?|subjects?)"
_PERCENT_AFTER = rf"\((?P<percent>{_NUMBER}%)\)"
_OUT_OF = re.compile(rf"^(?P<count>{_COUNT}) (?:out )?of (?:the )?(?P<total>{_COUNT})"
                     rf"(?: {_SUBJECTS})? {_PERCENT_AFTER}$", re.IGNORECASE)
_BOUNDED = re.compile(rf"^(?P<bound>{'|'.join(_BOUND_SIGNS)}) (?P<figure>{_NUMBER}%?)$",
                      re.IGNORECASE)
_HYPHENATED_DURATION = re.compile(rf"^(?P<figure>{_NUMBER})-(?P<unit>day|week|month|year)s?$",
                                  re.IGNORECASE)
# a count of its own ("two cases", "MRD-neg in two patients"), not part of "three out of five"
_WORD_COUNT = re.compile(rf"(?P<lead>^|\bin )(?P<count>{'|'.join(_NUMBER_WORDS)})"
                         rf"(?= {_SUBJECTS}\b)", re.IGNORECASE)
_PLAIN_ENDINGS = frozenset("%0123456789")  # "42%", "0.66": a value starting with a digit
_PLAIN = re.compile(rf"^[~<>≤≥]?\s*{_NUMBER}\s*%?$")  # most values: nothing to rewrite


def headline_value(outcome: object) -> str:
    """The value of `outcome` (any object with `value`, `unit`, `timepoint`) for a headline:
    `with_unit`'s text, in a results table's form when the review printed it as prose."""
    printed = with_unit(outcome)
    if printed[:1].isdigit() and printed[-1:] in _PLAIN_ENDINGS or _PLAIN.match(printed):
        return printed  # "42%": the card list's common case, checked without a regex
    return _compact(printed.strip())


def _compact(text: str) -> str:
    match = _OUT_OF.match(text)
    if match:
        return f"{match['percent']} ({_digits(match['count'])}/{_digits(match['total'])})"
    match = _BOUNDED.match(text)
    if match:
        return f"{_BOUND_SIGNS[match['bound'].lower()]}{match['figure']}"
    match = _HYPHENATED_DURATION.match(text)
    if match:
        plural = "" if match["figure"] == "1" else "s"
        return f"{match['figure']} {match['unit'].lower()}{plural}"
    return _WORD_COUNT.sub(lambda m: m["lead"] + _digits(m["count"]), text)


def _digits(count: str) -> str:
    return _NUMBER_WORDS.get(count.lower(), count)
