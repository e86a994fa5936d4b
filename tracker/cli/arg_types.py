"""Option values checked by argparse, so bad input is refused in plain words (exit 2) before a
command starts: distances, phases, registry statuses, study types and "changes since" dates."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable

from tracker.domain import Phase, RegistryStatus
from tracker.domain.calendar_day import users_today
from tracker.domain.limits import since_date_problem

STUDY_TYPES = ("INTERVENTIONAL", "OBSERVATIONAL", "EXPANDED_ACCESS")  # domain.searches.StudyType


def km(limit: float) -> Callable[[str], float]:
    """A distance in km, more than 0 and at most `limit`."""

    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0 < value <= limit:  # NaN fails this too
            raise argparse.ArgumentTypeError(
                f"not a distance in km: {text} (a number above 0 and at most {limit:,.0f}, "
                "e.g. 200)")
        return value

    return parse


def phase(text: str) -> str:
    upper = text.strip().upper().replace(" ", "")
    if upper.isdigit():
        upper = f"PHASE{upper}"
    if upper not in {p.value for p in Phase}:
        raise argparse.ArgumentTypeError(
            f"not a phase: {text} (expected PHASE1…PHASE4, EARLY_PHASE1, NA, or 1-4)")
    return upper


def status(text: str) -> str:
    upper = text.strip().upper().replace(" ", "_")
    if upper not in {s.value for s in RegistryStatus}:
        raise argparse.ArgumentTypeError(
            f"not a registry status: {text} (e.g. RECRUITING, ACTIVE_NOT_RECRUITING, COMPLETED; "
            "see tracker searches add --help)")
    return upper


def status_code(text: str) -> str:
    """`tracker list --status`: a listed status, or a code-shaped one the registry may have
    added since (the command checks the library holds it: tracker.cli.commands)."""
    from tracker.domain.enums import code_problem

    upper = text.strip().upper().replace(" ", "_")
    if code_problem(upper, "status"):
        raise argparse.ArgumentTypeError(
            f"not a registry status: {text} (e.g. RECRUITING, ACTIVE_NOT_RECRUITING, COMPLETED)")
    return upper


def study_type(text: str) -> str:
    upper = text.strip().upper().replace(" ", "_")
    if upper not in STUDY_TYPES:
        raise argparse.ArgumentTypeError(
            f"not a study type: {text} (expected {', '.join(STUDY_TYPES[:-1])} or "
            f"{STUDY_TYPES[-1]})")
    return upper


def since_date(text: str) -> dt.date:
    """A "changes since" date: ISO, not after today (the user's day), not before 2000."""
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text} (expected YYYY-MM-DD)") from None
    problem = since_date_problem(date, users_today())
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return date
