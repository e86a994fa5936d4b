"""The Preferences dialog says what is wrong with a setting in the app's own words (the
domain's plain phrases), never pydantic's "Input should be less than or equal to"."""

import pytest
from pydantic import ValidationError

from tracker.settings import Preferences
from tracker.ui.dialogs.preferences import plain_validation_error


def _problem(**settings) -> str:
    with pytest.raises(ValidationError) as caught:
        Preferences(**settings)
    return plain_validation_error(caught.value, settings.get("api_url", ""))


def test_each_setting_is_named_with_what_it_should_be():
    assert _problem(author_name="x" * 200) == "Your name is too long (at most 120 characters)."
    assert _problem(request_pace_seconds=11) == \
        "The request pace should be at most 10.0, not 11."
    assert _problem(request_pace_seconds=-1) == \
        "The request pace should be at least 0.0, not -1."
    assert "Input should" not in _problem(request_pace_seconds="fast")


def test_a_bad_api_url_is_named_with_an_example():
    assert _problem(api_url="not a url").startswith("“not a url” is not a web address")
