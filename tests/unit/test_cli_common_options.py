"""`--data-dir`, `--api-url` and `--verbose` work before or after the command (README)."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fakes import make_study
from tracker.cli.commands import all_commands
from tracker.cli.parser import build_parser


def tracker(*args: str, env_data_dir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "TRACKER_DATA_DIR": str(env_data_dir)}
    env.pop("TRACKER_API_URL", None)
    return subprocess.run([sys.executable, "-m", "tracker", *args], capture_output=True,
                          text=True, env=env, timeout=120, check=False)


def test_data_dir_after_the_command(tmp_path):
    chosen, default = tmp_path / "chosen", tmp_path / "default"
    listed = tracker("list", "--search", "KarMMa", "--data-dir", str(chosen), env_data_dir=default)
    assert listed.returncode == 0, listed.stderr
    assert "NCT03361748" in listed.stdout
    assert (chosen / "library.sqlite3").exists() and not default.exists()


def test_data_dir_after_a_nested_command_and_before_the_command(tmp_path):
    chosen, default = tmp_path / "chosen", tmp_path / "default"
    created = tracker("watchlist", "create", "CLL", "--data-dir", str(chosen), env_data_dir=default)
    assert created.returncode == 0, created.stderr
    added = tracker("--data-dir", str(chosen), "watchlist", "add", "CLL", "NCT02242942",
                    env_data_dir=default)
    assert added.returncode == 0, added.stderr
    shown = tracker("show", "NCT02242942", "--json", "--data-dir", str(chosen),
                    env_data_dir=default)
    assert shown.returncode == 0 and '"CLL"' in shown.stdout
    assert not default.exists()


def test_api_url_and_verbose_after_the_command(tmp_path, ctgov_server):
    ctgov_server.put_study(make_study("NCT09876543", acronym="CUSTOM"))
    added = tracker("add", "NCT09876543", "--api-url", ctgov_server.base_url, "--verbose",
                    "--data-dir", str(tmp_path / "lib"), env_data_dir=tmp_path / "default")
    assert added.returncode == 0, added.stderr
    assert "1 added" in added.stdout
    assert ctgov_server.requests, "the command asked the server given by --api-url"
    assert "INFO " in added.stderr  # --verbose logs


def _leaf_commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """Every runnable command line prefix, e.g. ("watchlist", "create")."""
    subparsers = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subparsers:
        yield prefix, parser
        return
    for name, sub in subparsers[0].choices.items():
        yield from _leaf_commands(sub, (*prefix, name))


@pytest.mark.parametrize("position", ["before", "after"])
def test_every_command_takes_the_common_options(position):
    parser = build_parser()
    leaves = list(_leaf_commands(parser))
    assert {path[0] for path, _ in leaves} == set(all_commands())
    common = ["--data-dir", "D", "--api-url", "U", "-v"]
    for path, leaf in leaves:
        required = _minimal_arguments(leaf)
        argv = [*common, *path, *required] if position == "before" else [*path, *required, *common]
        args = parser.parse_args(argv)
        assert (args.data_dir, args.api_url, args.verbose) == ("D", "U", True), argv


def test_unrepeated_options_keep_their_defaults():
    args = build_parser().parse_args(["list"])
    assert (args.data_dir, args.api_url, args.verbose) == (None, None, False)


def _minimal_arguments(parser: argparse.ArgumentParser) -> list[str]:
    """Values for the required positionals and options of a leaf command."""
    values = []
    for action in parser._actions:
        if action.option_strings:
            if action.required:
                values += [action.option_strings[0], _value(action)]
        elif action.nargs in (None, "+", 1):
            values.append(_value(action))
    return values


def _value(action: argparse.Action) -> str:
    if action.choices:
        return next(iter(action.choices))
    return "NCT02993523" if "NCT" in (action.metavar or "") else "x"
