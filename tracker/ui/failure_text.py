"""Words for a stopped sync or add: plain text for the dialog, the technical part for Details.

The main text says what happened in words a clinician reads ("The registry could not be
reached: connection refused."); request URLs, retry counts and per-trial lines go behind
Details, where a support person finds them.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from tracker.domain.words import listed, word_for

_URL = r"https?://\S+"
# a request as the client describes it: "GET http://…/studies?filter.ids=(88 ids)&fields=<3
# fields>&pageSize=1000" (the id list and field list are abbreviated, with spaces)
_REQUEST = re.compile(r"\s*\b(?:GET|POST|HEAD) https?://(?:[^\s(<]|\(\d+ ids?\)|<\d+ fields?>)*")
_AT_URL = re.compile(rf"\s+at\s+({_URL})")
_ANY_URL = re.compile(_URL)
_UNREACHABLE = "could not be reached"


def _without_url_groups(text: str) -> str:
    """Drop each parenthesised part that holds a URL, nested parentheses and all."""
    out, depth, group = [], 0, []
    for char in text:
        if char == "(":
            depth += 1
        if depth:
            group.append(char)
        else:
            out.append(char)
        if char == ")" and depth:
            depth -= 1
            if not depth:
                kept = "".join(group)
                if not _ANY_URL.search(kept):
                    out.append(kept)
                group = []
    return "".join(out + group)


def _host(match: re.Match) -> str:
    return f" at {urlsplit(match.group(1)).netloc or 'its address'}"


def plain_error(error: str) -> str:
    """The error in words a user needs: which host, what failed, no request detail:
    "The registry at 127.0.0.1:9 could not be reached: connection refused."."""
    text = _without_url_groups(error)
    text = _AT_URL.sub(_host, text)
    text = _REQUEST.sub("", text)
    text = _ANY_URL.sub("the registry", text)
    text = re.sub(r"\s{2,}", " ", text).strip().rstrip(".")
    return text[:1].upper() + text[1:] + "." if text else "It stopped."


def what_to_do(error: str) -> str:
    """One sentence on what the user can do about it."""
    if _UNREACHABLE in error:
        return ("Check the network connection (and the registry address: Preferences shows "
                "the one in use), then try again.")
    return "Try again later; Show Details… has the full report for support."


def stopped_line(report) -> str:
    """The status bar's short line for a stopped sync or add (the dialog says the rest)."""
    if report.library_left:  # the line says what happened and what to do, as it is
        return f"⚠ {report.stopped_text()}"
    what = "Adding trials" if report.kind == "add" else "Sync"
    kept = "some trials were saved" if report.saved_anything else "nothing was changed"
    error = plain_error(report.error or "").rstrip(".")
    return f"⚠ {what} stopped: {error[:1].lower() + error[1:]}; {kept}."


def unchecked_sentence(not_checked: int, requested: int, adding: bool) -> str:
    if not not_checked:
        return ""
    verb = "added" if adding else "checked"
    if not_checked >= requested:
        return (f"None of the {requested} trials could be {verb}." if requested != 1
                else f"The trial could not be {verb}.")
    return f"{not_checked} of the {requested} trials could not be {verb}."


def stopped_message(report) -> tuple[str, str]:
    """(dialog title, first sentence) for a sync or add that stopped, or that ran to the end
    into a library file no longer at its path."""
    adding = report.kind == "add"
    if report.library_left:
        return ("Added trials not saved" if adding else "Sync not saved"), report.stopped_text()
    what = "Adding trials" if adding else "The sync"
    return (("Adding trials stopped" if adding else "Sync stopped"),
            f"{what} stopped. {plain_error(report.error)}")


def stopped_outcome(report) -> str:
    """What was and was not changed, for the dialog's informative text."""
    adding = report.kind == "add"
    if report.library_left:  # the main text said what happened and what to do
        return "" if adding else "Notes, tags and watch lists are never touched by a sync."
    if adding:  # ids already in the library were never to be added: counted apart
        present = list(report.unchanged)
        missing = len(report.not_checked) + len(report.failed)
        unchecked = unchecked_sentence(missing, report.requested - len(present), True)
        kept = ("Trials added before it stopped are in your library." if report.added
                else "Adding changed nothing in your library.")
        already = ""
        if present:
            already = f" {listed(present)} {word_for(len(present), 'was')} already there."
        return f"{unchecked} {kept}{already} {what_to_do(report.error or '')}".strip()
    unchecked = unchecked_sentence(len(report.not_checked), report.requested, adding)
    kept = ("Trials updated before it stopped are saved; the others keep their previous "
            "registry data." if report.saved_anything else "Nothing in your library was changed.")
    return (f"{unchecked} {kept} Notes, tags and watch lists are never touched by a sync. "
            f"{what_to_do(report.error or '')}").strip()


def stopped_details(report) -> str:
    """The technical part: the error in full and the per-trial report."""
    lines = [f"Error: {report.error}", ""]
    lines += report.summary_lines() or [report.headline()]
    return "\n".join(lines)
