"""A trial row another program or a hand edit wrote wrong: one line naming the trial, and
`tracker doctor` lists it (SQLite's integrity check does not look inside fields)."""

from __future__ import annotations

import sqlite3

import pytest

from tests.unit.test_cli import run
from tracker.store import LIBRARY_FILE_NAME

VIALE_A = "NCT02993523"


def _spoil(data_dir, sql: str) -> None:
    conn = sqlite3.connect(data_dir / LIBRARY_FILE_NAME)
    with conn:
        conn.execute(sql, (VIALE_A,))
    conn.close()


@pytest.mark.parametrize("sql, why", [
    ("UPDATE trials SET phases = 'not json' WHERE id = ?", "a list field is not valid JSON"),
    # a code-shaped "PHASE9" is a phase the registry added later (kept); this is no code at all
    ("UPDATE trials SET phases = '[\"phase 9?\"]' WHERE id = ?", "not one this version"),
    ("UPDATE trials SET brief_title = CAST(X'FFFE41' AS TEXT) WHERE id = ?", "not UTF-8"),
])
def test_a_damaged_record_is_one_line_and_doctor_lists_it(capsys, _isolated_data_dir, sql, why):
    assert run(capsys, "list")[0] == 0  # the library is created and seeded
    _spoil(_isolated_data_dir, sql)
    for command in (["show", VIALE_A], ["list"]):
        code, _out, err = run(capsys, *command)
        assert code == 1 and "Traceback" not in err
        assert err.count("\n") == 1 and "damaged" in err and why in err, err
    code, out, err = run(capsys, "doctor")
    assert code == 1
    assert "integrity: ok" in out  # SQLite's own check finds nothing
    assert f"damaged trial records: 1\n  {VIALE_A}: " in out and why in out


def test_a_damaged_record_can_be_removed_as_doctor_advises(capsys, _isolated_data_dir):
    assert run(capsys, "note", VIALE_A, "keep this")[0] == 0
    _spoil(_isolated_data_dir, "UPDATE trials SET phases = 'not json' WHERE id = ?")
    code, out, err = run(capsys, "remove", VIALE_A, "--yes")
    assert code == 0, err
    assert f"removed {VIALE_A}" in out and "damaged record" in out
    assert run(capsys, "list")[0] == 0  # the rest of the library lists again
    assert "keep this" in (_isolated_data_dir / "recovered-notes.txt").read_text()
