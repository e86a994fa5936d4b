"""The PyInstaller one-folder build: it builds, stays small, and runs without Python.

Marked `packaging` (about 20-40 s): `pytest -m "not packaging"` skips it locally; the default
run and CI include it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tracker.curated import load_curated_files, merge_curated

pytestmark = pytest.mark.packaging
MAX_SIZE_MB = 200


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("pyinstaller")
    done = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--workpath", str(work / "build"), "--distpath", str(work / "dist"),
         str(REPO_ROOT / "packaging" / "tracker.spec")],
        capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    return work / "dist" / "trial-tracker"


def _run(bundle: Path, *args: str, data_dir: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(QT_QPA_PLATFORM="offscreen", TRACKER_DATA_DIR=str(data_dir))
    return subprocess.run([str(bundle / "trial-tracker"), *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_bundle_is_small_and_carries_data_and_icons(bundle):
    size_mb = sum(p.stat().st_size for p in bundle.rglob("*")
                  if p.is_file() and not p.is_symlink()) / 2**20
    print(f"bundle size: {size_mb:.0f} MB")
    assert size_mb < MAX_SIZE_MB
    bundled = bundle / "_internal" / "tracker" / "_bundled"
    assert len(list((bundled / "db" / "curated").glob("*.json"))) >= 5
    assert (bundled / "resources" / "icons" / "app.svg").exists()
    assert not list(bundle.rglob("*QtWebEngine*")) and not list(bundle.rglob("*Qt6Quick*"))


def test_bundle_self_test_and_version(bundle, tmp_path):
    start = time.perf_counter()
    done = _run(bundle, "--self-test", data_dir=tmp_path)
    elapsed = time.perf_counter() - start
    print(f"--self-test took {elapsed:.2f} s")
    assert done.returncode == 0, done.stderr
    curated = len(merge_curated(load_curated_files(REPO_ROOT / "db" / "curated")))
    assert "self-test ok" in done.stdout and f"{curated} trials shown" in done.stdout
    version = _run(bundle, "--version", data_dir=tmp_path)
    assert version.returncode == 0 and version.stdout.startswith("Trial Tracker ")


def test_bundle_cli_reads_a_fresh_library(bundle, tmp_path):
    done = _run(bundle, "list", "--search", "CARTITUDE", data_dir=tmp_path / "fresh")
    assert done.returncode == 0, done.stderr
    assert "NCT03548207" in done.stdout
    assert (tmp_path / "fresh" / "library.sqlite3").exists()
    bad = _run(bundle, "show", "NCT123", data_dir=tmp_path / "fresh")
    assert bad.returncode == 2 and "not an NCT id: NCT123" in bad.stderr
