"""Tags across the library: counts, filter, rename (merging) and delete everywhere."""

from __future__ import annotations

import pytest

from tracker.services.tags import TagError, delete_tag, rename_tag, tag_counts
from tracker.store import TrialQuery


@pytest.fixture
def tagged(seeded_library):
    tags = seeded_library.tags
    tags.add("NCT02993523", ["journal club", "AML"])
    tags.add("NCT03548207", ["journal club"])
    tags.add("NCT04623541", ["Journal Club 2", "AML"])
    return seeded_library


def _ids(library, **query) -> list[str]:
    return sorted(t.id for t in library.trials.list(TrialQuery(**query), with_outcomes=False))


def test_counts_and_filter(tagged):
    assert tag_counts(tagged) == {"AML": 2, "journal club": 2, "Journal Club 2": 1}
    assert _ids(tagged, tag="journal club") == ["NCT02993523", "NCT03548207"]
    assert _ids(tagged, tag="JOURNAL CLUB") == ["NCT02993523", "NCT03548207"]


def test_rename_everywhere_merges_with_an_existing_tag(tagged):
    assert rename_tag(tagged, "Journal Club 2", "journal club") == 1
    assert tag_counts(tagged) == {"AML": 2, "journal club": 3}
    assert rename_tag(tagged, "AML", "  Venetoclax   AML ") == 2
    assert tagged.tags.for_trial("NCT02993523") == ["journal club", "Venetoclax AML"]
    found = tagged.cards.matching_ids(TrialQuery(search="Venetoclax AML"))
    assert "NCT04623541" in found  # the search index follows the rename


def test_delete_everywhere_keeps_the_trials(tagged):
    before = tagged.trials.count()
    assert delete_tag(tagged, "journal club") == 2
    assert "journal club" not in tag_counts(tagged)
    assert tagged.trials.count() == before


def test_bad_names_are_refused_with_a_clear_message(tagged):
    with pytest.raises(TagError, match="needs a name"):
        rename_tag(tagged, "AML", "   ")
    with pytest.raises(TagError, match="no tag “nope”"):
        delete_tag(tagged, "nope")
    with pytest.raises(ValueError, match="comma"):
        rename_tag(tagged, "AML", "a, b")
    assert tag_counts(tagged)["AML"] == 2  # nothing lost
