"""Shared fixtures. Qt runs offscreen and no test touches a real user directory."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

# before anything imports Qt: offscreen, with one 1920 x 1080 screen (Qt's offscreen default is
# 800 x 800, where the window would open at a laptop size; tests that want a size set it)
DESK_SCREEN = Path(__file__).resolve().parent / "data" / "offscreen-1920x1080.json"
os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={DESK_SCREEN}"
# The app reads dates as the user's local day (tracker.domain.calendar_day): pin the zone so
# a machine far from UTC gets the same results; tests/unit/test_meeting_day.py moves it.
os.environ["TZ"] = "UTC"
if hasattr(time, "tzset"):
    time.tzset()

from tracker.services.library import open_library
from tracker.store import LIBRARY_FILE_NAME, Library

pytest_plugins = ("tests.fakes.fixtures",)

REPO_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    """Point the default data directory at a fresh temporary folder for every test."""
    data_dir = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("TRACKER_DATA_DIR", str(data_dir))
    monkeypatch.delenv("TRACKER_API_URL", raising=False)
    return data_dir


@pytest.fixture
def empty_library(tmp_path) -> Library:
    """A migrated library file with no trials (real SQLite, WAL, in tmp_path)."""
    library = Library(tmp_path / LIBRARY_FILE_NAME)
    yield library
    library.close()


@pytest.fixture
def seeded_library(tmp_path) -> Library:
    """A library created the way the app creates one: migrated and loaded with curated trials."""
    library = open_library(tmp_path)
    yield library
    library.close()
