"""Input from files and people: ASCII-only ids, imports that refuse hostile files without a
traceback, the note size limit, control characters kept from the terminal, `tracker remove`."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.unit.test_cli import run
from tracker.domain import InvalidTrialIdError, NoteTooLongError, is_nct_id, parse_nct_id
from tracker.domain.ids import find_nct_ids
from tracker.domain.limits import NOTE_MAX_BYTES, check_note_size
from tracker.services.importer import MAX_FILE_BYTES, ImportFileError, read_exchange_file
from tracker.services.recovery import RECOVERY_FILE_NAME

VIALE_A = "NCT02993523"
ARABIC_INDIC = "NCT\u0660\u0662\u0669\u0669\u0663\u0665\u0662\u0663"  # NCT٠٢٩٩٣٥٢٣
FULL_WIDTH = "NCT\uff10\uff12\uff19\uff19\uff13\uff15\uff12\uff13"
DEVANAGARI = "NCT\u0966\u0968\u096f\u096f\u0969\u096b\u0968\u0969"


@pytest.mark.parametrize("text", [ARABIC_INDIC, FULL_WIDTH, DEVANAGARI,
                                  "https://clinicaltrials.gov/study/" + FULL_WIDTH])
def test_ids_with_non_ascii_digits_are_malformed(text):
    assert not is_nct_id(text.split("/")[-1])
    with pytest.raises(InvalidTrialIdError):
        parse_nct_id(text)
    assert find_nct_ids(f"see {text} and {VIALE_A}") == [VIALE_A]


def test_a_curated_or_exchange_trial_with_non_ascii_digits_is_refused():
    from pydantic import ValidationError

    from tracker.domain import Trial
    with pytest.raises(ValidationError):
        Trial(id=ARABIC_INDIC, id_provenance="registry", brief_title="x", modality="bcl2",
              summary="")


def test_the_cli_refuses_non_ascii_digits_as_a_usage_error(capsys):
    code, _, err = run(capsys, "show", ARABIC_INDIC)
    assert code == 2 and "not an NCT id" in err


# -- import ----------------------------------------------------------------------------------
def _exchange(tmp_path, **changes) -> dict:
    from tracker.services.exports import export_watchlist
    from tracker.services.library import open_library

    library = open_library(tmp_path / "source")
    library.watchlists.create("AML")
    library.watchlists.add("AML", [VIALE_A])
    path = export_watchlist(library, "AML", "json", tmp_path / "aml.json")
    library.close()
    return json.loads(path.read_text())


def _write(tmp_path, name: str, content: str | bytes):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("name,content,expected", [
    ("deep.json", "[" * 200_000 + "]" * 200_000, "nested too deeply"),
    ("deep-objects.json", '{"a":' * 100_000 + "1" + "}" * 100_000, "nested too deeply"),
    ("huge-int.json", '{"format": "trial-tracker-watchlist", "version": ' + "9" * 5000 + "}",
     "too large"),
    ("huge-float.json", '{"version": 1e999}', "too large"),
    ("nan.json", '{"version": NaN}', "not a number"),
    ("latin1.json", "{\"format\": \"caf\xe9\"}".encode("latin-1"), "not UTF-8"),
    ("binary.json", bytes(range(256)) * 10, "not UTF-8"),
    ("zeros.json", b"\0" * 1000, "not valid JSON"),
])
def test_hostile_files_are_refused_with_a_message(tmp_path, name, content, expected):
    with pytest.raises(ImportFileError, match=expected):
        read_exchange_file(_write(tmp_path, name, content))


def test_a_lone_surrogate_is_refused_naming_where(tmp_path):
    data = _exchange(tmp_path)
    data["trials"][0]["brief_title"] = "Venetoclax \ud800 AML"
    path = _write(tmp_path, "surrogate.json", json.dumps(data))  # ensure_ascii: "\\ud800"
    with pytest.raises(ImportFileError, match=r"trials\[0\]\.brief_title.*lone surrogate"):
        read_exchange_file(path)


def test_a_huge_integer_in_a_field_is_refused(tmp_path):
    data = _exchange(tmp_path)
    data["trials"][0]["enrollment"] = 10 ** 30
    with pytest.raises(ImportFileError, match="too large"):
        read_exchange_file(_write(tmp_path, "big.json", json.dumps(data)))


def test_dev_zero_is_refused_as_a_device_before_any_byte_is_read(tmp_path):
    with pytest.raises(ImportFileError, match="/dev/zero: it is a device, not a regular file"):
        read_exchange_file(__import__("pathlib").Path("/dev/zero"))


def test_a_file_over_the_cap_is_refused_after_reading_no_more_than_the_cap(tmp_path):
    big = tmp_path / "big.json"
    with big.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 10)  # sparse: no disk space used
    with pytest.raises(ImportFileError, match=f"larger than {MAX_FILE_BYTES // 2**20} MB"):
        read_exchange_file(big)


def test_a_note_over_the_limit_is_refused_on_import(tmp_path):
    data = _exchange(tmp_path)
    data["trials"][0]["notes"] = [{"body": "x" * (NOTE_MAX_BYTES + 1), "author": "Dr. B",
                                   "created_at": "2026-01-01T00:00:00Z",
                                   "updated_at": "2026-01-01T00:00:00Z"}]
    with pytest.raises(ImportFileError, match=r"trials\[0\]\.notes\[0\]\.body.*100 KB"):
        read_exchange_file(_write(tmp_path, "long-note.json", json.dumps(data)))


def test_a_note_at_the_limit_is_accepted_and_one_byte_more_is_not():
    check_note_size("é" * (NOTE_MAX_BYTES // 2))  # 2 bytes each: exactly the limit
    with pytest.raises(NoteTooLongError):
        check_note_size("é" * (NOTE_MAX_BYTES // 2) + "x")


@pytest.mark.parametrize("payload", [
    "[" * 200_000, '{"v": ' + "1" * 5000 + "}", "/dev/zero", b"\xff\xfe\x00binary"])
def test_tracker_import_of_hostile_input_is_one_line_and_exit_1(tmp_path, payload):
    path = payload if payload == "/dev/zero" else str(_write(tmp_path, "in.json", payload))
    result = subprocess.run([sys.executable, "-m", "tracker", "--data-dir",
                             str(tmp_path / "data"), "import", path],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "tracker import:" in result.stderr


def test_tracker_note_over_the_limit_is_refused_and_nothing_saved(capsys, _isolated_data_dir):
    code, _, err = run(capsys, "note", VIALE_A, "x" * (NOTE_MAX_BYTES + 10))
    assert code == 2 and "limited to 100 KB" in err
    _, shown, _ = run(capsys, "show", VIALE_A, "--json")
    assert json.loads(shown)[0]["notes"] == []


# -- the terminal ------------------------------------------------------------------------------
ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x1b[31mRED\x9b31m\u202eevil\r\x00"


def test_control_characters_never_reach_the_terminal(capsys, _isolated_data_dir):
    from tracker.services.library import open_library

    library = open_library(_isolated_data_dir)
    library.database.execute("UPDATE trials SET brief_title = ?, acronym = ? WHERE id = ?",
                             (f"Title {ESCAPES} end", f"ACR{ESCAPES}", VIALE_A))
    library.notes.add(VIALE_A, f"note {ESCAPES} tail")
    library.close()
    for args in (["list"], ["show", VIALE_A], ["list", "--json"], ["show", VIALE_A, "--json"]):
        code, out, err = run(capsys, *args)
        assert code == 0
        for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\r", "\x00"):
            assert bad not in out and bad not in err, (args, repr(bad))
        assert "RED" in out or "RED" in json.dumps(json.loads(out))


def test_safe_text_keeps_ordinary_text_and_newlines():
    from tracker.cli.terminal import safe_text
    text = "Venetoclax + azacitidine — 66.4% (95% CI)\n\tnext line: ñ, ü, 中文, ٣"
    assert safe_text(text) == text
    assert safe_text("a\ud800b") == "a\ufffdb"


# -- tracker remove ---------------------------------------------------------------------------
def test_remove_refuses_without_a_terminal_or_yes(capsys):
    code, _, err = run(capsys, "remove", VIALE_A)
    assert code == 2 and "--yes" in err
    code, out, _ = run(capsys, "show", VIALE_A)
    assert code == 0


def test_remove_with_yes_deletes_the_trial_and_keeps_its_notes(capsys, _isolated_data_dir):
    run(capsys, "note", VIALE_A, "my", "VIALE-A", "thoughts")
    run(capsys, "tag", VIALE_A, "aml")
    run(capsys, "watchlist", "create", "AML")
    run(capsys, "watchlist", "add", "AML", VIALE_A)
    code, out, _ = run(capsys, "remove", "nct02993523", "--yes")
    assert code == 0 and "removed NCT02993523" in out and RECOVERY_FILE_NAME in out
    assert "my VIALE-A thoughts" in (_isolated_data_dir / RECOVERY_FILE_NAME).read_text()
    code, _, err = run(capsys, "show", VIALE_A)
    assert code == 1 and "not in the library" in err
    _, out, _ = run(capsys, "watchlist", "show", "AML")
    assert VIALE_A not in out


def test_a_removed_curated_trial_stays_removed_when_curated_data_is_refreshed(capsys):
    from tracker.context import build_context
    from tracker.services.library import CURATED_DIGEST_KEY, refresh_curated

    run(capsys, "remove", VIALE_A, "--yes")
    context = build_context()
    context.library.meta.set(CURATED_DIGEST_KEY, "an older app's data")
    refresh_curated(context.library)
    assert not context.library.trials.exists(VIALE_A)
    context.close()


def test_remove_asks_on_a_terminal_and_no_keeps_the_trial(tmp_path):
    """A real pseudo-terminal: the prompt is shown and anything but y keeps the trial."""
    from tests.unit.terminal_answer import answer_on_terminal

    def answer(reply: bytes) -> str:
        return answer_on_terminal(tmp_path, ["remove", VIALE_A], reply)

    assert "not removed" in answer(b"n\n")
    assert "removed NCT02993523" in answer(b"y\n")


@pytest.mark.parametrize("args", [[b"note", VIALE_A.encode(), b"bad \xff byte"],
                                  [b"list", b"--search", b"w\xff"]])
def test_bytes_that_are_not_utf8_on_the_command_line_are_one_line(tmp_path, args):
    result = subprocess.run([sys.executable.encode(), b"-m", b"tracker", b"--data-dir",
                             str(tmp_path).encode(), *args], capture_output=True, timeout=60)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2 and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and "not valid UTF-8" in err


def test_a_note_stored_before_the_limit_is_shortened_for_display(capsys, _isolated_data_dir):
    from tracker.services.library import open_library

    library = open_library(_isolated_data_dir)
    with library.transaction() as conn:  # as an older version imported it
        conn.execute("INSERT INTO notes (trial_id, body, author, created_at, updated_at) "
                      "VALUES (?, ?, 'Dr. B', '2026-01-01', '2026-01-01')",
                      (VIALE_A, "word " * 2_000_000))
    library.close()
    code, out, _ = run(capsys, "show", VIALE_A)
    assert code == 0 and "shortened for display: 9765 KB in all" in out
    assert len(out) < 2 * NOTE_MAX_BYTES


# -- the recovery file -----------------------------------------------------------------------
def test_the_recovery_file_is_private_and_falls_back_to_the_temporary_folder(tmp_path,
                                                                           monkeypatch):
    import stat

    from tracker.services.recovery import fallback_recovery_path, keep_text

    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    import tempfile
    monkeypatch.setattr(tempfile, "tempdir", None)  # re-read TMPDIR
    kept = keep_text(tmp_path, VIALE_A, "first", "test")
    assert kept == tmp_path / RECOVERY_FILE_NAME
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    afile = tmp_path / "afile"
    afile.write_text("")
    elsewhere = keep_text(afile, VIALE_A, "second", "data dir is a file")
    assert elsewhere == fallback_recovery_path() and elsewhere.parent == tmp_path / "tmp"
    assert "second" in elsewhere.read_text()


def test_the_shared_fallback_is_never_a_symlink_or_someone_elses_readable_file(tmp_path,
                                                                             monkeypatch):
    import tempfile

    from tracker.services.recovery import fallback_recovery_path, keep_text

    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)
    afile = tmp_path / "afile"
    afile.write_text("")
    target = fallback_recovery_path()
    planted = tmp_path / "planted.txt"
    planted.write_text("")
    target.symlink_to(planted)  # someone else's trap in the shared temporary folder
    assert keep_text(afile, VIALE_A, "secret", "x") is None
    assert planted.read_text() == ""
    target.unlink()
    target.write_text("")
    target.chmod(0o644)  # readable by others: not ours to append private notes to
    assert keep_text(afile, VIALE_A, "secret", "x") is None
    assert target.read_text() == ""


def test_a_fifo_planted_as_the_recovery_file_is_passed_over_not_waited_on(tmp_path, monkeypatch):
    import os
    import tempfile
    import time

    from tracker.services.recovery import fallback_recovery_path, keep_text

    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", None)
    os.mkfifo(tmp_path / RECOVERY_FILE_NAME)
    started = time.monotonic()
    kept = keep_text(tmp_path, VIALE_A, "typed note", "test")
    assert time.monotonic() - started < 2
    assert kept == fallback_recovery_path() and "typed note" in kept.read_text()
