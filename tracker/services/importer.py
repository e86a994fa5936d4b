"""Import a watch list file: validate all of it first, then merge it in one transaction.

Merging never overwrites: new trials are added, existing trials keep their data and their
notes, incoming notes are added as attributed notes, and importing the same file twice
changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from tracker.domain import NoteTooLongError, StatusChange, TrackerError
from tracker.domain.file_kinds import not_a_file
from tracker.domain.limits import TRIAL_NOTES_MAX_BYTES, check_note_size
from tracker.domain.plain_errors import plain_message
from tracker.services.curated_readd import CuratedEntries, restored_with_registry
from tracker.services.exports.exchange import FORMAT_NAME, ExchangeFile, version_problem
from tracker.services.removal import forget_removals
from tracker.store import Library

#: How a list file is made, as the messages say it to a terminal's user (the window names its
#: menu instead: `ImportFileError.told_to_export_with`).
EXPORT_COMMAND = "tracker export --format json"


class ImportFileError(TrackerError):
    """The file cannot be imported; the message names the first bad field and its path."""

    def told_to_export_with(self, words: str) -> str:
        """The message with `words` ("File › Export…") where it names the CLI's command."""
        return str(self).replace(f"`{EXPORT_COMMAND}`", words).replace(EXPORT_COMMAND, words)


@dataclass
class ImportReport:
    watchlist: str
    added_trials: list[str] = field(default_factory=list)
    existing_trials: list[str] = field(default_factory=list)
    added_notes: int = 0
    added_tags: int = 0
    registry_taken: list[str] = field(default_factory=list)  # the file's registry data was newer
    registry_kept: list[str] = field(default_factory=list)  # the library's was as new or newer
    registry_future: list[str] = field(default_factory=list)  # the file's dated in the future
    added_history: int = 0
    added_changes: int = 0  # registry field changes from the file's change log
    added_meetings: list[dt.date] = field(default_factory=list)  # past meetings, newest first
    #: the file's past meetings not taken: the list has its own history (newest first)
    meetings_left_out: list[dt.date] = field(default_factory=list)
    restored: list[str] = field(default_factory=list)  # new trials given their curated entry

    def summary(self) -> str:
        from tracker.domain.words import plural

        text = (f"imported watch list {self.watchlist!r}: "
                f"{plural(len(self.added_trials), 'new trial')}, "
                f"{len(self.existing_trials)} already in the library, "
                f"{plural(self.added_notes, 'note')} and {plural(self.added_tags, 'tag')} added")
        if self.existing_trials:
            taken = ", ".join(self.registry_taken) if self.registry_taken else "none"
            text += (f"; newer registry data taken from the file for {len(self.registry_taken)}"
                     f" ({taken}), the library's own kept for {len(self.registry_kept)}")
        if self.registry_future:
            text += (f"; registry data dated in the future ignored for "
                     f"{len(self.registry_future)} ({', '.join(self.registry_future)}): the "
                     "library's own kept")
        if self.added_history:
            text += f"; {plural(self.added_history, 'status change')} added to the history"
        if self.added_changes:
            text += (f"; {plural(self.added_changes, 'registry change')} added to the "
                     "change log")
        if self.restored:
            text += (f"; curated entry restored for {', '.join(self.restored)} (review "
                     "figures and curated facts as the app ships them)")
        if self.added_meetings:
            text += (f"; past meetings added: {', '.join(map(str, self.added_meetings))} "
                     "(its handouts count changes from the latest)")
        if self.meetings_left_out:
            text += (f"; the file's past meetings {', '.join(map(str, self.meetings_left_out))}"
                     " not added: the list keeps its own meeting history")
        return text


MAX_FILE_BYTES = 20 * 1024 * 1024  # a watch list of 1,000 trials with notes is a few MB
MAX_INTEGER_DIGITS = 18  # every integer we store fits SQLite's 64-bit INTEGER


def read_exchange_file(path: Path) -> ExchangeFile:
    """Parse and validate the whole file, or raise ImportFileError saying what is wrong.

    Hostile input is refused here, before anything reaches the library: files over
    MAX_FILE_BYTES (read no further, so /dev/zero ends), text that is not UTF-8, nesting
    deeper than Python can parse, integers too large to store, lone surrogates that SQLite
    cannot encode, and notes over the note size limit."""
    text = _read_text(path)
    try:
        data = json.loads(text, parse_int=_bounded_int, parse_float=_finite_float,
                          parse_constant=_no_constant)
    except json.JSONDecodeError as error:
        if not text.strip():
            raise ImportFileError(f"{path} is empty: it is not a watch list file; "
                                  f"{_EXPORT_ONE}") from None
        # Python's message may end where the position goes ("Unterminated string starting at")
        problem = error.msg.removesuffix(" at")
        raise ImportFileError(f"{path} is not valid JSON: {problem} at line {error.lineno} "
                              f"column {error.colno} (a damaged file, or not a watch list file; "
                              f"{_EXPORT_ONE})") from None
    except RecursionError:
        raise ImportFileError(f"{path} is nested too deeply to be a watch list file") from None
    except _RefusedValue as error:
        raise ImportFileError(f"{path}: {error}") from None
    _check_text(path, data)
    _check_envelope(path, data)
    try:
        exchange = ExchangeFile.model_validate(data)
    except ValidationError as error:
        raise ImportFileError(f"{path}: {_first_error(error)}") from None
    except RecursionError:
        raise ImportFileError(f"{path} is nested too deeply to be a watch list file") from None
    _check_notes(path, exchange)
    return _checked_name(path, exchange)


_EXPORT_ONE = f"export one with `{EXPORT_COMMAND}`"


def _checked_name(path: Path, exchange: ExchangeFile) -> ExchangeFile:
    """The watch list's name checked as a typed one is (no control or invisible characters,
    at most 120 characters) and in the one Unicode form names are stored in."""
    from tracker.domain.limits import WATCHLIST_NAME_MAX_CHARS, check_name

    try:
        name = check_name(exchange.watchlist.name, "the watch list name",
                          WATCHLIST_NAME_MAX_CHARS)
    except ValueError as error:
        raise ImportFileError(f"{path}: watchlist.name: {_for_a_file(str(error))}") from None
    watchlist = exchange.watchlist.model_copy(update={"name": name.strip()})
    return exchange.model_copy(update={"watchlist": watchlist})


def _for_a_file(message: str) -> str:
    """A message written for typed text, said of a file (nobody types it again)."""
    return message.replace("; type it again", "; nothing was imported")

def _read_text(path: Path) -> str:
    """The file's text; anything but a regular file (a named pipe that would wait forever for
    a writer, a device, a folder, a socket) is refused before a byte is read."""
    try:
        # O_NONBLOCK: opening a named pipe does not wait for a writer; a file ignores it
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        if error.errno == errno.ENXIO:  # a socket cannot be opened as a file
            raise ImportFileError(f"cannot read {path}: it is a socket, not a regular file; "
                                  f"give a watch list file ({EXPORT_COMMAND})") from None
        raise ImportFileError(f"cannot read {path}: {error.strerror}") from error
    kind = not_a_file(os.fstat(handle).st_mode)
    if kind:
        os.close(handle)
        raise ImportFileError(f"cannot read {path}: it is {kind}, not a regular file; give "
                              f"a watch list file ({EXPORT_COMMAND})")
    with os.fdopen(handle, "rb") as file:
        try:
            raw = file.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise ImportFileError(f"cannot read {path}: {error.strerror}") from error
    if len(raw) > MAX_FILE_BYTES:
        raise ImportFileError(f"{path} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB, "
                              "too large to be a watch list file")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(f"{path} is not UTF-8 text (byte {error.start}): it is not a "
                              f"watch list file; {_EXPORT_ONE}") from None


class _RefusedValue(ValueError):
    pass


def _bounded_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INTEGER_DIGITS:
        raise _RefusedValue(f"the number {digits[:20]}… is too large")
    return int(digits)


def _finite_float(digits: str) -> float:
    value = float(digits)
    if not math.isfinite(value):
        raise _RefusedValue(f"the number {digits[:20]}… is too large")
    return value


def _no_constant(name: str) -> float:
    raise _RefusedValue(f"{name} is not a number this file format allows")


def _check_text(path: Path, data: object) -> None:
    """Every key and string must be encodable (no lone surrogates such as "\\ud800")."""
    pending: list[tuple[str, object]] = [("", data)]
    while pending:
        where, value = pending.pop()
        if isinstance(value, dict):
            for key, item in value.items():
                _check_string(path, f"{where}.{key}" if where else key, key)
                pending.append((f"{where}.{key}" if where else key, item))
        elif isinstance(value, list):
            pending.extend((f"{where}[{i}]", item) for i, item in enumerate(value))
        elif isinstance(value, str):
            _check_string(path, where, value)


def _check_string(path: Path, where: str, text: str) -> None:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        code = ord(text[error.start])
        raise ImportFileError(f"{path}: {where or 'a key'}: contains an invalid character "
                              f"(a lone surrogate \\u{code:04x})") from None


def _check_notes(path: Path, exchange: ExchangeFile) -> None:
    for t, trial in enumerate(exchange.trials):
        total = 0
        for n, note in enumerate(trial.notes):
            try:
                check_note_size(note.body)
            except NoteTooLongError as error:
                raise ImportFileError(f"{path}: trials[{t}].notes[{n}].body: {error}"
                                      ) from None
            total += len(note.body.encode("utf-8", "surrogatepass"))
        if total > TRIAL_NOTES_MAX_BYTES:
            raise ImportFileError(
                f"{path}: trials[{t}] ({trial.id}) has {total // 1024:,} KB of notes; an import "
                f"brings at most {TRIAL_NOTES_MAX_BYTES // (1024 * 1024)} MB of notes per trial: "
                "nothing was imported")


def _check_envelope(path: Path, data: object) -> None:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportFileError(f"{path} is not a Trial Tracker watch list file "
                              f"(format should be {FORMAT_NAME!r}); {_EXPORT_ONE}")
    problem = version_problem(data.get("version"))
    if problem:
        raise ImportFileError(f"{path}: {problem}")


def _first_error(error: ValidationError) -> str:
    first = error.errors()[0]
    path = ""
    for part in first["loc"]:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    message = _for_a_file(plain_message(first))
    if message.startswith("trials["):
        return message
    return f"{path}: {message}" if path else message


def import_file(library: Library, path: Path) -> ImportReport:
    exchange = read_exchange_file(path)  # nothing is written unless all of it is valid
    report = ImportReport(watchlist=exchange.watchlist.name)
    curated = CuratedEntries.bundled(library)
    with library.transaction():
        for incoming in exchange.trials:
            _merge_trial(library, incoming, report, curated)
        added = set(report.added_trials)  # no longer removed: curated updates reach them
        forget_removals(library, [i for t in exchange.trials if t.id in added
                                  for i in (t.id, *t.aliases)])
        _merge_watchlist(library, exchange, report)
    return report


def _merge_trial(library: Library, incoming, report: ImportReport,
                 curated: CuratedEntries) -> None:
    if library.trials.exists(incoming.id):
        trial_id = library.trials.resolve(incoming.id)
        report.existing_trials.append(trial_id)
        _merge_registry(library, trial_id, incoming, report)
    else:
        trial_id = incoming.id
        library.trials.insert([_new_trial(incoming, curated, report)])
        for change in incoming.status_history:
            library.history.record(StatusChange(trial_id=trial_id, **change.model_dump()))
        report.added_trials.append(trial_id)
    report.added_changes += merge_changes(library, trial_id, incoming.changes)
    known = {(n.body, n.created_at) for n in library.notes.for_trial(trial_id)}
    for note in incoming.notes:
        if (note.body, note.created_at) not in known:
            library.notes.add(trial_id, note.body, author=note.author, when=note.created_at,
                              updated=note.updated_at)
            report.added_notes += 1
    before = set(library.tags.for_trial(trial_id))
    after = set(library.tags.add(trial_id, incoming.tags)) if incoming.tags else before
    report.added_tags += len(after - before)


def _new_trial(incoming, curated: CuratedEntries, report: ImportReport):
    """The file's trial; one of the curated library gets its curated entry back, with the
    file's registry data taken as for a trial already in the library (`_merge_registry`)."""
    entry = curated.entry((incoming.id, *incoming.aliases))
    if entry is None:
        return incoming.as_trial()
    report.restored.append(incoming.id)
    taken = incoming.last_synced_at and not _dated_in_the_future(incoming)
    return restored_with_registry(entry, incoming.id, incoming.aliases,
                                  incoming.as_trial() if taken else None)


def merge_changes(library: Library, trial_id: str, incoming: list) -> int:
    """Add the file's field changes the library does not have (same field, values and
    time); return how many were added."""
    if not incoming:
        return 0
    from tracker.domain.changes import FieldChange

    known = {(c.field, c.old, c.new, c.seen_at) for c in library.changes.for_trial(trial_id)}
    new = [FieldChange(trial_id=trial_id, **c.model_dump()) for c in incoming
           if (c.field, c.old, c.new, c.seen_at) not in known]
    library.changes.add(new)
    return len(new)


def _registry_freshness(trial) -> tuple:
    """Which copy of a trial's registry data is newer: last sync, then the record's update."""
    synced = trial.last_synced_at.isoformat() if trial.last_synced_at else ""
    return (synced, trial.last_update_posted or "")


def _dated_in_the_future(incoming) -> bool:
    """A file claiming a sync or a registry update after tomorrow (UTC) was made up or made
    by a machine with a wrong clock: it never replaces what the library synced itself."""
    synced = incoming.last_synced_at
    if synced is not None and _after_tomorrow(synced):
        return True
    return (incoming.last_update_posted or "") > _tomorrow().date().isoformat()


def _tomorrow() -> dt.datetime:
    return dt.datetime.now(dt.UTC) + dt.timedelta(days=1)


def _after_tomorrow(moment: dt.datetime) -> bool:
    """Later than a day from now (UTC; a time without a zone is read as UTC)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)) > _tomorrow()


def _merge_registry(library: Library, trial_id: str, incoming, report: ImportReport) -> None:
    """Take the file's registry fields when they are newer than the library's; curated
    facts, notes and tags are never replaced. The file's status history is added."""
    local = library.trials.get(trial_id)
    if _dated_in_the_future(incoming):
        report.registry_future.append(trial_id)
        report.registry_kept.append(trial_id)
    elif incoming.last_synced_at and _registry_freshness(incoming) > _registry_freshness(local):
        library.trials.update_registry(incoming.as_trial().model_copy(
            update={"id": trial_id, "aliases": local.aliases}))
        report.registry_taken.append(trial_id)
    else:
        report.registry_kept.append(trial_id)
    known = {(c.new_status, c.seen_at) for c in library.history.for_trial(trial_id)}
    for change in incoming.status_history:
        if _after_tomorrow(change.seen_at):  # made up, or a wrong clock: never history
            continue
        if (change.new_status, change.seen_at) not in known:
            library.history.record(StatusChange(trial_id=trial_id, **change.model_dump()))
            report.added_history += 1


def _merge_watchlist(library: Library, exchange: ExchangeFile, report: ImportReport) -> None:
    """Into the list of that name (as the store compares names; reported as the library spells
    it), or a new one. The file's past meetings come in only with a list that has none of its
    own: a list with its own history keeps it, so an import never brings back a meeting
    forgotten here nor moves the "since" of this library's handouts to a colleague's meeting;
    the summary names the file's meetings left out."""
    wl = exchange.watchlist
    existing = library.watchlists.taken_name(wl.name)
    if existing is None:
        library.watchlists.create(wl.name, description=wl.description,
                                  meeting_date=wl.meeting_date)
    name = existing or wl.name
    report.watchlist = name
    library.watchlists.add(name, [library.trials.resolve(t.id) for t in exchange.trials])
    own = library.watchlists.past_meetings(name)
    if own:
        report.meetings_left_out = sorted(set(wl.past_meetings) - set(own), reverse=True)
    else:
        report.added_meetings = library.watchlists.add_past_meetings(name, wl.past_meetings)