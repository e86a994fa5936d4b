"""Typed errors raised below the UI; the CLI and the window turn them into words in one place."""

from __future__ import annotations


class TrackerError(Exception):
    """Base of every error Trial Tracker raises on purpose; its message is meant for users."""


class InvalidTrialIdError(TrackerError, ValueError):
    """Text that is not a registry (NCT) id or a local curated id."""

    def __init__(self, text: str, expected: str = "NCT followed by 8 digits",
                 others: tuple[str, ...] = ()) -> None:
        """`others`: more malformed parts of the same entry, named with `text`."""
        from tracker.domain.plain_errors import cut_middle
        from tracker.domain.registry_text import shown_visibly

        texts = (text, *others)
        visible = [shown_visibly(t) for t in texts]  # a hidden character would make an id
        hint = "" if visible == list(texts) else (  # look valid
            "; <U+…> marks an invisible or control character: type the id instead of pasting it")
        shown = [cut_middle(t) for t in visible]
        what = "not an NCT id" if not others else "not NCT ids"
        super().__init__(f"{what}: {', '.join(shown)} (expected {expected}{hint})")
        self.text = text


class SeveralTrialIdsError(InvalidTrialIdError):
    """Several ids pasted where a command takes one trial (`tracker tag "NCT…,NCT…" x`)."""

    def __init__(self, text: str, count: int) -> None:
        from tracker.domain.registry_text import shown_visibly

        TrackerError.__init__(self, f"{shown_visibly(text)} holds {count} ids; this command "
                              "takes one trial at a time: give one id")
        self.text = text


class TrialNotFoundError(TrackerError, LookupError):
    """A well-formed id that the library does not hold."""

    def __init__(self, trial_id: str) -> None:
        super().__init__(f"{trial_id} is not in the library")
        self.trial_id = trial_id


class LibraryError(TrackerError):
    """The library file cannot be opened or migrated."""


class LibraryTooNewError(LibraryError):
    """The library was written by a newer version of the app; it is left untouched."""

    def __init__(self, path: object, found: int, supported: int) -> None:
        super().__init__(
            f"the library {path} was made by a newer version of Trial Tracker "
            f"(schema {found}; this version understands up to {supported}). "
            "It was not modified: update Trial Tracker to open it."
        )
        self.found = found
        self.supported = supported


class NotALibraryError(LibraryError):
    """The file is not a Trial Tracker library (another program's file); it is left untouched."""


class LibraryBusyError(LibraryError):
    """Another program held the library's write lock longer than we wait."""


class LibraryFullError(LibraryError):
    """The disk (or the file system holding the library) is full."""


class LibraryDamagedError(LibraryError):
    """SQLite found damaged pages in the library file."""


class LibraryEmptyError(LibraryError):
    """The library file is empty (0 bytes) while backups or a -wal file beside it show that it
    held a library (a failed copy or a truncation): it is left untouched, not started afresh.
    `reason` says it without the next step (`tracker doctor` gives its own)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class LibraryReadOnlyError(LibraryError):
    """The library (or its folder) cannot be written: a read-only share, file system or backup."""


class NoteTooLongError(TrackerError, ValueError):
    """A note over the documented size limit."""
