"""One function per subcommand: take parsed arguments and the context, print, return exit code."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tracker.cli import change_commands as changes
from tracker.cli import discovery_commands as discovery
from tracker.cli import list_commands as lists
from tracker.cli import registry_commands as registry
from tracker.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tracker.cli.failures import all_or_none
from tracker.cli.json_output import print_json
from tracker.cli.listing import id_width, list_line, stream_lines
from tracker.cli.terminal import safe_text
from tracker.domain import parse_trial_id
from tracker.domain.ids import parse_single_trial_id, split_typed_ids
from tracker.domain.words import plural, typed_tags
from tracker.store import SortKey, TrialQuery

if TYPE_CHECKING:
    from tracker.context import AppContext


def cmd_list(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.domain.geo import UnknownPlaceError, resolve_place

    near = None
    if (args.near is None) != (args.within is None):
        print("tracker list: --near and --within go together (a place and a radius in km, "
              "e.g. --near Berlin --within 200)", file=sys.stderr)
        return EXIT_USAGE
    if args.near is not None:
        try:
            place = resolve_place(args.near)
        except UnknownPlaceError as error:
            print(f"tracker list: {error}", file=sys.stderr)
            return EXIT_USAGE
        near = (place.lat, place.lon, args.within)
    if args.disease is not None and not _known_disease(context, args.disease):
        return EXIT_USAGE
    if args.status is not None and not _known_status(context, args.status):
        return EXIT_USAGE
    if args.search and not _has_words(args.search):
        return EXIT_USAGE
    query = TrialQuery(
        modality=args.modality, disease=args.disease, status=args.status, phase=args.phase,
        search=args.search, sort=SortKey(args.sort), near=near,
    )
    if args.json:
        from tracker.services.details import load_many_details, trial_json

        print_json([trial_json(d) for d in load_many_details(context.library, query)])
        return EXIT_OK
    trials = context.library.trials
    count = 0
    lines = stream_lines(trials.list_rows(query), trials.longest_id())
    if near:
        lines = _with_nearest_site(context, query, near)
    for batch in _batches(lines, 2000):
        sys.stdout.write("\n".join(batch) + "\n")
        count += len(batch)
    print(plural(count, "trial"), file=sys.stderr)
    return EXIT_OK


def _has_words(text: str) -> bool:
    """Whether `--search` holds something to search for; if not ("(", "!!!"), one line
    rather than every trial, as if the search had matched them all."""
    from tracker.store.query import fts_match_expression

    if fts_match_expression(text) is not None:
        return True
    print(f"tracker list: the search text {text.strip()[:40]!r} has no words to search for "
          "(letters or digits); leave --search out to list every trial", file=sys.stderr)
    return False


def _known_status(context: AppContext, code: str) -> bool:
    """Whether `--status` is a status this build lists, or one the registry added since that a
    trial of the library holds (shown "(unrecognised status, registry code X)"); if neither,
    one line naming the statuses, so a typo is not read as "no trials"."""
    from tracker.domain import RegistryStatus

    if code in {s.value for s in RegistryStatus}:
        return True
    if next(iter(context.library.trials.list_rows(TrialQuery(status=code))), None):
        return True
    listed = ", ".join(s.value for s in RegistryStatus)
    print(f"tracker list: unknown status {code!r}: use one of {listed}", file=sys.stderr)
    return False


def _known_disease(context: AppContext, text: str) -> bool:
    """Whether `--disease` names a disease of the vocabulary or one a trial of the library
    is filed under (curated data keeps diseases outside the vocabulary); if not, one line
    naming the vocabulary, so a typo is not read as "no trials"."""
    from tracker.domain import diseases

    if text.strip():
        if diseases.resolve(text) is not None:
            return True
        if next(iter(context.library.trials.list_rows(TrialQuery(disease=text))), None):
            return True
    codes = ", ".join(d.code for d in diseases.DISEASES)
    named = f"unknown disease {text!r}" if text.strip() else "--disease is blank"
    print(f"tracker list: {named}: use one of {codes} (a group finds its members)",
          file=sys.stderr)
    return False


def _with_nearest_site(context: AppContext, query: TrialQuery, near):
    """List lines with each trial's nearest recruiting site and its distance."""
    trials = context.library.trials
    nearest = context.library.sites.nearest_recruiting(*near)
    width = id_width(trials.longest_id())
    for row in trials.list_rows(query):
        line = list_line(row, width)
        if row.id in nearest:
            km, site = nearest[row.id]
            line += f"  [{km:.0f} km: {site.facility}, {site.place()}]"
        yield line


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
    from tracker.services.details import load_details, load_display_details, trial_json

    ids = [parse_trial_id(text) for text in split_typed_ids(args.ids)]  # all checked first
    if args.json:
        print_json([trial_json(load_details(context.library, trial_id)) for trial_id in ids])
    else:
        from tracker.cli.render import detail_text

        # read for display only: no pydantic models (most of a short command's start-up)
        details = [load_display_details(context.library, trial_id) for trial_id in ids]
        print("\n\n".join(detail_text(d) for d in details))
    return EXIT_OK


def cmd_note(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.domain.limits import check_note_size

    if args.text == ["-"]:  # the note is read from standard input
        body = _note_from_stdin()
        if body is None:
            return EXIT_USAGE
        args.text = [body]  # what keep_typed_text keeps if the library fails
    body = " ".join(args.text).strip()
    if not body:
        print("tracker note: the note is empty; type it after the id, or give - and pipe it in",
              file=sys.stderr)
        return EXIT_USAGE
    check_note_size(body)
    trial_id = context.library.trials.resolve(parse_single_trial_id(args.id))
    note = context.library.notes.add(trial_id, body)
    print(f"added note {note.id} to {trial_id}")
    return EXIT_OK


def _note_from_stdin() -> str | None:
    """`tracker note ID -`: the note is standard input (up to the note size limit, UTF-8);
    None after saying why it cannot be read. A terminal is read to end-of-file (Ctrl+D)."""
    from tracker.domain.limits import NOTE_MAX_BYTES

    if sys.stdin is None:
        print("tracker note: - reads the note from standard input, but there is none",
              file=sys.stderr)
        return None
    raw = sys.stdin.buffer.read(NOTE_MAX_BYTES + 1)  # no more: the limit refuses the rest
    if len(raw) > NOTE_MAX_BYTES:
        print(f"tracker note: the note on standard input is over {NOTE_MAX_BYTES // 1024} KB; "
              "notes are limited to that: shorten it or keep long documents as files",
              file=sys.stderr)
        return None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        print(f"tracker note: standard input is not UTF-8 text (byte {error.start}); nothing "
              "was saved", file=sys.stderr)
        return None


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
    """Remove one or more trials; every id is checked (and found) before any is removed."""
    from tracker.services.removal import describe_removal, remove_trial
    from tracker.services.removal_plan import plan_removal

    ids = list(dict.fromkeys(parse_trial_id(text) for text in split_typed_ids(args.id)))
    with all_or_none(len(ids), f"none of the {len(ids)} trials was removed"):
        found = [describe_removal(context.library, trial_id) for trial_id in ids]
    notes = sum(count for _, _, count in found)
    if not args.yes:
        named = ", ".join(trial_id for trial_id, _, _ in found)
        if not sys.stdin.isatty():
            print(f"tracker remove: add --yes to remove {named} ({plural(notes, 'note')}) without "
                  "being asked", file=sys.stderr)
            return EXIT_USAGE
        plan = plan_removal(context.library, ids)  # what is lost, what an add brings back
        # input() may write its prompt straight to the terminal, past the stream filter
        answer = input(safe_text(f"Remove {plan.named()} from the library? "
                                 f"{plan.consequences()} [y/N] "))
        if answer.strip().lower() not in ("y", "yes"):
            print("not removed")
            return EXIT_OK
    for trial_id, _, _ in found:
        print(safe_text(remove_trial(context.library, trial_id).summary()))
    return EXIT_OK


def cmd_tag(args: argparse.Namespace, context: AppContext) -> int:
    trial_id = context.library.trials.resolve(parse_single_trial_id(args.id))
    typed = typed_tags(args.tags)  # "AML, journal club" is two tags, as in the window
    if not typed:
        print("tracker tag: a tag needs a name; type one", file=sys.stderr)
        return EXIT_USAGE
    if args.remove:
        names = [" ".join(name.split()) for name in typed]  # as tags are stored
        current = context.library.tags.for_trial(trial_id)
        missing = [name for name in names if name not in current]
        if missing:  # all checked first: a tag the trial does not carry removes none
            have = ", ".join(current) if current else "none"
            print(f"tracker tag: {trial_id} has no tag {', '.join(map(repr, missing))} "
                  f"(its tags: {have}); nothing was removed", file=sys.stderr)
            return EXIT_FAILED
        tags = context.library.tags.remove(trial_id, names)
    else:
        tags = context.library.tags.add(trial_id, typed)
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
    versions = health.versions
    if versions is not None:
        print(f"registry versions: {versions.count} of {versions.trials} trials, "
              f"{_size(versions.stored_bytes)} stored ({_size(versions.raw_bytes)} as JSON)")
    print(f"integrity: {health.integrity}")
    for problem in health.problems:
        print(f"  {problem}")
    if health.damaged_records:
        print(f"damaged trial records: {len(health.damaged_records)}")
        for record in health.damaged_records:
            print(f"  {record}")
    if not health.ok:
        print("tracker doctor: the library is damaged: restore a backup copy "
              "(library.schema*.bak.sqlite3 next to it, or your own backup)", file=sys.stderr)
    return EXIT_OK if health.ok else EXIT_FAILED


def doctor_without_library(args: argparse.Namespace, error: Exception) -> int:
    """`tracker doctor` when the library cannot be opened at all: say why, run SQLite's
    integrity check on the file read-only, and name the backups that could replace it."""
    from tracker.paths import resolve_data_dir
    from tracker.services.maintenance import diagnose_unopenable
    from tracker.store import LIBRARY_FILE_NAME

    library_path = resolve_data_dir(args.data_dir) / LIBRARY_FILE_NAME

    found = diagnose_unopenable(library_path)
    size = "missing" if found.size is None else f"{found.size:,} bytes"
    from tracker.domain import LibraryDamagedError
    from tracker.domain.errors import LibraryEmptyError

    reason = ("it is damaged" if isinstance(error, LibraryDamagedError)
              else error.reason if isinstance(error, LibraryEmptyError) else str(error))
    print(f"library: {found.path} ({size})\ncannot be opened: {safe_text(reason)}")
    if found.problems:
        print("integrity:")
        for problem in found.problems:
            print(f"  {problem}")
    # a -wal file left beside would be replayed into the restored copy and damage it
    first = f", after moving {' and '.join(found.wal_files)} away" if found.wal_files else ""
    if found.backups:
        advice = (f"restore a backup: copy {found.backups[0]} (newest) over "
                  f"{library_path.name} in {library_path.parent}{first}")
    else:
        advice = (f"no backup (*.bak*) was found in {library_path.parent}; restore your own "
                  f"backup{first}")
    for name in found.backups:
        print(f"  backup: {name}")
    print(f"tracker doctor: the library cannot be opened: {advice}", file=sys.stderr)
    return EXIT_FAILED


def _size(count: int) -> str:
    return f"{count / 1e6:,.1f} MB" if count >= 1e6 else f"{count / 1e3:,.0f} KB"


def all_commands() -> dict:
    return {"doctor": cmd_doctor, "list": cmd_list, "show": cmd_show, "note": cmd_note,
            "tag": cmd_tag, "remove": cmd_remove,
            "sync": registry.cmd_sync, "add": registry.cmd_add,
            "registry-search": registry.cmd_registry_search, "watchlist": lists.cmd_watchlist,
            "export": lists.cmd_export, "import": lists.cmd_import,
            "changes": changes.cmd_changes,
            "searches": discovery.cmd_searches, "inbox": discovery.cmd_inbox}
