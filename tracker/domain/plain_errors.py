"""pydantic's validation errors in the words the rest of Trial Tracker speaks: "should be an
object, not null" rather than "Input should be a valid dictionary or instance of …"."""

from __future__ import annotations

from typing import Any

_KINDS = ((type(None), "null"), (bool, "true or false"), (int, "a number"), (float, "a number"),
          (str, "text"), (list, "a list"), (dict, "an object"))

_WANTED = {
    "model_type": "an object", "model_attributes_type": "an object", "dict_type": "an object",
    "list_type": "a list", "tuple_type": "a list", "string_type": "text",
    "int_type": "a whole number", "int_parsing": "a whole number", "int_from_float":
    "a whole number", "float_type": "a number", "float_parsing": "a number",
    "bool_type": "true or false", "bool_parsing": "true or false",
    "date_type": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "datetime_type": "a date and time (ISO 8601)", "datetime_parsing":
    "a date and time (ISO 8601)", "datetime_from_date_parsing": "a date and time (ISO 8601)",
}


def shown_value(value: str, limit: int = 40) -> str:
    """A value from a file quoted in a message: cut short, so a hostile megabyte of text
    does not become a megabyte of message."""
    return repr(value if len(value) <= limit else value[:limit] + "…")


def cut_middle(text: str, limit: int = 60) -> str:
    """Typed text quoted in a message, its middle cut when it is long: "AAAAAAAAAAAAAAAAAAAA…
    AAAAAAAAAA (10,000 characters)", so a pasted megabyte is not echoed whole."""
    if len(text) <= limit:
        return text
    head = limit * 2 // 3
    return f"{text[:head]}…{text[-(limit - head):]} ({len(text):,} characters)"


def kind_of(value: Any) -> str:
    return next((name for cls, name in _KINDS if isinstance(value, cls)), type(value).__name__)


def plain_message(error: dict[str, Any]) -> str:
    """One of pydantic's `errors()` entries as a phrase that follows a field's path."""
    kind = error["type"]
    if kind in ("value_error", "assertion_error"):  # our own validators speak in sentences
        return error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if kind == "missing":
        return "is missing"
    if kind == "extra_forbidden":
        return "is not a field this format has"
    if kind in _WANTED:
        return f"should be {_WANTED[kind]}, not {kind_of(error.get('input'))}"
    context = error.get("ctx") or {}
    if kind == "string_too_short" and context.get("min_length") == 1:
        return "cannot be empty"
    if kind == "string_too_long":
        return f"is too long (at most {context.get('max_length')} characters)"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        words = {"greater_than": "more than", "greater_than_equal": "at least",
                 "less_than": "less than", "less_than_equal": "at most"}[kind]
        limit = next(iter(context.values()), "")
        return f"should be {words} {limit}, not {error.get('input')!r}"
    if kind in ("literal_error", "enum"):
        return f"is {error.get('input')!r}; it should be {context.get('expected', '')}"
    return error["msg"].replace("Input should", "should").replace("String should", "should")
