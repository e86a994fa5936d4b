"""`tracker sync`, `tracker add` and `tracker registry-search`: the registry from a terminal."""

from __future__ import annotations

import argparse
import sys
import threading
from typing import TYPE_CHECKING

from tracker.cli.exit_codes import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from tracker.cli.failures import local_id_problem, registry_next_sentence, require_writable
from tracker.domain.enums import phase_label
from tracker.domain.ids import is_local_id, parse_nct_ids, split_typed_ids
from tracker.domain.words import plural

if TYPE_CHECKING:
    from tracker.context import AppContext
    from tracker.services.sync_report import SyncReport


def add_registry_parsers(commands) -> None:
    sync = commands.add_parser("sync", help="refresh registry data from ClinicalTrials.gov")
    sync.add_argument("ids", nargs="*", metavar="NCT_ID",
                      help="only these trials (separate ids with spaces, commas or semicolons)")
    sync.add_argument("--watchlist", metavar="NAME", help="only the trials of this watch list")
    add = commands.add_parser("add", help="add trials from the registry to the library")
    add.add_argument("ids", nargs="+", metavar="NCT_ID",
                     help="NCT ids or study URLs (separate ids with spaces, commas or "
                          "semicolons); a removed curated trial comes back with its review "
                          "figures, and a curated local study by its LOCAL-… id")
    search = commands.add_parser("registry-search", help="search ClinicalTrials.gov")
    search.add_argument("text", nargs="*", help="free text (query.term)")
    search.add_argument("--condition", help="condition or disease (query.cond)")
    search.add_argument("--intervention", help="drug or intervention (query.intr)")
    search.add_argument("--limit", type=int, default=20, help="how many studies (max 1000)")
    search.add_argument("--page-token", help="continue from a previous page")


class TerminalProgress:
    """A one-line progress bar on stderr when it is a terminal; silent otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.enabled = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.enabled or total <= 0:
            return
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\r{self.label} [{'#' * filled}{'.' * (width - filled)}] "
                         f"{done}/{total}")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled:
            sys.stderr.write("\n")


def _run_job(label: str, job) -> SyncReport:
    progress = TerminalProgress(label)
    cancel = threading.Event()
    try:
        return job(progress=progress, cancel=cancel)
    except KeyboardInterrupt:
        cancel.set()
        raise
    finally:
        progress.close()


def _finish(report: SyncReport) -> int:
    for line in report.summary_lines():
        print(line)
    if report.error:
        print(f"tracker: {report.stopped_text()}{registry_next_sentence(report.error)}",
              file=sys.stderr)
    typed_in_vain = report.kind == "add" and bool(report.not_found)  # ids the registry lacks
    return EXIT_OK if report.ok and not typed_in_vain else EXIT_FAILED


def _run_with_client(context: AppContext, label: str, call) -> int:
    """Run `call(client, progress=…, cancel=…)` with a fresh client and print the report."""
    client = context.make_client()
    try:
        report = _run_job(label, lambda **kw: call(client, **kw))
    finally:
        client.close()
    return _finish(report)


def cmd_sync(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.services.sync import SyncService

    texts = split_typed_ids(args.ids)
    local = local_id_problem(texts)
    if local:
        print(f"tracker sync: {local}", file=sys.stderr)
        return EXIT_USAGE
    ids = parse_nct_ids(texts) or None
    require_writable(context)
    if args.watchlist:
        ids = list(context.library.watchlists.get(args.watchlist).trial_ids)
    return _run_with_client(context, "syncing", lambda client, **kw:
                            SyncService(context.library, client).sync(ids, **kw))


def cmd_add(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.services.registry import RegistryService

    texts = split_typed_ids(args.ids)
    local = [text.strip().upper() for text in texts if is_local_id(text.strip().upper())]
    # validated before any request; a local id brings back a curated local study
    ids = parse_nct_ids([t for t in texts if t.strip().upper() not in local]) + local
    require_writable(context)
    return _run_with_client(context, "adding", lambda client, **kw:
                            RegistryService(context.library, client).add(ids, **kw))


def _search_text_problem(text: str | None, condition: str | None,
                         intervention: str | None) -> str | None:
    """What the registry would refuse in the search words, as `searches add` says it."""
    from tracker.domain.searches import text_problem

    for name, value in (("the search text", text), ("--condition", condition),
                        ("--intervention", intervention)):
        problem = text_problem(value, area_syntax=True) if value else None
        if problem:
            return f"{name} {problem}"
    return None


def cmd_registry_search(args: argparse.Namespace, context: AppContext) -> int:
    from tracker.services.registry import RegistryService

    text = " ".join(args.text).strip() or None
    if not (text or args.condition or args.intervention):
        print("tracker registry-search: give search text, --condition or --intervention",
              file=sys.stderr)
        return 2
    problem = _search_text_problem(text, args.condition, args.intervention)
    if problem:  # the saved searches' rule, before any request (not a 5 KB URL echoed back)
        print(f"tracker registry-search: {problem}", file=sys.stderr)
        return 2
    client = context.make_client()
    try:
        candidates, page = RegistryService(context.library, client).search_registry(
            text, condition=args.condition, intervention=args.intervention,
            page_token=args.page_token, page_size=max(1, min(args.limit, 1000)))
    finally:
        client.close()
    from tracker.cli.listing import NOT_STATED, PHASE_WIDTH, STATUS_WIDTH, study_title
    from tracker.cli.render import one_line

    for candidate in candidates:
        record = candidate.record
        status = record.status.label if record.status else f"Status {NOT_STATED}"
        mark = "*" if candidate.in_library else " "
        title = study_title(record.nct_id, record.acronym, record.brief_title)
        # one line per study: a line break in a registry title must not forge a second study
        print(f"{mark} {record.nct_id}  {status:<{STATUS_WIDTH}} "
              f"{phase_label(list(record.phases)):<{PHASE_WIDTH}} {one_line(title)}")
    total = f" of {page.total_count}" if page.total_count is not None else ""
    print(f"{plural(len(candidates), 'study')}{total} (* = already in the library)",
          file=sys.stderr)
    if page.failures:  # studies the registry sent that could not be read: said, not dropped
        print(f"skipped {plural(len(page.failures), 'study')} the registry sent that could "
              f"not be read: {one_line(str(page.failures[0]))}", file=sys.stderr)
    if page.next_page_token:
        print(f"more: --page-token {page.next_page_token}", file=sys.stderr)
    return EXIT_OK
