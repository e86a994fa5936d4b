"""Record versions and the change log in a real library file: storage, dedup, size, migration."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import sqlite3

from tests.fakes.studies import real_studies
from tracker.domain import Trial
from tracker.domain.changes import FieldChange, Significance
from tracker.services.maintenance import inspect_library
from tracker.store import Library
from tracker.store.migrations import _V_RECORD_VERSIONS, MIGRATIONS, migrate

SEEN = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)


def _study(index: int = 0) -> dict:
    return copy.deepcopy(real_studies()[index])


def _nct(study: dict) -> str:
    return study["protocolSection"]["identificationModule"]["nctId"]


def test_versions_store_whole_record_compressed_and_skip_identical(empty_library):
    study = _study(8)  # the record with results, ~48 KB
    trial_id = _nct(study)
    empty_library.trials.insert([Trial(id=trial_id, brief_title="x")])

    assert empty_library.versions.add(trial_id, study, "2024-01-01", SEEN)
    assert not empty_library.versions.add(trial_id, copy.deepcopy(study), "2024-01-01", SEEN)
    later = copy.deepcopy(study)
    later["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2025-06-01"
    assert empty_library.versions.add(trial_id, later, "2025-06-01", SEEN + dt.timedelta(days=1))

    first, second = empty_library.versions.for_trial(trial_id)
    assert empty_library.versions.record(first.id) == study  # whole, every section kept
    assert empty_library.versions.latest(trial_id) == later
    assert first.stored_size < first.raw_size / 3 and second.stored_size < second.raw_size / 3
    assert (first.last_update_posted, second.last_update_posted) == ("2024-01-01", "2025-06-01")


def test_versions_of_a_record_under_32_kb_are_stored_as_deltas(empty_library):
    study = _study(0)  # 11 KB: within zlib's 32 KB window, the first version is a dictionary
    empty_library.trials.insert([Trial(id=_nct(study), brief_title="x")])
    empty_library.versions.add(_nct(study), study, None, SEEN)
    study["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    empty_library.versions.add(_nct(study), study, None, SEEN)
    first, second = empty_library.versions.for_trial(_nct(study))
    assert second.stored_size < first.stored_size / 10
    assert empty_library.versions.record(second.id) == study


def test_versions_thousand_trials_ten_versions_stay_under_100_mb(tmp_path):
    """1,000 trials x 10 versions built from the real page (each version moves a date, the
    enrollment and a status); the file must stay far below the 100 MB the issue allows."""
    library = Library(tmp_path / "big.sqlite3")
    templates = real_studies()
    ids = [f"NCT{70000000 + i:08d}" for i in range(1000)]
    library.trials.insert([Trial(id=i, brief_title=i) for i in ids])
    with library.transaction():
        for number, trial_id in enumerate(ids):
            study = copy.deepcopy(templates[number % len(templates)])
            study.pop("derivedSection", None)  # a sync does not ask for it
            for version in range(10):
                _mutate(study, trial_id, version)
                library.versions.add(trial_id, study, f"2025-{version + 1:02d}-01", SEEN)
    stats = library.versions.stats()
    library.database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = (tmp_path / "big.sqlite3").stat().st_size
    library.close()
    assert (stats.count, stats.trials) == (10_000, 1000)
    print(f"\n1,000 trials x 10 versions: {stats.raw_bytes / 1e6:.1f} MB of JSON stored in "
          f"{stats.stored_bytes / 1e6:.1f} MB; library file {size / 1e6:.1f} MB")
    assert size < 100e6


def _mutate(study: dict, trial_id: str, version: int) -> None:
    protocol = study["protocolSection"]
    protocol["identificationModule"]["nctId"] = trial_id
    status = protocol["statusModule"]
    status["lastUpdatePostDateStruct"] = {"date": f"2025-{version + 1:02d}-01", "type": "ACTUAL"}
    status["overallStatus"] = ("RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED")[version % 3]
    protocol.setdefault("designModule", {})["enrollmentInfo"] = {"count": 100 + 7 * version,
                                                                "type": "ESTIMATED"}


def test_versions_doctor_reports_their_size(empty_library):
    study = _study(0)
    empty_library.trials.insert([Trial(id=_nct(study), brief_title="x")])
    empty_library.versions.add(_nct(study), study, None, SEEN)
    health = inspect_library(empty_library, checkpoint=False)
    assert health.versions.count == 1 and health.versions.trials == 1
    assert 0 < health.versions.stored_bytes < health.versions.raw_bytes


def test_versions_changes_round_trip_and_filter(empty_library):
    empty_library.trials.insert([Trial(id="NCT02993523", brief_title="VIALE-A")])
    old = FieldChange(trial_id="NCT02993523", field="enrollment", old="400", new="120",
                      detail="-70 %", significance=Significance.MAJOR, seen_at=SEEN)
    minor = dataclasses.replace(old, field="phases", significance=Significance.MINOR,
                                detail=None, seen_at=SEEN + dt.timedelta(days=2))
    empty_library.changes.add([old, minor])
    assert [c.field for c in empty_library.changes.since()] == ["phases", "enrollment"]
    assert [c.field for c in empty_library.changes.since(major_only=True)] == ["enrollment"]
    assert [c.field for c in empty_library.changes.since(SEEN + dt.timedelta(days=1))] == [
        "phases"]
    assert empty_library.changes.since(dt.date(2026, 3, 2))[0].field == "phases"
    assert empty_library.changes.since(trial_ids=["NCT00000001"]) == []
    assert empty_library.changes.for_trial("NCT02993523")[0].detail == "-70 %"


def test_versions_migration_moves_status_history_without_loss(tmp_path):
    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=MIGRATIONS.index(_V_RECORD_VERSIONS))  # the schema before
    conn.execute("INSERT INTO trials (id, id_provenance, modality, added_at, brief_title) "
                 "VALUES ('NCT02993523', 'curator', 'bcl2', '2025-01-01', 'VIALE-A')")
    history = [(None, "RECRUITING", "2024-01-02", "2025-01-01T10:00:00+00:00"),
               ("RECRUITING", "ACTIVE_NOT_RECRUITING", "2024-06-01", "2025-02-01T10:00:00+00:00"),
               ("ACTIVE_NOT_RECRUITING", "COMPLETED", None, "2025-03-01T10:00:00+00:00")]
    conn.executemany("INSERT INTO status_changes (trial_id, old_status, new_status, "
                     "registry_date, seen_at) VALUES ('NCT02993523', ?, ?, ?, ?)", history)
    conn.close()

    library = Library(path)
    changes = library.changes.for_trial("NCT02993523")
    assert [(c.field, c.old, c.new, c.registry_date, c.seen_at.isoformat())
            for c in changes] == [("overall_status", *row) for row in history]
    assert [c.significance for c in changes] == ["initial", "major", "major"]
    old_interface = library.history.for_trial("NCT02993523")
    assert [(h.old_status, h.new_status.value) for h in old_interface][-1][1] == "COMPLETED"
    assert len(old_interface) == 3
    library.close()


def test_versions_a_damaged_version_is_reported_and_the_next_sync_stores_anew(empty_library):
    import pytest

    from tracker.store.versions import DamagedVersionError

    study = _study(0)
    trial_id = _nct(study)
    empty_library.trials.insert([Trial(id=trial_id, brief_title="x")])
    empty_library.versions.add(trial_id, study, None, SEEN)
    with empty_library.transaction() as conn:
        conn.execute("UPDATE record_versions SET body = x'00ff00ff'")
    (info,) = empty_library.versions.for_trial(trial_id)
    with pytest.raises(DamagedVersionError, match="run `tracker doctor`"):
        empty_library.versions.record(info.id)
    assert empty_library.versions.latest(trial_id) is None
    changed = _study(0)
    changed["protocolSection"]["statusModule"]["overallStatus"] = "TERMINATED"
    assert empty_library.versions.add(trial_id, changed, None, SEEN)
    assert empty_library.versions.latest(trial_id) == changed


def test_versions_written_by_either_deflater_are_read_back_alike(empty_library, monkeypatch):
    """Versions are deflated by ISA-L when it is installed, else by the stdlib's zlib; both
    write zlib streams (the second against the first as its dictionary) that read back the
    same, so a library moves between builds with and without it."""
    import zlib

    from tracker.store import versions as version_store

    deflaters = [zlib]
    try:
        from isal import isal_zlib
        deflaters.append(isal_zlib)
    except ImportError:
        pass
    study = _study(0)
    trial_id = _nct(study)
    empty_library.trials.insert([Trial(id=trial_id, brief_title="x")])
    written = []
    for number, deflater in enumerate(deflaters * 2):
        monkeypatch.setattr(version_store, "_deflate", deflater)
        study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = \
            f"2025-0{number + 1}-01"
        assert empty_library.versions.add(trial_id, study, None, SEEN)
        written.append(copy.deepcopy(study))
    stored = empty_library.versions.for_trial(trial_id)
    assert [empty_library.versions.record(v.id) for v in stored] == written
    first, *deltas = stored
    assert first.stored_size < first.raw_size / 2
    assert all(delta.stored_size < first.stored_size / 10 for delta in deltas)
