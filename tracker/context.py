"""The one application context (paths, preferences, library) built at start and passed down."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracker.paths import resolve_data_dir
from tracker.services.library import open_library
from tracker.settings import (
    Preferences,
    effective_api_url,
    load_preferences,
    save_preferences,
)
from tracker.store import Library


@dataclass
class AppContext:
    data_dir: Path
    preferences: Preferences
    library: Library
    api_url: str
    api_url_override: str | None = None

    def make_client(self):
        """A registry client for one job (each worker gets its own requests.Session)."""
        from tracker import __version__
        from tracker.ctgov import CtgovClient

        return CtgovClient(self.api_url, pace_seconds=self.preferences.request_pace_seconds,
                           user_agent=f"TrialTracker/{__version__} (+desktop app)")

    def save_preferences(self, preferences: Preferences) -> None:
        save_preferences(self.data_dir, preferences)
        self.preferences = preferences
        self.api_url = effective_api_url(preferences, self.api_url_override)

    def close(self) -> None:
        self.library.close()


def build_context(data_dir: str | Path | None = None, api_url: str | None = None,
                  read_only: bool | None = None) -> AppContext:
    """`read_only=None` opens read-only only when the library cannot be written."""
    resolved = resolve_data_dir(data_dir)
    preferences = load_preferences(resolved)
    return AppContext(
        data_dir=resolved,
        preferences=preferences,
        library=open_library(resolved, read_only=read_only),
        api_url=effective_api_url(preferences, api_url),
        api_url_override=api_url,
    )
