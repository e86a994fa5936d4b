"""A clone of the repository alone runs the suite: nothing in tests/ reaches outside it."""

from __future__ import annotations

import json
import re
import subprocess

from tests.conftest import REPO_ROOT
from tests.fakes.studies import REAL_PAGE_PATH

OUTSIDE = re.compile(
    r"\.\./shared|SHARED_DIR|/work/|parents?(\[\d\])?\s*/\s*[\"']shared")


def _test_sources():
    return sorted(path for path in (REPO_ROOT / "tests").rglob("*")
                  if path.suffix in {".py", ".cfg", ".ini"})


def test_no_test_refers_to_files_outside_the_repository():
    offenders = [f"{path.relative_to(REPO_ROOT)}:{number}: {line.strip()}"
                 for path in _test_sources()
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 if OUTSIDE.search(line) and path.name != "test_self_contained.py"]
    assert offenders == []


def test_the_pattern_catches_the_ways_tests_used_to_reach_outside():
    # the sample lines are assembled so that this file itself holds none of them verbatim
    folder, parent = "shared", "REPO_ROOT.parent / "
    for line in (f'SHARED_DIR = Path(os.environ.get("X", {parent}"{folder}"))',
                 f'os.environ.get("TRACKER_{folder.upper()}_DIR")',
                 f'path = {parent}"{folder}" / "seeds"', f'open("../{folder}/ctgov/x.json")',
                 f'Path("/work/{folder}/seeds")', f"Path(__file__).parents[3] / '{folder}'"):
        assert OUTSIDE.search(line), line


def test_the_vendored_registry_page_is_in_the_repository():
    assert REAL_PAGE_PATH.is_relative_to(REPO_ROOT / "tests")
    studies = json.loads(REAL_PAGE_PATH.read_text(encoding="utf-8"))["studies"]
    ids = {s["protocolSection"]["identificationModule"]["nctId"] for s in studies}
    assert len(studies) == len(ids) == 10
    tracked = subprocess.run(["git", "ls-files", "--error-unmatch", str(REAL_PAGE_PATH)],
                             cwd=REPO_ROOT, capture_output=True, text=True, check=False)
    assert tracked.returncode == 0, "commit tests/fakes/data/real-studies-page.json"


def test_ci_runs_exactly_the_readme_test_command():
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    test_command = readme.split("```sh\n", 1)[1].splitlines()[1]
    assert test_command.endswith(".venv/bin/python -m pytest")
    ci_lines = [line for line in (REPO_ROOT / ".ci" / "run").read_text().splitlines() if line]
    assert ci_lines[-1] == test_command
