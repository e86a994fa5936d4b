"""What reaches the terminal: no CR inside messages (it would overwrite what came before),
no invisible format characters (Cf) from registry or imported text; the progress bar keeps
its leading CR (real subprocess, real library file)."""

from __future__ import annotations

import io
import os
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

from tracker.__main__ import main
from tracker.cli.terminal import SafeStream, safe_text
from tracker.store import LIBRARY_FILE_NAME

KEPT_JOINERS = {"\u200c", "\u200d"}  # ZWNJ, ZWJ: shape words and emoji, hide nothing


def test_every_format_character_but_the_joiners_is_removed():
    format_chars = [chr(c) for c in range(sys.maxunicode + 1)
                    if unicodedata.category(chr(c)) == "Cf"]
    left = [f"U+{ord(c):04X}" for c in format_chars
            if c not in KEPT_JOINERS and safe_text(f"a{c}b") != "ab"]
    assert left == []
    assert safe_text("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") == \
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"


def test_the_error_stream_keeps_only_a_leading_carriage_return():
    buffer = io.StringIO()
    stream = SafeStream(buffer, allow_carriage_return=True)
    stream.write("\rsyncing [##..] 2/4")
    stream.write("tracker show: not an NCT id: NCT]0;x\rX")
    assert buffer.getvalue() == "\rsyncing [##..] 2/4tracker show: not an NCT id: NCT]0;xX"


def test_an_id_with_escape_and_carriage_return_is_echoed_harmlessly(tmp_path):
    done = subprocess.run([sys.executable, "-m", "tracker", "--data-dir", str(tmp_path / "d"),
                           "show", "NCT\x1b]0;x\x07\rX"], capture_output=True, timeout=120,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == 2 and b"not an NCT id" in done.stderr
    assert not set(done.stderr) & {0x0D, 0x1B, 0x07}, done.stderr


def test_an_unknown_option_with_a_carriage_return_is_echoed_harmlessly(capsys):
    try:
        main(["list", "--frob", "a\rb"])
    except SystemExit as exit_:
        assert exit_.code == 2
    err = capsys.readouterr().err
    assert "--frob ab" in err and "\r" not in err


def test_invisible_characters_in_titles_do_not_reach_the_listing(capsys,
                                                                 _isolated_data_dir: Path):
    assert main(["list"]) == 0
    capsys.readouterr()
    with sqlite3.connect(_isolated_data_dir / LIBRARY_FILE_NAME) as conn:
        conn.execute("UPDATE trials SET acronym = ?, brief_title = ? WHERE id = 'NCT02993523'",
                     ("VIA\u200bLE-A", "\ufeffVenetoclax\u2060 and azacitidine\u200e"))
    conn.close()
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if line.startswith("NCT02993523"))
    assert "VIALE-A: Venetoclax and azacitidine" in line
    assert not {"\u200b", "\ufeff", "\u2060", "\u200e"} & set(out)
