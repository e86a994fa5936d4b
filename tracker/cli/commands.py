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
    trial_id = context.library.trials.resolve(parse_trial_id(args.id))
    body = " ".join(args.text).strip()
    if not body:
        print("tracker note: the note is empty", file=sys.stderr)
        return EXIT_USAGE
    note = context.library.notes.add(trial_id, body)
    print(f"added note {note.id} to {trial_id}")
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
    health = inspect_library(context.library)
    print(f"library: {health.path}\nschema version: {health.schema_version}")
    for table, count in sorted(health.table_counts.items()):
        print(f"  {table:<16} {count}")
    print(f"integrity: {health.integrity}")
    return EXIT_OK if health.integrity == "ok" else EXIT_FAILED


def all_commands() -> dict:
    return {"doctor": cmd_doctor, "list": cmd_list, "show": cmd_show, "note": cmd_note, "tag": cmd_tag,
            "sync": registry.cmd_sync, "add": registry.cmd_add,
            "registry-search": registry.cmd_registry_search, "watchlist": lists.cmd_watchlist,
            "export": lists.cmd_export, "import": lists.cmd_import,
            "searches": discovery.cmd_searches, "inbox": discovery.cmd_inbox}
