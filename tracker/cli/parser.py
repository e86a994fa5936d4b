"""The argument parser for `tracker` and its subcommands."""

from __future__ import annotations

import argparse

from tracker import __version__
from tracker.cli import arg_types
from tracker.cli.change_commands import add_change_parser
from tracker.cli.discovery_commands import add_discovery_parsers
from tracker.cli.list_commands import add_list_parsers
from tracker.cli.registry_commands import add_registry_parsers
from tracker.domain import Modality
from tracker.store import SortKey


def _add_common_options(parser: argparse.ArgumentParser, unset: object) -> None:
    """The options every command takes, before or after its name."""
    parser.add_argument("--data-dir", default=unset, help="library folder (default: "
                        "$TRACKER_DATA_DIR or the user data directory)")
    parser.add_argument("--api-url", default=unset, help="ClinicalTrials.gov API v2 base URL "
                        "(default: $TRACKER_API_URL or the preference)")
    parser.add_argument("-v", "--verbose", action="store_true", default=unset,
                        help="log progress to stderr")


class CommandParser(argparse.ArgumentParser):
    """A (sub)command's parser: it takes the common options too. Their default is SUPPRESS, so
    a command that does not repeat them keeps what was given before its name. Nested
    subcommands (`watchlist create`) get this class as well: argparse uses the parent's class."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _add_common_options(self, argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tracker",
        description="Trial Tracker: venetoclax, CAR-T and bispecific trials in blood cancers. "
        "With no command, opens the desktop window.",
    )
    parser.add_argument("--version", action="version", version=f"Trial Tracker {__version__}")
    _add_common_options(parser, None)
    parser.set_defaults(verbose=False)
    parser.add_argument("--self-test", action="store_true",
                        help="build the main window offscreen on a temporary library and exit")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    _add_list(commands)
    _add_show(commands)
    _add_note(commands)
    _add_tag(commands)
    remove = commands.add_parser("remove", help="remove a trial from the library (asks first; "
                                 "its notes go to the recovery file; adding it again brings "
                                 "back its registry data and a curated trial's review figures)")
    remove.add_argument("id", metavar="NCT_ID", nargs="+",
                        help="one or more ids; all are checked before any is removed")
    remove.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_registry_parsers(commands)
    add_list_parsers(commands)
    add_change_parser(commands)
    add_discovery_parsers(commands)
    doctor = commands.add_parser("doctor", help="check the library file and show what it holds")
    doctor.add_argument("--reindex", action="store_true", help="rebuild the search index")
    return parser


def _add_list(commands) -> None:
    cmd = commands.add_parser("list", help="list trials in the library")
    cmd.add_argument("--modality", choices=[m.value for m in Modality])
    cmd.add_argument("--disease", help="a disease or group of the vocabulary (AML, CLL, DLBCL, "
                     "Lymphoma, Leukemia…); a group finds its members")
    cmd.add_argument("--status", type=arg_types.status_code, metavar="STATUS",
                     help="registry status, e.g. RECRUITING, COMPLETED (or a status the "
                     "registry added since, that trials of the library hold)")
    cmd.add_argument("--phase", type=arg_types.phase, metavar="PHASE",
                     help="PHASE1, PHASE2, PHASE3, PHASE4, EARLY_PHASE1 or NA (or 1, 2, 3)")
    cmd.add_argument("--search", metavar="TEXT", help="full-text search (titles, acronyms, "
                     "drugs, diseases, conditions, notes)")
    cmd.add_argument("--sort", choices=[s.value for s in SortKey], default=SortKey.TITLE.value)
    cmd.add_argument("--near", metavar="PLACE", help="only trials recruiting near a city "
                     "(e.g. Berlin; see docs/sites.md) or LAT,LON")
    cmd.add_argument("--within", type=arg_types.km(20_000), metavar="KM",
                     help="distance for --near in km (the two go together)")
    cmd.add_argument("--json", action="store_true", help="print a JSON array (docs/cli-json.md)")


def _add_show(commands) -> None:
    cmd = commands.add_parser("show", help="show trials in full")
    cmd.add_argument("ids", nargs="+", metavar="NCT_ID")
    cmd.add_argument("--json", action="store_true", help="print a JSON array (docs/cli-json.md)")


def _add_note(commands) -> None:
    cmd = commands.add_parser("note", help="add a note to a trial")
    cmd.add_argument("id", metavar="NCT_ID")
    cmd.add_argument("text", nargs="+", help="the note (words are joined with spaces); a "
                     "single - reads it from standard input, e.g. tracker note NCT… - < note.txt")


def _add_tag(commands) -> None:
    cmd = commands.add_parser("tag", help="tag a trial (use --remove to untag)")
    cmd.add_argument("id", metavar="NCT_ID")
    cmd.add_argument("tags", nargs="+", metavar="TAG")
    cmd.add_argument("--remove", action="store_true", help="remove these tags instead")
