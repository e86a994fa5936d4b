"""Words for a stopped sync or add: plain text for the dialog, the technical part for Details.

The main text says what happened in words a clinician reads ("The registry could not be
reached: connection refused."); request URLs, retry counts and per-trial lines go behind
Details, where a support person finds them.
"""

from __future__ import annotations

import re

_URL = r"https?://\S+"
_PARENTHESIS_WITH_URL = re.compile(rf"\s*\([^()]*{_URL}[^()]*\)")
_AT_URL = re.compile(rf"\s+at\s+{_URL}")
_ANY_URL = re.compile(_URL)


def plain_error(error: str) -> str:
    """The error without its request URLs: "the registry could not be reached: timed out"."""
    text = _PARENTHESIS_WITH_URL.sub("", error)
    text = _AT_URL.sub("", text)
    text = _ANY_URL.sub("the registry", text).strip().rstrip(".")
    return text[:1].upper() + text[1:] + "." if text else "It stopped."


def unchecked_sentence(not_checked: int, requested: int, adding: bool) -> str:
    if not not_checked:
        return ""
    verb = "added" if adding else "checked"
    if not_checked >= requested:
        return (f"None of the {requested} trials could be {verb}." if requested != 1
                else f"The trial could not be {verb}.")
    return f"{not_checked} of the {requested} trials could not be {verb}."


def stopped_outcome(report) -> str:
    """What was and was not changed, for the dialog's informative text."""
    adding = report.kind == "add"
    if adding:  # ids already in the library were never to be added: counted apart
        present = list(report.unchanged)
        missing = len(report.not_checked) + len(report.failed)
        unchecked = unchecked_sentence(missing, report.requested - len(present), True)
        kept = ("Trials added before it stopped are in your library." if report.added
                else "Adding changed nothing in your library.")
        already = ""
        if present:
            named = ", ".join(present[:3]) + (f" and {len(present) - 3} more"
                                               if len(present) > 3 else "")
            already = f" {named} {'was' if len(present) == 1 else 'were'} already there."
        return f"{unchecked} {kept}{already}".strip()
    unchecked = unchecked_sentence(len(report.not_checked), report.requested, adding)
    kept = ("Trials updated before it stopped are saved; the others keep their previous "
            "registry data." if report.saved_anything else "Nothing in your library was changed.")
    return f"{unchecked} {kept} Notes, tags and watch lists are never touched by a sync.".strip()


def stopped_details(report) -> str:
    """The technical part: the error in full and the per-trial report."""
    lines = [f"Error: {report.error}", ""]
    lines += report.summary_lines() or [report.headline()]
    return "\n".join(lines)
