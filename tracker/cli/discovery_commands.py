"""`tracker searches …` and `tracker inbox …`: saved registry searches and their inbox."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from tracker.cli import arg_types
from tracker.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tracker.cli.failures import REGISTRY_NEXT_STEP, all_or_none, registry_next_step
from tracker.cli.inbox_listing import inbox_json, print_inbox
from tracker.cli.search_scope import add_edit_parser, edit_statuses, say_open_scope_notice
from tracker.domain import Modality
from tracker.domain.ids import split_typed_ids
from tracker.domain.words import plural

if TYPE_CHECKING:
    from tracker.context import AppContext

MAX_RADIUS_KM = 5000  # tracker.domain.searches.MAX_RADIUS_KM (pydantic is not imported here)


def add_discovery_parsers(commands) -> None:
    searches = commands.add_parser("searches", help="saved registry searches that fill the inbox")
    sub = searches.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="save a search")
    add.add_argument("name")
    add.add_argument("--term", help="free text (query.term)")
    add.add_argument("--condition", help="condition or disease (query.cond)")
    add.add_argument("--intervention", help="drug or intervention (query.intr)")
    add.add_argument("--phase", action="append", default=[], metavar="P",
                     type=arg_types.phase,
                     help="PHASE1…PHASE4, EARLY_PHASE1, NA or 1-4 (repeat for several)")
    add.add_argument("--status", action="append", default=[], metavar="S",
                     type=arg_types.status,
                     help="registry status, e.g. RECRUITING (repeat for several; without it "
                          "the search follows open studies only: not completed, terminated, "
                          "withdrawn or of unknown status)")
    add.add_argument("--study-type", type=arg_types.study_type,
                     help="INTERVENTIONAL, OBSERVATIONAL or EXPANDED_ACCESS")
    add.add_argument("--near", metavar="PLACE",
                     help="a city (docs/sites.md lists them) or latitude,longitude")
    add.add_argument("--within", type=arg_types.km(MAX_RADIUS_KM), metavar="KM",
                     help=f"radius around --near, in km (at most {MAX_RADIUS_KM:,})")
    add_edit_parser(sub)
    sub.add_parser("ls", help="list saved searches")
    for action, text in (("rm", "delete"), ("pause", "pause"), ("resume", "resume")):
        sub.add_parser(action, help=f"{text} a saved search").add_argument("name")
    sub.choices["rm"].add_argument("--yes", action="store_true",
                                   help="do not ask for confirmation")
    check = sub.add_parser("check", help="check saved searches for studies posted or updated "
                           "since the last check")
    check.add_argument("name", nargs="?", help="only this search (default: all not paused)")
    check.add_argument("--sync", action="store_true",
                       help="sync the library with the registry first (tracker sync), then check")
    inbox = commands.add_parser("inbox", help="new studies found by saved searches")
    inbox.add_argument("--json", action="store_true", help="print a JSON array (docs/cli-json.md)")
    inbox_sub = inbox.add_subparsers(dest="action", metavar="ACTION")
    accept = inbox_sub.add_parser("accept", help="add inbox studies to the library")
    accept.add_argument("ids", nargs="+", metavar="NCT_ID")
    accept.add_argument("--watchlist", metavar="NAME", help="also add them to this watch list")
    dismiss = inbox_sub.add_parser("dismiss", help="dismiss inbox studies (per search)")
    dismiss.add_argument("ids", nargs="*", metavar="NCT_ID")
    every = dismiss.add_mutually_exclusive_group()
    every.add_argument("--all", action="store_true", help="dismiss every study in the inbox")
    every.add_argument("--search", metavar="NAME",
                       help="dismiss the inbox studies this saved search found, except "
                            "those other saved searches found too (they stay, named)")
    dismiss.add_argument("--yes", action="store_true",
                         help="do not ask for confirmation (with --all or --search)")
    dismissed = inbox_sub.add_parser("dismissed", help="list dismissed studies")
    dismissed.add_argument("--json", action="store_true", help="print a JSON array")
    restore = inbox_sub.add_parser("restore", help="bring dismissed studies back to the inbox")
    restore.add_argument("ids", nargs="+", metavar="NCT_ID")
    modality = inbox_sub.add_parser("modality", help="change the proposed modality")
    modality.add_argument("id", metavar="NCT_ID")
    modality.add_argument("modality", choices=[m.value for m in Modality])


def _service(context: AppContext, client=None):
    from tracker.services.discovery import DiscoveryService

    return DiscoveryService(context.library, client)


def cmd_searches(args: argparse.Namespace, context: AppContext) -> int:
    service = _service(context)
    code = _run_searches_action(args, context, service)
    say_open_scope_notice(service)
    return code


def _run_searches_action(args: argparse.Namespace, context: AppContext, service) -> int:
    if args.action == "add":
        return _add(args, service)
    if args.action == "ls":
        return _list(service)
    if args.action == "check":
        return _check(args, context)
    if args.action == "rm":
        return _remove(args, service)
    if args.action == "edit":
        return edit_statuses(args, service)
    else:
        search = service.searches.set_paused(args.name, args.action == "pause")
        print(f"{search.name}: {'paused' if search.paused else 'active'}")
    return EXIT_OK


def _remove(args: argparse.Namespace, service) -> int:
    """Delete a saved search: asked first on a terminal, `--yes` otherwise (as watch lists)."""
    from tracker.cli.terminal import safe_text

    search = service.searches.get(args.name)  # an unknown name fails before anything is asked
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"tracker searches rm: add --yes to delete the saved search {search.name!r} "
                  "(the inbox keeps what other searches found)", file=sys.stderr)
            return EXIT_USAGE
        # input() may write its prompt straight to the terminal, past the stream filter
        answer = input(safe_text(f"Delete the saved search {search.name!r}? [y/N] "))
        if answer.strip().lower() not in ("y", "yes"):
            print("not deleted")
            return EXIT_OK
    service.searches.remove(search.name)
    print(f"deleted saved search {search.name!r}")
    return EXIT_OK


#: How `tracker searches add` names a saved search's fields in a problem
OPTION_NAMES = {"term": "--term text", "condition": "--condition text",
                "intervention": "--intervention text", "phases": "--phase",
                "statuses": "--status", "near": "--near place"}


def _add(args: argparse.Namespace, service) -> int:
    from pydantic import ValidationError

    from tracker.domain.searches import SavedSearch, SearchCriteria, criteria_problem

    near = _near(args)
    if isinstance(near, str):
        print(f"tracker searches add: {near}", file=sys.stderr)
        return EXIT_USAGE
    try:
        criteria = SearchCriteria(
            term=args.term, condition=args.condition, intervention=args.intervention,
            phases=tuple(args.phase), statuses=tuple(args.status), study_type=args.study_type,
            near=near)
        search = SavedSearch(name=args.name, criteria=criteria)
    except ValidationError as error:
        print(f"tracker searches add: {criteria_problem(error, OPTION_NAMES)}", file=sys.stderr)
        return EXIT_USAGE
    search = service.searches.add(search)
    print(f"saved search {search.name!r}: {search.criteria.describe()}")
    return EXIT_OK


def _near(args: argparse.Namespace):
    """A GeoRadius from --near PLACE (a city of the bundled gazetteer or lat,lon) --within KM;
    a str says what is wrong."""
    if args.near is None and args.within is None:
        return None
    if args.near is None or args.within is None:
        return "--near and --within go together (a place and a radius in km)"
    from tracker.domain.geo import UnknownPlaceError, resolve_place
    from tracker.domain.searches import GeoRadius

    try:
        place = resolve_place(args.near)
    except UnknownPlaceError as error:
        return f"--near: {error}"
    return GeoRadius(lat=place.lat, lon=place.lon, km=args.within)


def _list(service) -> int:
    searches = service.searches.all()
    width = max((len(s.name) for s in searches), default=4)
    for s in searches:
        state = "paused" if s.paused else "active"
        checked = s.last_checked_on.isoformat() if s.last_checked_on else "never checked"
        print(f"{s.name:<{width}}  {state:<6}  {checked:<13}  {s.criteria.describe()}")
    print(plural(len(searches), "saved search"), file=sys.stderr)
    return EXIT_OK


def _check(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.cli.registry_commands import TerminalProgress

    names = [args.name] if args.name else None
    if args.name:
        _service(context).searches.get(args.name)  # an unknown name fails before any request
    synced = EXIT_OK
    if args.sync:
        from tracker.cli.registry_commands import cmd_sync

        synced = cmd_sync(argparse.Namespace(ids=[], watchlist=None), context)
    client = context.make_client()
    progress = TerminalProgress("checking")
    try:
        report = _service(context, client).check(names, progress=progress)
    finally:
        progress.close()
        client.close()
    for line in report.lines():
        print(line)
    if report.library_left:
        print(f"tracker: {report.library_left_sentence()}", file=sys.stderr)
    errors = " ".join([s.error for s in report.searches if s.error] + [report.refresh_error])
    if registry_next_step(errors):
        print(f"tracker searches check: the registry could not be reached: {REGISTRY_NEXT_STEP}",
              file=sys.stderr)
    return EXIT_OK if report.ok and synced == EXIT_OK else EXIT_FAILED


def cmd_inbox(args: argparse.Namespace, context: AppContext) -> int:
    service = _service(context)
    code = _run_inbox_action(args, context, service)
    say_open_scope_notice(service)
    return code


def _run_inbox_action(args: argparse.Namespace, context: AppContext, service) -> int:
    if args.action == "accept":
        return _accept(args, context)
    if args.action == "dismiss":
        return _dismiss(args, service)
    if args.action == "dismissed":
        return _list_dismissed(args, service)
    if args.action == "restore":
        ids = split_typed_ids(args.ids)
        with all_or_none(len(ids), f"none of the {len(ids)} studies was restored"):
            count = service.restore(ids)
        print(f"restored {plural(count, 'study')} to the inbox")
        return EXIT_OK
    elif args.action == "modality":
        service.set_modality(args.id, args.modality)
        print(f"{args.id}: filed as {Modality(args.modality).label} when accepted")
    elif args.json:
        from tracker.domain.calendar_day import users_today

        today = users_today()  # an estimate a study under way has passed is overdue
        json.dump([inbox_json(item, today) for item in service.items()], sys.stdout, indent=2,
                  ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        print_inbox(service.items())
    return EXIT_OK


def _accept(args: argparse.Namespace, context: AppContext) -> int:
    """Add inbox studies as `tracker add` does (their whole records, fetched now); a study
    the registry does not give is added from its inbox record and said to be not synced."""
    from tracker.cli.registry_commands import TerminalProgress

    client = context.make_client()
    progress = TerminalProgress("fetching")
    try:
        ids = split_typed_ids(args.ids)
        with all_or_none(len(ids), f"none of the {len(ids)} studies was accepted"):
            result = _service(context, client).accept(ids, watchlist=args.watchlist,
                                                      progress=progress)
    finally:
        progress.close()
        client.close()
    where = f" and to {result.watchlist!r}" if result.watchlist else ""
    print(f"added {len(result.added)} to the library{where}"
          + (f"; already there: {', '.join(result.already)}" if result.already else ""))
    if result.not_synced:
        print(result.not_synced_text(), file=sys.stderr)
    return EXIT_OK


def _dismiss(args: argparse.Namespace, service) -> int:
    """Dismiss the ids given, or every study in the inbox (`--all`) or found by one search
    (`--search`): those ask first on a terminal and need `--yes` otherwise."""
    bulk = args.all or args.search is not None
    if bulk == bool(args.ids):
        print("tracker inbox dismiss: give NCT ids, or --all, or --search NAME",
              file=sys.stderr)
        return EXIT_USAGE
    ids, shared = split_typed_ids(args.ids), {}
    if bulk:
        if args.search is not None:  # an unknown search name fails here
            ids, shared = service.search_findings(args.search)
        else:
            ids = service.inbox_ids()
        which = (f"found only by {args.search!r}" if args.search is not None
                 else "in the inbox")
        if not ids:
            print(f"nothing to dismiss: no study {which}")
            _say_kept(args.search, shared)
            return EXIT_OK
        if not args.yes and not _confirmed(f"Dismiss {plural(len(ids), 'study')} {which}?",
                                           plural(len(ids), "study")):
            return EXIT_USAGE if not sys.stdin.isatty() else EXIT_OK
    with all_or_none(len(ids), f"none of the {len(ids)} studies was dismissed"):
        count = service.dismiss(ids)
    print(f"dismissed {plural(count, 'study')} (they will not come back from the searches that "
          "found them; to undo: tracker inbox restore "
          + (" ".join(ids) if len(ids) <= 3 else "NCT_ID … (see: tracker inbox dismissed)")
          + ")")
    _say_kept(args.search, shared)
    return EXIT_OK


KEPT_NAMED = 3  # studies named in the line about those other searches found too


def _say_kept(search: str | None, shared: dict[str, list[str]]) -> None:
    """One line: the studies `search` found that stay in the inbox because other saved
    searches found them too (the inbox has one entry per study, shared by its searches)."""
    if not shared:
        return
    named = [f"{nct_id} (also found by {', '.join(repr(n) for n in names)})"
             for nct_id, names in list(shared.items())[:KEPT_NAMED]]
    more = len(shared) - len(named)
    print(f"kept {plural(len(shared), 'study')} {search!r} found that other saved searches "
          f"found too: {'; '.join(named)}" + (f"; and {more} more" if more else "")
          + "; to dismiss one anyway: tracker inbox dismiss NCT_ID")


def _list_dismissed(args: argparse.Namespace, service) -> int:
    """The dismissed studies, latest first: id, when, the searches, title; then the ids
    dismissed before their records were kept."""
    from tracker.cli.listing import shorten, study_title

    items, bare = service.dismissed()
    if args.json:
        from tracker.domain.calendar_day import users_today

        today = users_today()
        json.dump([inbox_json(item, today) | {"dismissed_at": item.dismissed_at}
                   for item in items]
                  + [{"nct_id": nct_id, "dismissed_at": None} for nct_id in bare],
                  sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
        return EXIT_OK
    for item in items:
        print(f"{item.nct_id}  dismissed {item.dismissed_at[:10]}  "
              f"{shorten(study_title(item.nct_id, item.acronym, item.title))}\n"
              f"    from: {', '.join(item.searches) or 'no saved search any more'}")
    for nct_id in bare:
        print(f"{nct_id}  dismissed before records were kept (restored, it comes back when a "
              "check finds it again)")
    if not items and not bare:
        print("nothing dismissed")
    print(f"{len(items) + len(bare)} dismissed; bring one back: tracker inbox restore NCT_ID",
          file=sys.stderr)
    return EXIT_OK


def _confirmed(question: str, what: str) -> bool:
    """The user's yes to `question`; without a terminal to ask on, no, saying to add --yes
    (`what`: "3 studies", "1 study")."""
    from tracker.cli.terminal import safe_text

    if not sys.stdin.isatty():
        print(f"tracker inbox dismiss: there is no terminal to ask on: add --yes to dismiss "
              f"{what}", file=sys.stderr)
        return False
    if input(safe_text(f"{question} [y/N] ")).strip().lower() in ("y", "yes"):
        return True
    print("nothing dismissed")
    return False
