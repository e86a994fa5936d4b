"""`tracker show` reads what it prints as plain views, without pydantic (issue 13: <= 0.15 s).

The views must print exactly what the validated models print: every curated trial (figures,
context figures, caveats) and synced trials with registry versions, changes, notes and tags
are rendered both ways from one real library file and compared. The command itself, run in a
subprocess on that library, must not import pydantic, the models or the HTTP stack.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.unit.test_cli import run
from tests.unit.test_cli_changes import CLL14, VIALE, changed  # noqa: F401 - the fixture
from tracker.cli.render import detail_text
from tracker.services.details import load_details, load_display_details
from tracker.store import LIBRARY_FILE_NAME, Library

HEAVY = ("pydantic", "pydantic_core", "tracker.domain.models", "tracker.domain.dates",
         "tracker.settings", "requests", "urllib3", "sqlite_utils")

_SHOW_AND_REPORT = (
    "import sys\n"
    "from tracker.__main__ import main\n"
    "code = main(sys.argv[1:])\n"
    f"print('HEAVY:' + ','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    "sys.exit(code)\n"
)


@pytest.fixture
def library_with_everything(capsys, changed, _isolated_data_dir):  # noqa: F811
    run(capsys, "note", VIALE, "Discussed at journal club:\ncompare with the MRD data.")
    run(capsys, "tag", VIALE, "aml", "first line")
    library = Library(_isolated_data_dir / LIBRARY_FILE_NAME)
    yield library
    library.close()


def test_views_print_exactly_what_the_models_print(library_with_everything):
    library = library_with_everything
    ids = library.trials.ids()
    assert len(ids) > 20 and library.versions.for_trial(VIALE) and library.changes.for_trial(CLL14)
    with_figures = 0
    for trial_id in ids:
        from_models = detail_text(load_details(library, trial_id))
        assert detail_text(load_display_details(library, trial_id)) == from_models, trial_id
        with_figures += "  Outcomes:" in from_models
    assert with_figures > 10
    shown = detail_text(load_display_details(library, VIALE))
    assert "Notes:" in shown and "Tags: aml, first line" in shown and "Changes (2 registry" in shown


def test_show_imports_no_pydantic_no_models_no_http(library_with_everything, _isolated_data_dir):
    done = subprocess.run(
        [sys.executable, "-c", _SHOW_AND_REPORT, "--data-dir", str(_isolated_data_dir), "show",
         VIALE, CLL14], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert VIALE in done.stdout and CLL14 in done.stdout and "Changes (" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "HEAVY:"


def test_show_json_still_reads_the_validated_models(library_with_everything,
                                                    _isolated_data_dir):
    done = subprocess.run(
        [sys.executable, "-c", _SHOW_AND_REPORT, "--data-dir", str(_isolated_data_dir), "show",
         VIALE, "--json"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "tracker.domain.models" in done.stderr.strip().splitlines()[-1]
