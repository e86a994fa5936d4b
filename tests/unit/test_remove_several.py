"""`tracker remove` takes several ids, like `show`, and checks them all before removing any
(real subprocess, real library file)."""

from __future__ import annotations

from tests.fakes.cli import run_tracker as _tracker
from tracker.services.library import open_library

VIALE_A, ELIANA, CLL14 = "NCT02993523", "NCT02435849", "NCT02242942"


def test_remove_takes_several_ids(tmp_path):
    done = _tracker(tmp_path / "d", "remove", VIALE_A, ELIANA.lower(), VIALE_A, "--yes")
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("removed ") == 2
    library = open_library(tmp_path / "d")
    try:
        assert not library.trials.exists(VIALE_A) and not library.trials.exists(ELIANA)
    finally:
        library.close()


def test_remove_checks_every_id_before_removing_any(tmp_path):
    assert _tracker(tmp_path / "d", "remove", VIALE_A, "--yes").returncode == 0
    done = _tracker(tmp_path / "d", "remove", CLL14, VIALE_A, "--yes")
    assert done.returncode == 1 and f"{VIALE_A} is not in the library" in done.stderr
    done = _tracker(tmp_path / "d", "remove", CLL14, "NCT123", "--yes")
    assert done.returncode == 2 and "not an NCT id: NCT123" in done.stderr
    done = _tracker(tmp_path / "d", "remove", CLL14, ELIANA)
    assert done.returncode == 2 and f"add --yes to remove {CLL14}, {ELIANA}" in done.stderr
    library = open_library(tmp_path / "d")
    try:
        assert library.trials.exists(CLL14) and library.trials.exists(ELIANA)
    finally:
        library.close()
