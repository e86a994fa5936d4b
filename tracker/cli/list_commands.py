"""`tracker watchlist …`, `tracker export` and `tracker import`."""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from tracker.cli.arg_types import since_date
from tracker.cli.checks import path_too_long, too_long_message
from tracker.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tracker.cli.terminal import OutputFailed, safe_text
from tracker.domain import parse_trial_id, users_today
from tracker.domain.ids import split_typed_ids
from tracker.domain.limits import meeting_date_problem
from tracker.domain.words import plural, word_for

if TYPE_CHECKING:
    from tracker.context import AppContext


def _date(text: str) -> dt.date:
    try:
        date = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date: {text} (expected YYYY-MM-DD)") from None
    problem = meeting_date_problem(date)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return date


def add_list_parsers(commands) -> None:
    wl = commands.add_parser("watchlist", help="manage watch lists")
    actions = wl.add_subparsers(dest="action", metavar="ACTION", required=True)
    create = actions.add_parser("create", help="create a watch list")
    create.add_argument("name")
    create.add_argument("--description", default="")
    create.add_argument("--meeting-date", type=_date)
    rename = actions.add_parser("rename", help="rename a watch list (or change its details)")
    rename.add_argument("name")
    rename.add_argument("new_name", nargs="?")
    rename.add_argument("--description")
    rename.add_argument("--meeting-date", type=_date,
                        help="the next meeting (the previous date is kept in the list's history "
                        "once it has passed)")
    rename.add_argument("--forget-meeting", type=_date, metavar="DATE",
                        help="drop a past meeting that did not take place (tracker watchlist "
                        "show lists them): the handouts count changes from the one before")
    delete = actions.add_parser("delete", help="delete a watch list (its trials stay)")
    delete.add_argument("name")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    for verb in ("add", "remove"):
        cmd = actions.add_parser(verb, help=f"{verb} trials")
        cmd.add_argument("name")
        cmd.add_argument("ids", nargs="+", metavar="NCT_ID")
    show = actions.add_parser("show", help="list a watch list's trials in order")
    show.add_argument("name")
    actions.add_parser("ls", help="list the watch lists")
    _add_export(commands)
    imp = commands.add_parser("import", help="import a watch list file (JSON export)")
    imp.add_argument("file", type=Path)


def _add_export(commands) -> None:
    from tracker.services.export_formats import FORMATS

    export = commands.add_parser("export", help="export a watch list for a journal club")
    export.add_argument("--watchlist", required=True, metavar="NAME",
                        help="the watch list to export (tracker watchlist ls names them)")
    export.add_argument("--format", required=True, choices=FORMATS,
                        help="pdf, html or md: a handout; xlsx or csv: a table; json: a file "
                        "colleagues can import; ris: citations; ics: meeting and completion "
                        "dates")
    export.add_argument("-o", "--output", required=True, metavar="FILE",
                        help="the file to write (a link is followed; '-' writes a text "
                        "format to standard output)")
    export.add_argument("--since", type=since_date, help="report changes since this date "
                        "(default: the list's previous meeting, else its last export before "
                        "today, else the last 30 days)")
    notes = export.add_mutually_exclusive_group()
    notes.add_argument("--notes", action="store_true", help="include your personal notes "
                       "(left out unless asked: notes may name patients, and the file goes "
                       "to everyone who gets it)")
    notes.add_argument("--no-notes", action="store_true",
                       help="leave personal notes out (the default)")


def cmd_watchlist(args: argparse.Namespace, context: AppContext) -> int:
    lists = context.library.watchlists
    if args.action == "ls":
        for wl in lists.all():
            date = f"  meeting {wl.meeting_date}" if wl.meeting_date else ""
            print(f"{wl.name}  ({plural(len(wl.trial_ids), 'trial')}){date}")
        return EXIT_OK
    if args.action == "create":
        _refuse_a_taken_name(lists, args.name)
        wl = lists.create(args.name, args.description, args.meeting_date)
        print(f"created watch list {wl.name!r}")
    elif args.action == "rename":
        if args.new_name:
            _refuse_a_taken_name(lists, args.new_name, renaming=lists.get(args.name).id)
        if args.forget_meeting:
            lists.forget_meeting(args.name, args.forget_meeting)
        before = lists.get(args.name)
        held_today = bool(args.meeting_date) and before.replaces_todays_meeting(
            args.meeting_date, users_today())
        wl = lists.update(args.name, new_name=args.new_name, description=args.description,
                          meeting_date=args.meeting_date if args.meeting_date else "keep")
        print(f"watch list {wl.name!r} updated")
        if held_today:
            day = before.meeting_date.isoformat()
            print(f"today's meeting ({day}) is recorded as held: the next handout counts "
                  f"changes from it; if it did not take place: tracker watchlist rename "
                  f"{wl.name!r} --forget-meeting {day}", file=sys.stderr)
    elif args.action == "delete":
        return _delete(args, context)
    elif args.action in ("add", "remove"):
        typed = split_typed_ids(args.ids)  # a pasted "NCT…,NCT…" list is several ids
        ids = [context.library.trials.resolve(parse_trial_id(t)) for t in typed]
        if args.action == "remove":
            missing = [i for i in ids if i not in lists.get(args.name).trial_ids]
            if missing:  # all checked first: an id not on the list removes none
                print(f"tracker watchlist remove: {', '.join(missing)} "
                      f"{'is' if len(missing) == 1 else 'are'} not on {args.name!r}; nothing "
                      f"was removed (see: tracker watchlist show {args.name!r})",
                      file=sys.stderr)
                return EXIT_FAILED
        wl = (lists.add if args.action == "add" else lists.remove)(args.name, ids)
        print(f"{wl.name!r} now has {plural(len(wl.trial_ids), 'trial')}")
    elif args.action == "show":
        return _show(args, context)
    return EXIT_OK


def _refuse_a_taken_name(lists, name: str, renaming: int | None = None) -> None:
    """Checked before anything is changed (a rename may also forget a meeting): names
    differing only in case or form are the same list, named as it is spelled; a list may be
    renamed to its own name in another case."""
    from tracker.store.watchlists import WatchListError

    taken = lists.taken_name(name, renaming)
    if taken is not None:
        raise WatchListError(f"a watch list named {taken!r} already exists; choose another "
                             "name (see: tracker watchlist ls)")


def _delete(args: argparse.Namespace, context: AppContext) -> int:
    wl = context.library.watchlists.get(args.name)
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"tracker watchlist delete: add --yes to delete {wl.name!r} "
                  f"({plural(len(wl.trial_ids), 'trial')} {word_for(len(wl.trial_ids), 'stays')} "
                  "in the library)", file=sys.stderr)
            return EXIT_USAGE
        # input() may write its prompt straight to the terminal, past the stream filter
        answer = input(safe_text(f"Delete watch list {wl.name!r}? Its trials stay in the "
                                 "library [y/N] "))
        if answer.strip().lower() not in ("y", "yes"):
            print("not deleted")
            return EXIT_OK
    context.library.watchlists.delete(wl.name)
    print(f"deleted watch list {wl.name!r}")
    return EXIT_OK


def _show(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.cli.render import list_lines

    wl = context.library.watchlists.get(args.name)
    trials = [context.library.trials.get(i) for i in wl.trial_ids]
    print(f"{wl.name}" + (f" — meeting {wl.meeting_date}" if wl.meeting_date else ""))
    if wl.description:
        print(wl.description)
    past = context.library.watchlists.past_meetings(wl.name)
    if past:
        behind = wl.meeting_behind(users_today())
        print(f"Past meetings: {', '.join(d.isoformat() for d in past)} (changes count from "
              f"{behind}; drop one that did not take place: tracker watchlist rename "
              f"{wl.name!r} --forget-meeting DATE)")
    for line in list_lines(trials):
        print(line)
    return EXIT_OK


_BINARY_FORMATS = ("xlsx", "pdf")


def _to_stdout(data: bytes) -> None:
    """Write an export to standard output; a write that fails raises (nothing is recorded)."""
    sys.stdout.flush()
    try:
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
    except BrokenPipeError:
        raise
    except OSError as error:  # a full disk behind `> file`
        raise OutputFailed(error) from error


def cmd_export(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.services.exports import ExportError, export_bytes, export_watchlist

    options = dict(since=args.since, include_notes=args.notes,
                   exported_by=context.preferences.author_name or None,
                   pdf_renderer=_pdf_renderer() if args.format == "pdf" else None)
    if not args.output.strip():
        raise ExportError(f"no file name given after -o; give one, e.g. -o handout.{args.format}")
    if args.output == "-":
        if args.format in _BINARY_FORMATS:
            raise ExportError(f"-o - writes to standard output, which suits text formats "
                              f"only; give a file name for {args.format}")
        export_bytes(context.library, args.watchlist, args.format, deliver=_to_stdout,
                     **options)
        _warn_if_unchecked(context, args)
        return EXIT_OK
    if path_too_long(args.output):
        print(f"tracker export: {too_long_message('the file name', args.output)}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        path = export_watchlist(context.library, args.watchlist, args.format,
                                Path(args.output), **options)
    except ExportError as error:
        raise _with_advice(error, Path(args.output)) from error.__cause__
    _warn_if_unchecked(context, args)
    print(f"wrote {path}")
    return EXIT_OK


def _warn_if_unchecked(context: AppContext, args: argparse.Namespace) -> None:
    """Say so when the list's changes may be missing: trials not synced since the window."""
    from tracker.services.exports.registry_checks import export_warning_for

    warning = export_warning_for(context.library, args.watchlist, args.format, args.since)
    if warning:
        print(f"tracker export: {warning}", file=sys.stderr)


_UNWRITABLE = (errno.EROFS, errno.EACCES, errno.EPERM, errno.ENOENT)


def _with_advice(error: Exception, destination: Path) -> Exception:
    """A folder that cannot take the file (read-only, not ours, /proc): say where to go."""
    cause = error.__cause__
    if isinstance(cause, OSError) and cause.errno in _UNWRITABLE:
        return type(error)(f"{error}; nothing was written: choose a folder you can write to, "
                           f"e.g. {Path.home() / destination.name}")
    return error


def _pdf_renderer():
    """Qt's PDF writer (tracker.ui.pdf), usable from a terminal with no display."""
    from tracker.ui.pdf import render_pdf_without_window

    return render_pdf_without_window


def cmd_import(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.services.importer import import_file

    if path_too_long(args.file):
        print(f"tracker import: {too_long_message('the file name', args.file)}", file=sys.stderr)
        return EXIT_USAGE
    report = import_file(context.library, args.file)
    print(report.summary())
    return EXIT_OK
