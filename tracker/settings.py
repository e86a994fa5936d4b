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


def load_preferences(data_dir: Path, problems: list[str] | None = None) -> Preferences:
    """The saved preferences; a setting that cannot be used falls back to its default, and
    each such problem is logged as one line (and appended to `problems`, for the window)."""
    path = data_dir / PREFERENCES_FILE
    if not path.exists():
        return Preferences()
    try:
        data = json.loads(path.read_bytes())
    except (ValueError, OSError) as error:
        _warn(problems, f"ignoring unreadable preferences {path}: {error}")
        return Preferences()
    if not isinstance(data, dict):
        _warn(problems, f"ignoring preferences {path}: not a JSON object")
        return Preferences()
    try:
        return Preferences.model_validate(data)
    except ValidationError as error:
        # keep every setting that is fine; say which were not, without the values (a URL
        # there may hold a password)
        errors = error.errors(include_input=False, include_url=False)
        bad = {str(problem["loc"][0]) for problem in errors if problem.get("loc")}
        _warn(problems, f"preferences {path}: ignoring {', '.join(sorted(bad)) or 'everything'} "
                        f"({'; '.join(str(problem['msg']) for problem in errors)}); the defaults "
                        "are used for them")
    try:
        return Preferences.model_validate({k: v for k, v in data.items() if k not in bad})
    except ValidationError:
        return Preferences()


def _warn(problems: list[str] | None, message: str) -> None:
    log.warning("%s", message)
    if problems is not None:
        problems.append(message)


def save_preferences(data_dir: Path, preferences: Preferences) -> None:
    """Write to a temporary file and rename it over the old one, so a crash never truncates."""
    data_dir.mkdir(parents=True, exist_ok=True)
    text = json.dumps(preferences.model_dump(mode="json"), indent=2)
    handle, temporary = tempfile.mkstemp(dir=data_dir, prefix=".preferences-", suffix=".json")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    os.replace(temporary, data_dir / PREFERENCES_FILE)


def effective_api_url(preferences: Preferences, override: str | None = None,
                      environment: bool = True) -> str:
    """`--api-url` beats `$TRACKER_API_URL`, which beats the saved preference. The command line
    checked the first two before anything ran (settings_url.override_problem); an empty value
    passed by other callers means "not given". `environment=False`: $TRACKER_API_URL is not
    read (the window started with an unusable one and said so)."""
    from_environment = os.environ.get(API_URL_ENV) if environment else None
    chosen = override or from_environment or preferences.api_base
    return check_api_url(chosen)
