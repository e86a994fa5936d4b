"""Personal notes leave the computer only when asked: they may name patients, and an export
goes to everyone who gets the file (a reviewer's "my patient X" reached a colleague's
library through a default JSON export)."""

from __future__ import annotations

import json

import pytest

from tests.unit.test_cli import run
from tests.unit.test_exports import NASTY, NOW, library  # noqa: F401 - shared fixture
from tracker.services.exports import export_bytes

LIST = "CLL – December"
NOTE = "Ask <script>"  # the start of the fixture's note on CLL14


@pytest.mark.parametrize("fmt", ["md", "html", "csv", "json"])
def test_exports_leave_notes_out_unless_asked(library, fmt):  # noqa: F811
    assert NASTY.startswith(NOTE)
    plain = export_bytes(library, LIST, fmt, now=NOW).decode("utf-8-sig")
    assert NOTE not in plain and "&lt;script&gt;" not in plain and "Ask \\u003c" not in plain
    asked = export_bytes(library, LIST, fmt, now=NOW, include_notes=True).decode("utf-8-sig")
    assert "Ask" in asked and "script" in asked
    if fmt == "json":
        trials = json.loads(plain)["trials"]
        assert all(trial["notes"] == [] for trial in trials)


def test_the_cli_takes_notes_only_with_dash_dash_notes(library, tmp_path, capsys):  # noqa: F811
    code, out, _err = run(capsys, "--data-dir", str(tmp_path), "export", "--watchlist", LIST,
                          "--format", "md", "-o", "-")
    assert code == 0 and "CLL14" in out and "Notes:" not in out
    code, out, _err = run(capsys, "--data-dir", str(tmp_path), "export", "--watchlist", LIST,
                          "--format", "md", "-o", "-", "--notes")
    assert code == 0 and "Notes:" in out and "Ask" in out
    code, _out, err = run(capsys, "--data-dir", str(tmp_path), "export", "--watchlist", LIST,
                          "--format", "md", "-o", "-", "--notes", "--no-notes")
    assert code == 2 and "not allowed with argument" in err
