"""`tracker changes`: the registry change log, newest first."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from typing import TYPE_CHECKING

from tracker.cli.arg_types import since_date
from tracker.cli.exit_codes import EXIT_OK, EXIT_USAGE
from tracker.cli.json_output import print_json
from tracker.domain.calendar_day import local_day
from tracker.domain.words import plural

if TYPE_CHECKING:
    from tracker.context import AppContext


def _since(text: str) -> str | dt.date:
    if text in ("last-sync", "meeting"):
        return text
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date: {text} (expected YYYY-MM-DD, last-sync or meeting)") from None
    return since_date(text)


def add_change_parser(commands) -> None:
    cmd = commands.add_parser("changes", help="list registry changes, newest first")
    cmd.add_argument("--since", type=_since, metavar="DATE",
                     help="YYYY-MM-DD, last-sync, or meeting (the --watchlist's meeting date)")
    cmd.add_argument("--watchlist", metavar="NAME", help="only the trials on this watch list")
    cmd.add_argument("--major", action="store_true", help="only major changes (status, results "
                     "posted, primary endpoint, primary completion slip of 3+ months or earlier, "
                     "enrollment change of 20%% or more)")
    cmd.add_argument("--json", action="store_true", help="print a JSON array (docs/cli-json.md)")


def cmd_changes(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.services.change_log import (
        ChangeWindowError,
        change_json,
        change_window,
        list_changes,
    )

    try:
        window = change_window(context.library, args.since, args.watchlist)
        changes = list_changes(context.library, window, watchlist=args.watchlist,
                               major_only=args.major)
    except ChangeWindowError as error:
        print(f"tracker changes: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        print_json([change_json(change) for change in changes])
        return EXIT_OK
    titles = {t.id: t.display_title for t in context.library.trials.list(with_outcomes=False)}
    for change in changes:
        print(f"{local_day(change.seen_at)}  {change.significance.value:<5}  {change.trial_id}  "
              f"{titles.get(change.trial_id, '')}: {change.describe()}")
    kind = "major change" if args.major else "change"
    print(f"{plural(len(changes), kind)} ({window.label})", file=sys.stderr)
    return EXIT_OK
