"""Entry point: `tracker` opens the window; `tracker COMMAND` runs the CLI. Returns an exit code."""

from __future__ import annotations

import logging
import os
import sys

from pydantic import ValidationError

from tracker.cli.commands import all_commands
from tracker.cli.exit_codes import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_USAGE
from tracker.cli.parser import build_parser
from tracker.domain import InvalidTrialIdError, TrackerError, TrialNotFoundError


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.verbose:  # its "Retrying (...)" lines repeat whole URLs; the report says it once
        logging.getLogger("urllib3").setLevel(logging.ERROR)
    if args.self_test or args.command is None:
        return _run_gui(args)
    return _run_command(args)


def _run_gui(args) -> int:
    from tracker.ui.platform_check import qt_import_problem, startup_problem

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
    return run_app(data_dir=args.data_dir, api_url=args.api_url, self_test=args.self_test)


def _run_command(args) -> int:
    from tracker.context import build_context

    prog = f"tracker {args.command}"
    try:
        context = build_context(args.data_dir, args.api_url)
    except TrackerError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return EXIT_FAILED
    try:
        return all_commands()[args.command](args, context)
    except InvalidTrialIdError as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as error:
        print(f"{prog}: {_first_validation_message(error)}", file=sys.stderr)
        return EXIT_USAGE
    except (TrialNotFoundError, TrackerError) as error:
        print(f"{prog}: {error}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # `tracker list | head`: the reader has what it wanted
        sys.stdout = None
        return 0
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    finally:
        context.close()


def _first_validation_message(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"])
    return f"{where}: {first['msg']}" if where else first["msg"]


if __name__ == "__main__":
    sys.exit(main())
