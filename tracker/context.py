"""The one application context (paths, preferences, library) built at start and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from tracker.paths import resolve_data_dir
from tracker.services.library import open_library

if TYPE_CHECKING:
    from tracker.settings import Preferences
    from tracker.store import Library


class AppContext:
    """Paths, preferences and the opened library. The preferences (a pydantic model) are read
    on first use: a command that never needs them (`tracker show`) does not import pydantic."""

    def __init__(self, data_dir: Path, library: Library, api_url_override: str | None = None,
                 preferences: Preferences | None = None, *,
                 api_url_from_environment: bool = True) -> None:
        self.data_dir = data_dir
        self.library = library
        self.api_url_override = api_url_override
        self.api_url_from_environment = api_url_from_environment
        self._preferences = preferences
        self._api_url: str | None = None
        #: what was wrong with preferences.json when it was read (one line each)
        self.preference_problems: list[str] = []

    @property
    def preferences(self) -> Preferences:
        if self._preferences is None:
            from tracker.settings import load_preferences

            self._preferences = load_preferences(self.data_dir, self.preference_problems)
        return self._preferences

    @property
    def api_url(self) -> str:
        """`--api-url` beats `$TRACKER_API_URL` (unless told not to read it), which beats the
        saved preference."""
        if self._api_url is None:
            from tracker.settings import effective_api_url

            self._api_url = effective_api_url(self.preferences, self.api_url_override,
                                              environment=self.api_url_from_environment)
        return self._api_url

    @api_url.setter
    def api_url(self, url: str) -> None:
        self._api_url = url

    def api_url_set_by(self) -> str | None:
        """What chose the registry address instead of the saved preference: "--api-url",
        "$TRACKER_API_URL", or None (the preference is the address in use)."""
        import os

        from tracker.settings_url import API_URL_ENV

        if self.api_url_override:
            return "--api-url"
        if self.api_url_from_environment and os.environ.get(API_URL_ENV):
            return f"${API_URL_ENV}"
        return None

    def make_client(self):
        """A registry client for one job (each worker gets its own requests.Session)."""
        from tracker import __version__
        from tracker.ctgov import CtgovClient

        return CtgovClient(self.api_url, pace_seconds=self.preferences.request_pace_seconds,
                           user_agent=f"TrialTracker/{__version__} (+desktop app)")

    def save_preferences(self, preferences: Preferences) -> None:
        from tracker.settings import save_preferences

        save_preferences(self.data_dir, preferences)
        self._preferences = preferences
        self._api_url = None  # from the new preferences, unless overridden

    def close(self) -> None:
        self.library.close()


def build_context(data_dir: str | Path | None = None, api_url: str | None = None,
                  read_only: bool | None = None, *,
                  api_url_from_environment: bool = True) -> AppContext:
    """`read_only=None` opens read-only only when the library cannot be written.
    `api_url_from_environment=False`: $TRACKER_API_URL is ignored (it was found unusable)."""
    resolved = resolve_data_dir(data_dir)
    return AppContext(data_dir=resolved, library=open_library(resolved, read_only=read_only),
                      api_url_override=api_url,
                      api_url_from_environment=api_url_from_environment)
