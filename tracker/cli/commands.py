"""One function per subcommand: take parsed arguments and the context, print, return exit code."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from tracker.cli import discovery_commands as discovery
from tracker.cli import list_commands as lists
from tracker.cli import registry_commands as registry
from tracker.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tracker.cli.listing import stream_lines
from tracker.cli.terminal import safe_text
from tracker.domain import parse_trial_id
from tracker.store import SortKey, TrialQuery

if TYPE_CHECKING:
    from tracker.context import AppContext


def print_json(data: object) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")


def cmd_list(args: argparse.Namespace, context: AppContext) -> int:
    query = TrialQuery(
        modality=args.modality, disease=args.disease, status=args.status, phase=args.phase,
        search=args.search, sort=SortKey(args.sort),
    )
    if args.json:
        from tracker.services.details import load_many_details, trial_json

        print_json([trial_json(d) for d in load_many_details(context.library, query)])
        return EXIT_OK
    trials = context.library.trials
    count = 0
    for batch in _batches(stream_lines(trials.list_rows(query), trials.longest_id()), 2000):
        sys.stdout.write("\n".join(batch) + "\n")
        count += len(batch)
    print(f"{count} trial{'s' if count != 1 else ''}", file=sys.stderr)
    return EXIT_OK


def _batches(lines, size: int):
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def cmd_show(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.services.details import load_details, trial_json

    ids = [parse_trial_id(text) for text in args.ids]  # all validated before any output
    details = [load_details(context.library, trial_id) for trial_id in ids]
    if args.json:
        print_json([trial_json(d) for d in details])
    else:
        from tracker.cli.render import detail_text

        print("\n\n".join(detail_text(d) for d in details))
    return EXIT_OK


def cmd_note(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.domain.limits import check_note_size

    body = " ".join(args.text).strip()
    if not body:
        print("tracker note: the note is empty", file=sys.stderr)
        return EXIT_USAGE
    check_note_size(body)
    trial_id = context.library.trials.resolve(parse_trial_id(args.id))
    note = context.library.notes.add(trial_id, body)
    print(f"added note {note.id} to {trial_id}")
    return EXIT_OK


def keep_typed_text(args: argparse.Namespace, message: str) -> str:
    """The library failed: keep what the user typed (a note) in the recovery file, and add
    where it is to the message. Other commands' messages are returned unchanged."""
    from tracker.paths import resolve_data_dir
    from tracker.services.recovery import keep_text

    body = " ".join(getattr(args, "text", None) or []).strip() if args.command == "note" else ""
    if not body:
        return message
    where = keep_text(resolve_data_dir(args.data_dir), args.id.strip(), body,
                      "not saved: " + message)
    if where is None:
        sys.stdout.write(body + "\n")  # nowhere to keep it: at least the terminal has it
        return (f"{message}. The note was NOT saved and no recovery file could be written; "
                "it is printed above")
    return f"{message}. The note was NOT saved; it is kept in {where}"


def cmd_remove(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.services.removal import describe_removal, remove_trial

    trial_id, title, notes = describe_removal(context.library, parse_trial_id(args.id))
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"tracker remove: add --yes to remove {trial_id} ({notes} notes) without "
                  "being asked", file=sys.stderr)
            return EXIT_USAGE
        kept = f" Its {notes} notes will be written to the recovery file." if notes else ""
        # input() may write its prompt straight to the terminal, past the stream filter
        answer = input(safe_text(f"Remove {trial_id} ({title}) from the library?{kept} [y/N] "))
        if answer.strip().lower() not in ("y", "yes"):
            print("not removed")
            return EXIT_OK
    print(safe_text(remove_trial(context.library, trial_id).summary()))
    return EXIT_OK


def cmd_tag(args: argparse.Namespace, context: AppContext) -> int:
    trial_id = context.library.trials.resolve(parse_trial_id(args.id))
    if args.remove:
        tags = context.library.tags.remove(trial_id, args.tags)
    else:
        tags = context.library.tags.add(trial_id, args.tags)
    print(f"{trial_id} tags: {', '.join(tags) if tags else '(none)'}")
    return EXIT_OK


def cmd_doctor(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.services.maintenance import inspect_library, rebuild_search_index

    if args.reindex:
        print(f"search index rebuilt: {rebuild_search_index(context.library)} trials")
    health = inspect_library(context.library, checkpoint=not context.library.read_only)
    mode = " (read-only)" if context.library.read_only else ""
    print(f"library: {health.path}{mode}\nschema version: {health.schema_version}")
    for table, count in sorted(health.table_counts.items()):
        print(f"  {table:<16} {count}")
    print(f"integrity: {health.integrity}")
    for problem in health.problems:
        print(f"  {problem}")
    if not health.ok:
        print("tracker doctor: the library is damaged: restore a backup copy "
              "(library.schema*.bak.sqlite3 next to it, or your own backup)", file=sys.stderr)
    return EXIT_OK if health.ok else EXIT_FAILED


def all_commands() -> dict:
    return {"doctor": cmd_doctor, "list": cmd_list, "show": cmd_show, "note": cmd_note,
            "tag": cmd_tag, "remove": cmd_remove,
            "sync": registry.cmd_sync, "add": registry.cmd_add,
            "registry-search": registry.cmd_registry_search, "watchlist": lists.cmd_watchlist,
            "export": lists.cmd_export, "import": lists.cmd_import,
            "searches": discovery.cmd_searches, "inbox": discovery.cmd_inbox}
