"""The registry's API URL, checked once where it is chosen (`--api-url`, $TRACKER_API_URL, the
preference), with the standard library only: `tracker show` must not pay for pydantic.

A URL that is not http(s), cannot be parsed, names no host or an impossible port is refused
with one sentence; a user name or password in it is refused too (the registry needs none) and
is never repeated in a message.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

API_URL_ENV = "TRACKER_API_URL"
EXAMPLE_URL = "https://clinicaltrials.gov/api/v2"
_USERINFO = re.compile(r"(//)[^/?#]*@")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f\u0085\u2028\u2029]")


class BadApiUrl(ValueError):
    """The URL cannot be used; the message says why and never contains credentials."""


def shown_url(value: str) -> str:
    """`value` as it may be printed: any user name and password replaced by `…`, and control
    characters (a line break would start a second line of the message) as `?`."""
    return _CONTROLS.sub("?", _USERINFO.sub(r"\1…@", value))


def check_api_url(value: str) -> str:
    """`value` stripped of blanks and trailing slashes, or BadApiUrl saying what is wrong."""
    value = value.strip()
    shown = shown_url(value)
    why = _problem(value)
    if why:
        raise BadApiUrl(f"not an http(s) URL: {shown} ({why}; e.g. {EXAMPLE_URL})")
    if "@" in urlsplit(value).netloc:
        raise BadApiUrl(f"carries a user name or password ({shown}); the registry needs none: "
                        "leave them out")
    return value.rstrip("/")


def _problem(value: str) -> str | None:
    if not value:
        return "it is empty"
    if any(c.isspace() or ord(c) < 0x20 or ord(c) == 0x7F for c in value):
        return "it contains blanks or control characters"
    try:
        parts = urlsplit(value)
        port = parts.port  # raises for a port out of range or not a number
    except ValueError as error:
        return str(error).lower().rstrip(".") or "it cannot be parsed"
    if parts.scheme.lower() not in ("http", "https"):
        return "it should start with http:// or https://"
    if not parts.hostname:
        return "it names no host"
    if parts.query or parts.fragment:
        return "it should end with the API's path (/api/v2), without ?… or #…"
    if port == 0:
        return "port 0 is not a port"
    return None


def override_problem(option: str | None) -> str | None:
    """What is wrong with `--api-url` or, when it is not given, $TRACKER_API_URL (one line,
    credentials hidden), or None. An empty value is refused rather than taken to mean the
    next choice, as `--data-dir ""` is."""
    if option is not None:
        name, value = "--api-url", option
        instead = f"leave the option out to use ${API_URL_ENV} or"
    elif os.environ.get(API_URL_ENV) is not None:
        name, value, instead = API_URL_ENV, os.environ[API_URL_ENV], "unset it to use"
    else:
        return None
    if not value.strip():
        return (f"{name} is empty: give an http(s) URL such as {EXAMPLE_URL}, or {instead} "
                "the preference")
    try:
        check_api_url(value)
    except BadApiUrl as error:
        return f"{name} is {error}" if str(error).startswith("not ") else f"{name} {error}"
    return None
