"""preferences.json edited by hand: a bad setting falls back to its default alone, and the
warning names it without repeating its value (a URL there may hold a password)."""

from __future__ import annotations

import json
import logging

from tracker.settings import DEFAULT_API_URL, load_preferences


def test_a_bad_setting_is_dropped_alone_and_its_value_never_logged(tmp_path, caplog):
    (tmp_path / "preferences.json").write_text(json.dumps({
        "api_url": "http://carol:Secr3tPW@127.0.0.1:9/api/v2", "author_name": "Dr. Ada",
        "request_pace_seconds": 1.5}))
    with caplog.at_level(logging.WARNING):
        preferences = load_preferences(tmp_path)
    assert preferences.api_base == DEFAULT_API_URL.rstrip("/")
    assert preferences.author_name == "Dr. Ada" and preferences.request_pace_seconds == 1.5
    assert "ignoring api_url" in caplog.text
    assert "Secr3tPW" not in caplog.text


def test_a_file_that_is_not_an_object_gives_the_defaults(tmp_path, caplog):
    (tmp_path / "preferences.json").write_text("[1, 2]")
    with caplog.at_level(logging.WARNING):
        assert load_preferences(tmp_path).api_base == DEFAULT_API_URL.rstrip("/")
    assert "not a JSON object" in caplog.text
