"""Registry record versions: whole study records as received, compressed, one row per version.

A trial's first version is compressed on its own; later ones use it as zlib's preset
dictionary, so a version that differs from the first in a date and a count costs a few
hundred bytes instead of several kilobytes, and any version is read with two inflations.
A record identical to the trial's latest version (same digest) is not stored again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import zlib
from dataclasses import dataclass
from typing import Any, NamedTuple

from tracker.store.database import Database
from tracker.store.timestamps import from_text, to_text

try:  # ISA-L's deflate writes zlib streams (read back by the stdlib's zlib) 3.5x faster
    from isal import isal_zlib as _deflate
except ImportError:  # pragma: no cover - a build without isal stores the same streams slower
    _deflate = zlib

#: measured on registry JSON: zlib's level 1 is 2.3x faster than level 6 for 11 % more
#: bytes; ISA-L's level 1 is 3.5x faster again than zlib's and 2 % smaller
_LEVEL = 1
log = logging.getLogger(__name__)


class DamagedVersionError(ValueError):
    """A stored version whose bytes no longer inflate to a JSON study."""


@dataclass(frozen=True)
class VersionInfo:
    id: int
    trial_id: str
    last_update_posted: str | None
    seen_at: dt.datetime
    raw_size: int
    stored_size: int


class NewVersion(NamedTuple):
    """A version ready to insert: its `record_versions` columns, in their order."""

    trial_id: str
    last_update_posted: str | None
    seen_at: str
    digest: str
    raw_size: int
    base_id: int | None
    body: bytes  # compressed
    with_results: int


@dataclass(frozen=True)
class VersionStats:
    count: int
    trials: int
    raw_bytes: int
    stored_bytes: int


def canonical_bytes(study: dict[str, Any]) -> bytes:
    """The record as stored: compact JSON in the registry's own key order (which it keeps
    from answer to answer), so equal records give equal bytes. pydantic-core's encoder is
    3x faster than `json.dumps` here (imported here: reading versions does not need it)."""
    import pydantic_core

    return pydantic_core.to_json(study)


class VersionRepository:
    def __init__(self, database: Database) -> None:
        self._db = database

    def add(self, trial_id: str, study: dict[str, Any], last_update_posted: str | None,
            seen_at: dt.datetime, *, first: bool = False) -> bool:
        """Store `study` as the trial's newest version; False when it equals the latest.
        `first`: the caller has just seen that the trial has no version (inside the same
        transaction), so there is no latest to compare with and no dictionary to look up."""
        version = self.prepare(trial_id, study, last_update_posted, seen_at, first=first)
        if version is not None:
            self.insert([version])
        return version is not None

    def prepare(self, trial_id: str, study: dict[str, Any], last_update_posted: str | None,
                seen_at: dt.datetime, *, first: bool = False) -> NewVersion | None:
        """`add` up to the insert: the version compressed and ready for `insert` (which a
        batch does once for all its versions), or None when it equals the latest stored one.
        The latest is read from the library, so a trial has at most one version waiting."""
        raw = canonical_bytes(study)
        digest = hashlib.sha256(raw).hexdigest()
        with_results = int("resultsSection" in study)
        if first:
            base, dictionary = None, None
        else:
            latest = self._db.execute(
                "SELECT id, digest FROM record_versions WHERE trial_id = ? "
                "ORDER BY id DESC LIMIT 1", (trial_id,)).fetchone()
            if latest and latest[1] == digest:
                self._note_results(latest[0], with_results)
                return None
            base, dictionary = self._dictionary(trial_id)
        return NewVersion(trial_id, last_update_posted, to_text(seen_at), digest, len(raw),
                          base, _compress(raw, dictionary), with_results)

    def insert(self, versions: list[NewVersion]) -> None:
        """Store versions made by `prepare`, in one statement."""
        if not versions:
            return
        with self._db.transaction() as conn:
            conn.executemany(
                "INSERT INTO record_versions (trial_id, last_update_posted, seen_at, digest, "
                "raw_size, base_id, body, with_results) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                versions)

    def _note_results(self, version_id: int, with_results: int) -> None:
        """A version stored before `with_results` was recorded, seen again: say it now."""
        with self._db.transaction() as conn:
            conn.execute("UPDATE record_versions SET with_results = ? WHERE id = ? "
                         "AND with_results IS NULL", (with_results, version_id))

    def trial_ids_lacking_results(self) -> set[str]:
        """Trials the registry flags as having posted results whose latest version does not
        carry them (added before results were asked for, or stored before this was known)."""
        return {row[0] for row in self._db.execute(
            "SELECT v.trial_id FROM record_versions v JOIN trials t ON t.id = v.trial_id "
            "WHERE t.has_results = 1 AND coalesce(v.with_results, 0) = 0 "
            "AND v.id = (SELECT max(w.id) FROM record_versions w WHERE w.trial_id = v.trial_id)")}

    def latest(self, trial_id: str) -> dict[str, Any] | None:
        """The newest stored record; None when there is none or it cannot be read (a damaged
        file: the next sync then compares with the trial's stored fields and stores anew)."""
        return self.latest_if_any(trial_id)[1]

    def latest_if_any(self, trial_id: str) -> tuple[bool, dict[str, Any] | None]:
        """(whether the trial has a version, the newest record or None if unreadable)."""
        row = self._db.execute(
            "SELECT id FROM record_versions WHERE trial_id = ? ORDER BY id DESC LIMIT 1",
            (trial_id,)).fetchone()
        if row is None:
            return False, None
        try:
            return True, self.record(row[0])
        except DamagedVersionError as error:
            log.warning("%s", error)
            return True, None

    def latest_with_results(self, trial_id: str) -> dict[str, Any] | None:
        """The newest stored record that carries its posted results, if any is readable."""
        found = self.latest_with_results_for([trial_id]).get(trial_id)
        return found[1] if found else None

    def latest_with_results_for(self, trial_ids: list[str]
                                ) -> dict[str, tuple[str | None, dict[str, Any]]]:
        """For each of `trial_ids` with a stored record carrying posted results: the newest
        such record and its registry update date. An unreadable version is left out. One
        indexed look-up per trial (`with_results` sits after the record's bytes, so a scan
        of every version would read them all)."""
        found: dict[str, tuple[str | None, dict[str, Any]]] = {}
        for trial_id in trial_ids:
            row = self._db.execute(
                "SELECT id, last_update_posted FROM record_versions WHERE trial_id = ? "
                "AND with_results = 1 ORDER BY id DESC LIMIT 1", (trial_id,)).fetchone()
            if row is None:
                continue
            try:
                found[trial_id] = (row[1], self.record(row[0]))
            except DamagedVersionError as error:
                log.warning("%s", error)
        return found

    def record(self, version_id: int) -> dict[str, Any]:
        try:
            study = json.loads(self._raw_of(version_id))
        except (zlib.error, ValueError, TypeError) as error:
            raise DamagedVersionError(
                f"registry version {version_id} in the library cannot be read ({error}); "
                "run `tracker doctor`, then sync to fetch the record again") from None
        if not isinstance(study, dict):
            raise DamagedVersionError(f"registry version {version_id} is not a study record")
        return study

    def for_trial(self, trial_id: str) -> list[VersionInfo]:
        rows = self._db.query(f"{_INFO_SQL} WHERE trial_id = ? ORDER BY id", (trial_id,))
        return [_info(row) for row in rows]

    def for_trials(self, trial_ids: list[str]) -> dict[str, list[VersionInfo]]:
        found: dict[str, list[VersionInfo]] = {trial_id: [] for trial_id in trial_ids}
        for row in self._db.query(f"{_INFO_SQL} ORDER BY id"):
            if row["trial_id"] in found:
                found[row["trial_id"]].append(_info(row))
        return found

    def trial_ids(self) -> set[str]:
        """Trials with at least one stored version."""
        return {row[0] for row in self._db.execute(
            "SELECT DISTINCT trial_id FROM record_versions")}

    def stats(self) -> VersionStats:
        row = self._db.execute(
            "SELECT count(*), count(DISTINCT trial_id), coalesce(sum(raw_size), 0), "
            "coalesce(sum(length(body)), 0) FROM record_versions").fetchone()
        return VersionStats(*row)

    def _dictionary(self, trial_id: str) -> tuple[int | None, bytes | None]:
        """The trial's first version as the compression dictionary (none if unreadable)."""
        base = self._first(trial_id)
        if base is None:
            return None, None
        try:
            return base, self._raw_of(base)
        except zlib.error as error:
            log.warning("version %d cannot be read (%s); storing without a dictionary", base,
                        error)
            return None, None

    def _first(self, trial_id: str) -> int | None:
        row = self._db.execute(
            "SELECT id FROM record_versions WHERE trial_id = ? ORDER BY id LIMIT 1",
            (trial_id,)).fetchone()
        return row[0] if row else None

    def _raw_of(self, version_id: int) -> bytes:
        body, base = self._db.execute(
            "SELECT body, base_id FROM record_versions WHERE id = ?", (version_id,)).fetchone()
        return _decompress(body, self._raw_of(base) if base else None)


_INFO_SQL = ("SELECT id, trial_id, last_update_posted, seen_at, raw_size, length(body) AS stored "
             "FROM record_versions")


def _info(row: dict[str, Any]) -> VersionInfo:
    return VersionInfo(row["id"], row["trial_id"], row["last_update_posted"],
                       from_text(row["seen_at"]), row["raw_size"], row["stored"])


def _compress(raw: bytes, dictionary: bytes | None) -> bytes:
    """A zlib stream (`_decompress` reads it with the stdlib's zlib, whoever wrote it)."""
    packer = _deflate.compressobj(_LEVEL, zdict=dictionary) if dictionary else \
        _deflate.compressobj(_LEVEL)
    return packer.compress(raw) + packer.flush()


def _decompress(body: bytes, dictionary: bytes | None) -> bytes:
    unpacker = zlib.decompressobj(zdict=dictionary) if dictionary else zlib.decompressobj()
    return unpacker.decompress(body) + unpacker.flush()
