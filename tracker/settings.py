"""Where the library lives and the user's preferences (a pydantic model saved atomically)."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from tracker.settings_url import API_URL_ENV, EXAMPLE_URL, check_api_url

log = logging.getLogger(__name__)

DEFAULT_API_URL = EXAMPLE_URL  # the registry itself (settings_url needs no pydantic)
PREFERENCES_FILE = "preferences.json"


class Preferences(BaseModel):
    """What the Preferences dialog edits; unknown keys from newer versions are kept out."""

    model_config = ConfigDict(extra="ignore")

    api_url: str = DEFAULT_API_URL  # checked below; pydantic's HttpUrl costs ~20 ms of start-up
    request_pace_seconds: float = Field(default=0.2, ge=0.0, le=10.0)
    sync_on_start: bool = False
    author_name: str = Field(default="", max_length=120)  # attributes notes in shared exports
    #: where the user sees patients: a gazetteer city or "lat,lon" (nearest recruiting sites)
    home_location: str = Field(default="", max_length=120)

    @field_validator("api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        check_api_url(value)  # a ValueError naming what is wrong, credentials hidden
        return value.strip()

    @property
    def api_base(self) -> str:
        return str(self.api_url).rstrip("/")


def load_preferences(data_dir: Path) -> Preferences:
    path = data_dir / PREFERENCES_FILE
    if not path.exists():
        return Preferences()
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, OSError) as error:
        log.warning("ignoring unreadable preferences %s: %s", path, error)
        return Preferences()
    if not isinstance(data, dict):
        log.warning("ignoring preferences %s: not a JSON object", path)
        return Preferences()
    try:
        return Preferences.model_validate(data)
    except ValidationError as error:
        # keep every setting that is fine; say which were not, without the values (a URL
        # there may hold a password)
        problems = error.errors(include_input=False, include_url=False)
        bad = {str(problem["loc"][0]) for problem in problems if problem.get("loc")}
        log.warning("preferences %s: ignoring %s (%s); the defaults are used for them", path,
                    ", ".join(sorted(bad)) or "everything",
                    "; ".join(str(problem["msg"]) for problem in problems))
    try:
        return Preferences.model_validate({k: v for k, v in data.items() if k not in bad})
    except ValidationError:
        return Preferences()


def save_preferences(data_dir: Path, preferences: Preferences) -> None:
    """Write to a temporary file and rename it over the old one, so a crash never truncates."""
    data_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(preferences.model_dump(mode="json"), indent=2)
    handle, temporary = tempfile.mkstemp(dir=data_dir, prefix=".preferences-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, data_dir / PREFERENCES_FILE)


def effective_api_url(preferences: Preferences, override: str | None = None) -> str:
    """`--api-url` beats `$TRACKER_API_URL`, which beats the saved preference. The command line
    checked the first two before anything ran (settings_url.override_problem); an empty value
    passed by other callers means "not given"."""
    chosen = override or os.environ.get(API_URL_ENV) or preferences.api_base
    return check_api_url(chosen)
