"""Which statuses a saved search follows: `tracker searches edit NAME --all-statuses` (or
`--status S …`, `--open-only`), and the one-time notice naming the searches the upgrade to
'a search without statuses follows open studies only' narrowed."""

from __future__ import annotations

import argparse
import sys

from tracker.cli import arg_types

WIDEN_COMMAND = "tracker searches edit NAME --all-statuses"


def add_edit_parser(sub) -> None:
    edit = sub.add_parser("edit", help="change which statuses saved searches follow")
    edit.add_argument("names", nargs="+", metavar="NAME", help="one or more saved searches")
    scope = edit.add_mutually_exclusive_group()  # one is needed: `edit_statuses` says so
    scope.add_argument("--all-statuses", action="store_true",
                       help="follow every registry status (completed, terminated … too)")
    scope.add_argument("--status", action="append", metavar="S", type=arg_types.status,
                       help="follow these statuses only (repeat for several)")
    scope.add_argument("--open-only", action="store_true",
                       help="follow open studies only (no statuses of its own)")


def edit_statuses(args: argparse.Namespace, service) -> int:
    """Every name is looked up before any search is changed."""
    from tracker.cli.exit_codes import EXIT_OK, EXIT_USAGE
    from tracker.domain import RegistryStatus

    if not (args.all_statuses or args.status or args.open_only):
        print("tracker searches edit: say which statuses to follow: --all-statuses, "
              "--status S (repeat for several) or --open-only", file=sys.stderr)
        return EXIT_USAGE

    if args.all_statuses:
        statuses = tuple(RegistryStatus)
    else:
        statuses = tuple(RegistryStatus(s) for s in args.status or ())
    searches = {s.name: s for s in map(service.searches.get, args.names)}  # unknown: fail first
    for name, before in searches.items():
        if set(before.criteria.statuses) == set(statuses):
            print(f"{name}: unchanged, {before.criteria.describe()}")
            continue
        search = service.set_statuses(name, statuses)
        print(f"{search.name}: {search.criteria.describe()} (the next check takes its whole "
              "current result set again)")
    return EXIT_OK


def say_open_scope_notice(service) -> None:
    """Once per library: the searches saved before the open-studies rule that it narrowed,
    and how to widen them (stderr: stdout may be a listing or JSON another program reads)."""
    names = service.narrowed_by_open_scope()
    if not names:
        return
    print(open_scope_line(names), file=sys.stderr)
    service.open_scope_notice_shown()


def open_scope_line(names: list[str]) -> str:
    """One line: which searches, what changed for them, and the command that undoes it."""
    from tracker.domain.searches import OPEN_SCOPE_TEXT
    from tracker.domain.words import plural

    one = len(names) == 1
    return (f"note: {plural(len(names), 'saved search')} now {'follows' if one else 'follow'} "
            f"{OPEN_SCOPE_TEXT}: saved before this version without statuses, "
            f"{'it' if one else 'they'} followed every status until now: "
            f"{', '.join(repr(name) for name in names)}; to follow every status again: "
            f"{WIDEN_COMMAND} (several names at once are fine)")
