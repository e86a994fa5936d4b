"""The exit codes every command returns (the README documents them)."""

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran but something failed (a trial not found, a sync failure)
EXIT_USAGE = 2  # bad input: a malformed id, an unknown option (argparse uses 2 as well)
EXIT_INTERRUPTED = 130  # Ctrl+C, as shells report SIGINT
