"""The library failing under the CLI, in real subprocesses on real files: a write lock held
by another process, a full disk (a small tmpfs), damaged pages, a read-only file system (a
read-only bind mount) and a data dir that is a file. Each gives one line and exit 1, never a
traceback, and a note being added is kept in the recovery file.

Mounts are made in a private mount namespace (`unshare -rm`), so the test needs no
privileges beyond what unprivileged user namespaces give; where the kernel forbids those,
the mount tests are skipped with that reason (the lock, damage and file cases still run).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes.studies import make_study
from tracker.services.library import open_library
from tracker.services.recovery import RECOVERY_FILE_NAME, fallback_recovery_path
from tracker.store import LIBRARY_FILE_NAME

VIALE_A = "NCT02993523"
GOLDEN_JSON = Path(__file__).resolve().parents[1] / "golden" / "cll-december.json"


@pytest.fixture(scope="session")
def prepared_library(tmp_path_factory) -> Path:
    """A seeded library with a watch list, made once; tests copy it."""
    folder = tmp_path_factory.mktemp("prepared")
    library = open_library(folder)
    library.watchlists.create("AML")
    library.watchlists.add("AML", [VIALE_A])
    library.close()
    return folder / LIBRARY_FILE_NAME


@pytest.fixture
def data_dir(tmp_path, prepared_library) -> Path:
    folder = tmp_path / "data"
    folder.mkdir(mode=0o700)
    shutil.copy(prepared_library, folder / LIBRARY_FILE_NAME)
    return folder


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    tmp = tmp_path / "tmp"
    tmp.mkdir(exist_ok=True)
    env = dict(os.environ, TRACKER_BUSY_TIMEOUT="0.5", TMPDIR=str(tmp), **extra)
    env.pop("TRACKER_DATA_DIR", None)
    return env


def tracker(data_dir: Path, *args: str, env: dict[str, str],
            api_url: str = "http://127.0.0.1:9/api/v2") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tracker", "--data-dir", str(data_dir),
                           "--api-url", api_url, *args],
                          capture_output=True, text=True, env=env, timeout=120)


def assert_one_line(result: subprocess.CompletedProcess, *phrases: str) -> str:
    line = result.stderr.strip()
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert "Traceback" not in result.stderr and "\n" not in line, result.stderr
    for phrase in phrases:
        assert phrase in line, line
    return line


def _notes_in(library_file: Path) -> list[str]:
    conn = sqlite3.connect(f"file:{library_file}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT body FROM notes")]
    finally:
        conn.close()


# -- a write lock held longer than the busy timeout -----------------------------------------
@pytest.fixture
def locked(data_dir):
    """Another connection (another process, for the tracker subprocess) in BEGIN IMMEDIATE."""
    conn = sqlite3.connect(data_dir / LIBRARY_FILE_NAME, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    yield data_dir
    conn.execute("ROLLBACK")
    conn.close()


def test_a_note_meeting_a_lock_is_kept_in_the_recovery_file(locked, tmp_path):
    result = tracker(locked, "note", VIALE_A, "dose", "reduced", "to", "400 mg",
                     env=_env(tmp_path))
    line = assert_one_line(result, "locked by another program", "waited 0.5 s",
                           "NOT saved", str(locked / RECOVERY_FILE_NAME))
    assert line.startswith("tracker note: ")
    kept = (locked / RECOVERY_FILE_NAME).read_text()
    assert VIALE_A in kept and "dose reduced to 400 mg" in kept
    assert (locked / RECOVERY_FILE_NAME).stat().st_mode & 0o777 == 0o600


def test_sync_meeting_a_lock_says_so_in_one_line(locked, tmp_path, ctgov_server):
    ctgov_server.put_studies([make_study(VIALE_A, status="COMPLETED", acronym="VIALE-A")])
    (locked / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    result = tracker(locked, "sync", VIALE_A, env=_env(tmp_path), api_url=ctgov_server.base_url)
    assert_one_line(result, "tracker sync: ", "locked by another program")


@pytest.mark.parametrize("args", [["tag", VIALE_A, "x"], ["doctor", "--reindex"],
                                  ["import", str(GOLDEN_JSON)], ["remove", VIALE_A, "--yes"]])
def test_other_writes_meeting_a_lock_say_so_in_one_line(locked, tmp_path, args):
    assert_one_line(tracker(locked, *args, env=_env(tmp_path)), "locked by another program")


def test_a_removal_meeting_a_lock_writes_no_recovery_entry(data_dir, tmp_path):
    assert tracker(data_dir, "note", VIALE_A, "keep me", env=_env(tmp_path)).returncode == 0
    conn = sqlite3.connect(data_dir / LIBRARY_FILE_NAME, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        result = tracker(data_dir, "remove", VIALE_A, "--yes", env=_env(tmp_path))
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert_one_line(result, "locked by another program")
    recovery = data_dir / RECOVERY_FILE_NAME
    assert not recovery.exists() or "removed trial" not in recovery.read_text()
    assert _notes_in(data_dir / LIBRARY_FILE_NAME) == ["keep me"]  # nothing was removed


def test_an_upgrade_meeting_a_lock_says_so_in_one_line(data_dir, tmp_path):
    from tracker.store.migrations import LATEST_VERSION, migrate, stamp_application_id

    older = tmp_path / "older"
    older.mkdir(mode=0o700)
    conn = sqlite3.connect(older / LIBRARY_FILE_NAME, isolation_level=None)
    migrate(conn, older / LIBRARY_FILE_NAME, target=LATEST_VERSION - 1)
    stamp_application_id(conn)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("BEGIN EXCLUSIVE")
    try:
        result = tracker(older, "list", env=_env(tmp_path))
    finally:
        conn.execute("ROLLBACK")
        conn.close()
    assert_one_line(result, "locked by another program", "waited 0.5 s")


# -- damaged pages --------------------------------------------------------------------------
@pytest.fixture
def damaged(data_dir) -> Path:
    """The trials table's root page overwritten with garbage, as a failing disk leaves it."""
    path = data_dir / LIBRARY_FILE_NAME
    with sqlite3.connect(path) as conn:
        root, page_size = conn.execute(
            "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master "
            "WHERE name = 'trials'").fetchone()
    conn.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xa5" * page_size)
    return data_dir


@pytest.mark.parametrize("args", [["list"], ["show", VIALE_A], ["tag", VIALE_A, "x"],
                                  ["remove", VIALE_A, "--yes"], ["doctor", "--reindex"],
                                  ["watchlist", "show", "AML"], ["list", "--json"]])
def test_every_command_on_a_damaged_library_says_so_in_one_line(damaged, tmp_path, args):
    assert_one_line(tracker(damaged, *args, env=_env(tmp_path)), "is damaged",
                    "tracker doctor", "backup")


def test_a_note_on_a_damaged_library_is_kept(damaged, tmp_path):
    result = tracker(damaged, "note", VIALE_A, "keep", "me", env=_env(tmp_path))
    assert_one_line(result, "is damaged", "kept in")
    assert "keep me" in (damaged / RECOVERY_FILE_NAME).read_text()


def test_doctor_reports_the_damage_as_its_job(damaged, tmp_path):
    result = tracker(damaged, "doctor", env=_env(tmp_path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "integrity: " in result.stdout and "problem" in result.stdout
    assert "malformed" in result.stdout or "Tree" in result.stdout or "page" in result.stdout
    assert len(result.stderr.strip().splitlines()) == 1 and "damaged" in result.stderr


def test_doctor_on_a_healthy_library_says_ok(data_dir, tmp_path):
    result = tracker(data_dir, "doctor", env=_env(tmp_path))
    assert result.returncode == 0 and "integrity: ok" in result.stdout


# -- a data dir that is a file --------------------------------------------------------------
@pytest.mark.parametrize("below", [False, True])
def test_a_data_dir_that_is_a_file_says_so(tmp_path, below):
    afile = tmp_path / "notes.txt"
    afile.write_text("not a folder")
    target = afile / "sub" if below else afile
    result = tracker(target, "note", VIALE_A, "hello", env=_env(tmp_path))
    assert_one_line(result, str(afile), "choose another --data-dir", "kept in")
    assert afile.read_text() == "not a folder"


# -- mounts: a full disk and a read-only file system ----------------------------------------
def _namespaces_work() -> str | None:
    if shutil.which("unshare") is None:
        return "unshare is not installed"
    probe = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
                           capture_output=True, text=True)
    return None if probe.returncode == 0 else f"no mount namespaces here: {probe.stderr.strip()}"


NAMESPACE_PROBLEM = _namespaces_work()
needs_mounts = pytest.mark.skipif(NAMESPACE_PROBLEM is not None,
                                  reason=str(NAMESPACE_PROBLEM))


def in_namespace(setup: str, data_dir: Path, args: list[str], env: dict[str, str],
                 api_url: str = "http://127.0.0.1:9/api/v2") -> subprocess.CompletedProcess:
    """Run `setup` (mounts) then tracker, in a private mount namespace."""
    command = shlex.join([sys.executable, "-m", "tracker", "--data-dir", str(data_dir),
                          "--api-url", api_url, *args])
    script = f"set -e\n{setup}\nset +e\n{command}"
    return subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True,
                          text=True, env=env, timeout=120)


def _full_disk_setup(mount: Path, library: Path, free_kb: int) -> str:
    """A 3 MB tmpfs holding the library, filled to leave `free_kb` KB."""
    fill = mount / "fill"
    return "\n".join([
        f"mount -t tmpfs -o size=3m tmpfs {mount}",
        f"mkdir -m 700 {mount}/data",
        f"cp {library} {mount}/data/",
        f"dd if=/dev/zero of={fill} bs=4k 2>/dev/null || true",
        f"truncate -s -{free_kb}k {fill}" if free_kb else "true",
    ])


@needs_mounts
@pytest.mark.parametrize("free_kb", [0, 48])
@pytest.mark.parametrize("args", [["note", VIALE_A, "a", "note", "on", "a", "full", "disk"],
                                  ["sync", VIALE_A], ["import", str(GOLDEN_JSON)],
                                  ["doctor", "--reindex"], ["tag", VIALE_A, "x"]])
def test_a_full_disk_says_so_in_one_line(tmp_path, prepared_library, ctgov_server, args,
                                         free_kb):
    ctgov_server.put_studies([make_study(VIALE_A, status="COMPLETED", acronym="VIALE-A")])
    mount = tmp_path / "mnt"
    mount.mkdir()
    env = _env(tmp_path)
    result = in_namespace(_full_disk_setup(mount, prepared_library, free_kb), mount / "data",
                          args, env, api_url=ctgov_server.base_url)
    assert_one_line(result, "is full", "free some space")
    if args[0] == "note":
        kept = Path(env["TMPDIR"]) / fallback_recovery_path().name
        assert str(kept) in result.stderr and "a note on a full disk" in kept.read_text()


@needs_mounts
@pytest.mark.parametrize("args,expected", [
    (["list"], "VIALE-A"), (["show", VIALE_A], "Venetoclax"), (["doctor"], "(read-only)")])
def test_a_library_on_a_full_disk_can_still_be_read(tmp_path, prepared_library, args, expected):
    mount = tmp_path / "mnt"
    mount.mkdir()
    result = in_namespace(_full_disk_setup(mount, prepared_library, 0), mount / "data", args,
                          _env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout and "full" not in result.stderr


@needs_mounts
def test_a_library_on_a_full_disk_can_be_exported_elsewhere(tmp_path, prepared_library):
    mount = tmp_path / "mnt"
    mount.mkdir()
    out = tmp_path / "handout.md"
    result = in_namespace(_full_disk_setup(mount, prepared_library, 0), mount / "data",
                          ["export", "--watchlist", "AML", "--format", "md", "-o", str(out)],
                          _env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "VIALE-A" in out.read_text()


@pytest.fixture
def read_only_mount(data_dir, prepared_library) -> str:
    return f"mount --bind -o ro {data_dir} {data_dir}"


@needs_mounts
@pytest.mark.parametrize("args,expected", [
    (["list"], "VIALE-A"), (["show", VIALE_A], "Venetoclax"), (["watchlist", "show", "AML"],
                                                                VIALE_A),
    (["list", "--json"], VIALE_A), (["doctor"], "(read-only)"),
])
def test_a_library_on_a_read_only_file_system_can_be_read(data_dir, tmp_path, read_only_mount,
                                                          args, expected):
    before = (data_dir / LIBRARY_FILE_NAME).read_bytes()
    result = in_namespace(read_only_mount, data_dir, args, _env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert (data_dir / LIBRARY_FILE_NAME).read_bytes() == before


@needs_mounts
def test_a_library_on_a_read_only_file_system_can_be_exported(data_dir, tmp_path,
                                                             read_only_mount):
    out = tmp_path / "handout.md"
    result = in_namespace(read_only_mount, data_dir,
                          ["export", "--watchlist", "AML", "--format", "md", "-o", str(out)],
                          _env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "VIALE-A" in out.read_text()


@needs_mounts
@pytest.mark.parametrize("args", [["tag", VIALE_A, "x"], ["import", str(GOLDEN_JSON)],
                                  ["remove", VIALE_A, "--yes"], ["doctor", "--reindex"],
                                  ["watchlist", "create", "New"], ["sync", VIALE_A],
                                  ["add", "NCT04277637"]])
def test_edits_on_a_read_only_file_system_say_so_in_one_line(data_dir, tmp_path,
                                                            read_only_mount, args):
    result = in_namespace(read_only_mount, data_dir, args, _env(tmp_path))
    assert_one_line(result, "read-only", "copy it to a writable folder")


@needs_mounts
def test_a_note_on_a_read_only_file_system_is_kept_elsewhere(data_dir, tmp_path,
                                                            read_only_mount):
    env = _env(tmp_path)
    result = in_namespace(read_only_mount, data_dir, ["note", VIALE_A, "ro", "note"], env)
    kept = Path(env["TMPDIR"]) / fallback_recovery_path().name
    assert_one_line(result, "read-only", str(kept))
    assert "ro note" in kept.read_text()
    assert _notes_in(data_dir / LIBRARY_FILE_NAME) == []


@needs_mounts
def test_a_new_data_dir_on_a_read_only_file_system_says_so(data_dir, tmp_path,
                                                          read_only_mount):
    result = in_namespace(read_only_mount, data_dir / "new", ["list"], _env(tmp_path))
    assert_one_line(result, "read-only file system", "writable --data-dir")


# -- another program's file ------------------------------------------------------------------
@pytest.mark.parametrize("version", [0, 1, 2, 9])
def test_another_programs_database_is_one_line_and_untouched(tmp_path, version):
    import hashlib

    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / LIBRARY_FILE_NAME
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL)")
        conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    for args in (["list"], ["note", VIALE_A, "hi"], ["doctor"]):
        assert_one_line(tracker(folder, *args, env=_env(tmp_path)), "not a Trial Tracker library",
                        "left untouched")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in folder.iterdir()) == sorted([LIBRARY_FILE_NAME,
                                                               RECOVERY_FILE_NAME])
