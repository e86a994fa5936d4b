"""`tracker export -o PATH` never replaces what is not a regular file, follows a link to its
target, writes text formats to standard output with `-o -`, and leaves no temporary file
behind when the write fails (real library file, real CLI)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tracker.__main__ import main
from tracker.services import exports
from tracker.services.exports import ExportError, write_atomically


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def watchlist(capsys):
    assert run(capsys, "watchlist", "create", "JC")[0] == 0
    assert run(capsys, "watchlist", "add", "JC", "NCT02993523")[0] == 0


def _export(capsys, fmt: str, output: str) -> tuple[int, str, str]:
    return run(capsys, "export", "--watchlist", "JC", "--format", fmt, "-o", output)


def test_a_named_pipe_is_refused_and_stays_a_pipe(capsys, watchlist, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    code, _, err = _export(capsys, "csv", str(fifo))
    assert code == 1 and "is a named pipe, not a regular file" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert fifo.is_fifo() and sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_a_socket_is_refused(capsys, watchlist, tmp_path):
    import socket

    path = tmp_path / "s"
    with socket.socket(socket.AF_UNIX) as sock:
        sock.bind(str(path))
        code, _, err = _export(capsys, "md", str(path))
    assert code == 1 and "is a socket" in err and path.is_socket()


def test_a_link_to_a_pipe_is_refused(capsys, watchlist, tmp_path):
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "link").symlink_to(tmp_path / "pipe")
    code, _, err = _export(capsys, "csv", str(tmp_path / "link"))
    assert code == 1 and "named pipe" in err
    assert (tmp_path / "link").is_symlink() and (tmp_path / "pipe").is_fifo()


def test_a_link_stays_a_link_and_its_target_is_written(capsys, watchlist, tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    code, _, _ = _export(capsys, "csv", str(link))
    assert code == 0 and link.is_symlink() and os.readlink(link) == str(target)
    assert "NCT02993523" in target.read_text(encoding="utf-8-sig")
    assert target.stat().st_mode & 0o777 == 0o640
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]


def test_a_dangling_link_writes_its_target(capsys, watchlist, tmp_path):
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "new.md")
    assert _export(capsys, "md", str(link))[0] == 0
    assert link.is_symlink() and "NCT02993523" in (tmp_path / "new.md").read_text()


def test_empty_output_name_is_one_clear_line(capsys, watchlist, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = _export(capsys, "md", "")
    assert code == 1 and "no file name given after -o; give one, e.g. -o handout.md" in err
    assert list(tmp_path.iterdir()) == []


def test_dash_writes_text_to_stdout_and_refuses_binary(capsys, watchlist, tmp_path,
                                                        monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = {**os.environ, "TRACKER_DATA_DIR": os.environ["TRACKER_DATA_DIR"]}
    done = subprocess.run([sys.executable, "-m", "tracker", "export", "--watchlist", "JC",
                           "--format", "ris", "-o", "-"], capture_output=True, env=env,
                          timeout=120, cwd=tmp_path)
    assert done.returncode == 0 and b"TY  - " in done.stdout and b"NCT02993523" in done.stdout
    code, _, err = _export(capsys, "xlsx", "-")
    assert code == 1 and "give a file name for xlsx" in err
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "jc.csv"
    target.write_text("old")

    def fail_half_way(file, data):
        file.write(data[:10])
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(exports, "_write", fail_half_way)
    with pytest.raises(ExportError, match="No space left on device"):
        write_atomically(target, b"x" * 1000)
    assert target.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["jc.csv"]


def test_an_interrupted_write_leaves_no_temporary(tmp_path, monkeypatch):
    def interrupted(file, data):
        raise KeyboardInterrupt

    monkeypatch.setattr(exports, "_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(tmp_path / "jc.csv", b"data")
    assert list(tmp_path.iterdir()) == []
