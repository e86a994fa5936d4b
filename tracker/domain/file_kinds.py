"""What a path that should be a regular file is instead, in words: one rule for the library
file, the files `tracker import` reads and the files `tracker export` writes."""

from __future__ import annotations

import stat

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))


def not_a_file(mode: int) -> str | None:
    """None for a regular file; else what it is ("a device", "a named pipe", "a folder", …),
    from `os.stat(...).st_mode`. Judged from the mode alone: nothing is opened (opening a
    named pipe to look would wait for a writer)."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in _KINDS if test(mode)), "not a regular file")
