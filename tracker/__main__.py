"""Entry point: `tracker` opens the window; `tracker COMMAND` runs the CLI. Returns an exit code."""

from __future__ import annotations

import errno
import logging
import os
import sqlite3
import sys
from typing import TYPE_CHECKING

from tracker.cli.checks import bad_api_url, bad_data_dir, normalise_names, os_error_message
from tracker.cli.commands import all_commands, doctor_without_library, keep_typed_text
from tracker.cli.exit_codes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE
from tracker.cli.failures import library_message, with_next_step
from tracker.cli.parser import build_parser
from tracker.cli.terminal import OutputFailed, discard_output
from tracker.domain import (
    InvalidTrialIdError,
    LibraryDamagedError,
    LibraryError,
    NotALibraryError,
    NoteTooLongError,
    TrackerError,
    TrialNotFoundError,
)
from tracker.domain.errors import LibraryEmptyError

if TYPE_CHECKING:
    from pydantic import ValidationError


def main(argv: list[str] | None = None) -> int:
    from tracker.cli.terminal import guard_streams, restore_streams

    parser = build_parser()
    original = guard_streams()  # no registry, imported or typed text drives the terminal
    try:
        try:
            args = parser.parse_args(argv)  # its errors echo what was typed
        except OutputFailed as error:  # `tracker --help > /dev/full`
            return _output_failed("tracker", error)
        normalise_names(args)
        data_problem, url_problem = bad_data_dir(args), bad_api_url(args)
        if args.command is None and not args.self_test:  # the window says them too
            restore_streams(original)
            _configure_logging(args)
            return _run_gui(args, data_problem, url_problem)
        problem = data_problem or url_problem
        if problem:
            print(f"tracker: {problem}", file=sys.stderr)
            return EXIT_USAGE
        if args.self_test:
            restore_streams(original)
            _configure_logging(args)
            return _run_gui(args)
        _configure_logging(args)
        return _run_command(args)
    finally:
        restore_streams(original)


def _output_failed(prog: str, error: OutputFailed) -> int:
    """Standard output cannot be written (a full disk): one line on stderr, exit 1."""
    discard_output(sys.stdout)
    print(f"{prog}: could not write to standard output: {error}; free some space or send the "
          "output elsewhere", file=sys.stderr)
    return EXIT_FAILED


def _configure_logging(args) -> None:
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.verbose:  # its "Retrying (...)" lines repeat whole URLs; the report says it once
        logging.getLogger("urllib3").setLevel(logging.ERROR)


def _run_gui(args, data_problem: str | None = None, url_problem: str | None = None) -> int:
    """The window. A data folder that cannot be used stops it with a dialog (which library was
    meant is unknown); an unusable registry URL does not: the library opens, syncing uses the
    address in Preferences, and the window shows the line. Each is printed here too."""
    from tracker.ui.platform_check import qt_import_problem, startup_problem

    for setting_problem in (data_problem, url_problem):
        if setting_problem:
            print(f"tracker: {setting_problem}", file=sys.stderr)

    # the self-test runs offscreen unless told otherwise
    environ = {"QT_QPA_PLATFORM": "offscreen", **os.environ} if args.self_test else os.environ
    problem = startup_problem(environ)
    if problem is None:
        try:
            from tracker.ui.app import run_app  # Qt is imported only when the window is wanted
        except ImportError as error:  # e.g. libEGL.so.1 missing: Qt's own libraries fail to load
            problem = qt_import_problem(error)
    if problem is not None:
        print(f"tracker: {problem}", file=sys.stderr)
        return EXIT_FAILED
    if data_problem:
        from tracker.ui.app import refuse_start

        return refuse_start(data_problem)
    return run_app(data_dir=args.data_dir, api_url=args.api_url, self_test=args.self_test,
                   url_problem=url_problem)


def _run_command(args) -> int:
    from tracker.context import build_context

    prog = f"tracker {args.command}"
    try:
        context = build_context(args.data_dir, args.api_url)
    except (TrackerError, sqlite3.Error, OSError) as error:
        if args.command == "doctor" and _unopenable(error):
            return doctor_without_library(args, error)
        message = (library_message(error, None) if isinstance(error, sqlite3.Error)
                   else os_error_message(error) if isinstance(error, OSError) else str(error))
        print(f"{prog}: {keep_typed_text(args, message)}", file=sys.stderr)
        return EXIT_FAILED
    try:
        code = all_commands()[args.command](args, context)
        sys.stdout.flush()  # a full disk behind stdout is reported here, not at exit
        return code
    except (InvalidTrialIdError, NoteTooLongError) as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except _validation_error() as error:
        print(f"{prog}: {_first_validation_message(error)}", file=sys.stderr)
        return EXIT_USAGE
    except LibraryError as error:  # a lock, a full disk, damage, a read-only file
        print(f"{prog}: {keep_typed_text(args, str(error))}", file=sys.stderr)
        return EXIT_FAILED
    except (TrialNotFoundError, TrackerError) as error:
        print(f"{prog}: {with_next_step(error)}", file=sys.stderr)
        return EXIT_FAILED
    except sqlite3.Error as error:  # the same met outside a transaction
        print(f"{prog}: {keep_typed_text(args, library_message(error, context))}",
              file=sys.stderr)
        return EXIT_FAILED
    except UnicodeEncodeError as error:  # undecodable bytes on the command line, say
        bad = error.object[error.start:error.end]
        print(f"{prog}: the text {bad!r} is not valid UTF-8 ({error.reason}); nothing was "
              "changed: check the terminal's encoding (UTF-8 expected)", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `tracker list | head`: the reader has what it wanted
        sys.stdout = None
        return 0
    except OutputFailed as error:  # `tracker list > /dev/full`
        return _output_failed(prog, error)
    except OSError as error:  # a file-system failure no command explained: one line still
        print(f"{prog}: {os_error_message(error)}", file=sys.stderr)
        return EXIT_USAGE if error.errno == errno.ENAMETOOLONG else EXIT_FAILED
    except KeyboardInterrupt:  # every write is one transaction: nothing is half-done
        print(f"{prog}: interrupted; what was finished before is saved and nothing is "
              "half-written: run the command again to do the rest", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        context.close()


def _validation_error() -> type[BaseException]:
    """pydantic's ValidationError when pydantic was imported (only then can one be raised):
    commands that never build a model (`tracker show`) do not pay for importing it."""
    pydantic = sys.modules.get("pydantic")
    return pydantic.ValidationError if pydantic is not None else _NeverRaised


class _NeverRaised(Exception):
    """Stands in for ValidationError before pydantic is imported."""


def _unopenable(error: Exception) -> bool:
    """Damage, a file SQLite cannot read or an emptied one: what doctor is for (a lock, a full
    disk or another program's healthy database is not)."""
    if isinstance(error, NotALibraryError):
        return isinstance(error.__cause__, sqlite3.DatabaseError)
    return isinstance(error, (LibraryDamagedError, LibraryEmptyError, sqlite3.DatabaseError))


def _first_validation_message(error: ValidationError) -> str:
    from tracker.domain.plain_errors import plain_message

    first = error.errors()[0]
    if first["type"] == "value_error":  # our own validators speak in sentences
        return plain_message(first)
    where = ".".join(str(part) for part in first["loc"])
    return f"{where} {plain_message(first)}" if where else plain_message(first)


if __name__ == "__main__":
    sys.exit(main())
