"""Import limits: local ids of at most 64 characters, at most 1 MB of notes per trial, and
messages that name the whole path given (real files, real CLI in a subprocess)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tracker.domain import InvalidTrialIdError, parse_trial_id
from tracker.services.importer import ImportFileError, import_file
from tracker.store import LIBRARY_FILE_NAME, Library

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "cll-december.json"


@pytest.fixture
def library(tmp_path):
    lib = Library(tmp_path / "lib" / LIBRARY_FILE_NAME)
    yield lib
    lib.close()


def _write(tmp_path: Path, change) -> Path:
    data = json.loads(GOLDEN.read_text())
    change(data)
    path = tmp_path / "in" / "list.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(data))
    return path


def test_local_ids_have_a_length_limit():
    assert parse_trial_id("LOCAL-" + "A" * 58) == "LOCAL-" + "A" * 58
    with pytest.raises(InvalidTrialIdError, match="at most 64 characters"):
        parse_trial_id("LOCAL-" + "A" * 59)


def test_an_imported_local_id_over_the_limit_is_refused(library, tmp_path):
    long_id = "LOCAL-" + "-".join(["ABCDEFGH"] * 12)

    def lengthen(data):
        data["trials"][2]["id"] = long_id
    path = _write(tmp_path, lengthen)
    with pytest.raises(ImportFileError, match=r"trials\[2\]\.id: .*at most 64 characters"
                       ) as caught:
        import_file(library, path)
    assert str(caught.value).startswith(str(path))
    assert not library.trials.exists("NCT02242942")


def test_notes_per_trial_are_capped_on_import(library, tmp_path):
    def many_notes(data):
        data["trials"][0]["notes"] = [
            {"body": f"{n} " + "x" * 100_000, "author": "Dr. B",
             "created_at": "2026-11-24T09:30:00Z", "updated_at": "2026-11-24T09:30:00Z"}
            for n in range(11)]
    path = _write(tmp_path, many_notes)
    with pytest.raises(ImportFileError, match=r"has 1,074 KB of notes; an import brings at "
                                              r"most 1 MB of notes per trial") as caught:
        import_file(library, path)
    assert str(caught.value).startswith(f"{path}: trials[0] (NCT02242942)")
    assert library.notes.for_trial("NCT02242942") == []


def test_ten_large_notes_for_one_trial_still_import(library, tmp_path):
    def ten_notes(data):
        data["trials"][0]["notes"] = [
            {"body": f"{n} " + "x" * 100_000, "author": "Dr. B",
             "created_at": f"2026-11-{n + 10}T09:30:00Z", "updated_at": "2026-11-24T09:30:00Z"}
            for n in range(10)]
    import_file(library, _write(tmp_path, ten_notes))
    assert len(library.notes.for_trial("NCT02242942")) == 10


def test_messages_name_the_whole_path_given(tmp_path):
    big = tmp_path / "sub" / "huge.json"
    big.parent.mkdir()
    with big.open("wb") as file:
        file.truncate(21 * 1024 * 1024)
    done = subprocess.run([sys.executable, "-m", "tracker", "--data-dir", str(tmp_path / "d"),
                           "import", "sub/huge.json"], capture_output=True, text=True,
                          timeout=120, cwd=tmp_path,
                          env={k: v for k, v in os.environ.items() if k != "TRACKER_DATA_DIR"})
    assert done.returncode == 1
    assert "sub/huge.json is larger than 20 MB" in done.stderr, done.stderr
