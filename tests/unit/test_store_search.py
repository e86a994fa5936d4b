"""Full-text search (FTS5) over titles, acronyms, drugs, diseases, conditions, notes and tags."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.domain import Trial
from tracker.store import TrialQuery
from tracker.store.query import fts_match_expression


@pytest.fixture
def library(empty_library):
    empty_library.trials.insert([
        Trial(id="NCT02993523", acronym="VIALE-A", brief_title="Venetoclax plus azacitidine",
              modality="bcl2", drugs=("venetoclax", "azacitidine"), diseases=("AML",),
              phases=("PHASE3",), status="COMPLETED"),
        Trial(id="NCT03548207", acronym="CARTITUDE-1", brief_title="Ciltacabtagene autoleucel",
              modality="car-t", drugs=("ciltacabtagene autoleucel",), diseases=("MM",),
              conditions=("Multiple Myeloma",), phases=("PHASE1", "PHASE2"), status="COMPLETED"),
        Trial(id="NCT04623541", acronym="EPCORE CLL-1", brief_title="Epcoritamab in CLL",
              modality="bispecific", drugs=("epcoritamab",), diseases=("CLL", "Richter transformation"),
              phases=("PHASE1", "PHASE2"), status="RECRUITING"),
    ])
    return empty_library


def _ids(library, **filters) -> list[str]:
    return sorted(t.id for t in library.trials.list(TrialQuery(**filters)))


@pytest.mark.parametrize(
    "text,expected",
    [("venetoclax", ["NCT02993523"]), ("VIALE", ["NCT02993523"]), ("cilta", ["NCT03548207"]),
     ("myeloma", ["NCT03548207"]), ("CLL", ["NCT04623541"]), ("richter", ["NCT04623541"]),
     ("venetoclax AML", ["NCT02993523"]), ("venetoclax MM", []), ("", None)],
)
def test_search_matches_words_as_prefixes_in_any_field(library, text, expected):
    everything = ["NCT02993523", "NCT03548207", "NCT04623541"]
    assert _ids(library, search=text) == (everything if expected is None else expected)


def test_search_finds_notes_and_tags_and_follows_their_changes(library):
    note = library.notes.add("NCT03548207", "Ask Dr. Okafor about the neurotoxicity cases")
    library.tags.add("NCT04623541", ["journal-club"])
    assert _ids(library, search="okafor") == ["NCT03548207"]
    assert _ids(library, search="journal") == ["NCT04623541"]
    library.notes.update(note.id, "nothing here now")
    assert _ids(library, search="okafor") == []
    library.tags.remove("NCT04623541", ["journal-club"])
    assert _ids(library, search="journal") == []


@pytest.mark.parametrize("text", ['"', "AND OR NOT", "*", "col:value", "NEAR(", "-", "a'b"])
def test_search_treats_fts_syntax_typed_by_users_as_plain_text(library, text):
    library.trials.list(TrialQuery(search=text))  # must not raise sqlite3.OperationalError


def test_fts_expression_quotes_each_word_as_a_prefix():
    assert fts_match_expression('venetoclax "aza') == '"venetoclax"* AND "aza"*'
    assert fts_match_expression("  ") is None


def test_filters_combine_with_search(library):
    assert _ids(library, modality="car-t") == ["NCT03548207"]
    assert _ids(library, disease="cll") == ["NCT04623541"]
    assert _ids(library, status="completed") == ["NCT02993523", "NCT03548207"]
    assert _ids(library, phase="PHASE2") == ["NCT03548207", "NCT04623541"]
    assert _ids(library, phase="PHASE2", search="epcoritamab") == ["NCT04623541"]


def test_search_index_follows_a_rekeyed_trial(library):
    library.notes.add("NCT02993523", "keep me")
    library.trials.rekey("NCT02993523", "NCT99999999")
    assert _ids(library, search="keep") == ["NCT99999999"]
    assert _ids(library, search="viale") == ["NCT99999999"]
    assert library.database.integrity_ok()


def test_facet_counts_for_the_library_tree(library):
    assert library.trials.facet_counts("modality") == {"bcl2": 1, "bispecific": 1, "car-t": 1}
    assert library.trials.facet_counts("diseases")["CLL"] == 1
    assert library.trials.facet_counts("status") == {"COMPLETED": 2, "RECRUITING": 1}


@pytest.mark.parametrize("query", [
    TrialQuery(), TrialQuery(search="venetoclax"), TrialQuery(search="car"),
    TrialQuery(modality="car-t"), TrialQuery(modality="bcl2", search="azacitidine"),
    TrialQuery(disease="CLL", phase="PHASE3"), TrialQuery(search="zzzz-no-match"),
])
def test_title_order_fast_path_matches_the_sql_order(seeded_library, query):
    from tracker.store.cards import CardIndex

    index = CardIndex.of(seeded_library.cards.all_cards())
    fast = seeded_library.cards.matching_ids(query, index)
    assert sorted(fast) == sorted(seeded_library.cards.matching_ids(query))
    titles = [seeded_library.cards.cards([i])[i].title.lower() for i in fast]
    assert titles == sorted(titles)


def _studies(count: int, start: int = 1) -> list[Trial]:
    return [Trial(id=f"NCT{n:08d}", brief_title=f"Study {n} of venetoclax" if n % 3 else
                  f"Study {n} of epcoritamab", modality="bcl2") for n in range(start, start + count)]


def _index(library):
    from tracker.store.cards import CardIndex

    version = library.cards.data_version()
    return CardIndex.of(library.cards.all_cards(), version)


def test_a_search_every_trial_matches_gives_every_card_in_title_order(empty_library):
    empty_library.trials.insert(_studies(30))
    index = _index(empty_library)
    everything = empty_library.cards.matching_ids(TrialQuery(search="study"), index)
    assert everything == list(index.title_order)
    assert sorted(everything) == sorted(empty_library.cards.matching_ids(TrialQuery(search="study")))
    some = empty_library.cards.matching_ids(TrialQuery(search="venetoclax"), index)
    assert len(some) == 20 and set(some) < set(everything)


def test_the_every_trial_shortcut_is_not_taken_on_a_stale_index(empty_library):
    """A trial removed after the cards were loaded: the counts no longer agree with the
    loaded cards, so the exact path answers and the removed trial is not shown."""
    empty_library.trials.insert(_studies(12))
    index = _index(empty_library)
    empty_library.trials.delete("NCT00000005")
    found = empty_library.cards.matching_ids(TrialQuery(search="study"), index)
    assert found == [trial_id for trial_id in index.title_order if trial_id != "NCT00000005"]


def test_another_connection_removing_and_adding_a_trial_is_noticed(empty_library):
    """The last trial removed and a new one added by another process (the CLI) while the
    window shows the cards: SQLite may give the new trial the same row number, so counts
    alone cannot tell; the connection's data_version does."""
    from tracker.store import Library

    empty_library.trials.insert(_studies(12))
    index = _index(empty_library)
    other = Library(empty_library.path)
    try:
        other.trials.delete("NCT00000012")
        other.trials.insert([Trial(id="NCT09999999", brief_title="Study of epcoritamab")])
    finally:
        other.close()
    matches = empty_library.cards.match(TrialQuery(search="study"), index)
    assert "NCT00000012" not in matches.ids and "NCT09999999" in matches.ids
    assert not matches.from_loaded_cards  # the window checks each id against its cards
    assert empty_library.cards.match(TrialQuery(search="study"), _index(empty_library)
                                     ).from_loaded_cards  # a fresh index serves again


def test_sort_keys_order_the_list(library):
    from tracker.domain import StatusChange
    from tracker.store import SortKey

    library.trials.update_registry(Trial(
        id="NCT03548207", brief_title="Ciltacabtagene autoleucel", status="COMPLETED",
        primary_completion_date={"value": "2020-09", "kind": "ACTUAL"},
        last_update_posted="2023-01-10"))
    library.trials.update_registry(Trial(
        id="NCT04623541", brief_title="Epcoritamab in CLL", status="RECRUITING",
        primary_completion_date={"value": "2027-03", "kind": "ESTIMATED"},
        last_update_posted="2025-06-01"))
    library.history.record(StatusChange(
        trial_id="NCT03548207", old_status="ACTIVE_NOT_RECRUITING", new_status="COMPLETED",
        seen_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC)))

    def order(key):
        return [t.id for t in library.trials.list(TrialQuery(sort=key))]

    assert order(SortKey.TITLE) == ["NCT03548207", "NCT04623541", "NCT02993523"]
    assert order(SortKey.PRIMARY_COMPLETION) == ["NCT03548207", "NCT04623541", "NCT02993523"]
    assert order(SortKey.LAST_UPDATE) == ["NCT04623541", "NCT03548207", "NCT02993523"]
    assert order(SortKey.LAST_STATUS_CHANGE)[0] == "NCT03548207"


def test_a_search_for_a_modality_name_finds_every_trial_of_that_modality(seeded_library):
    from tracker.domain import Modality
    from tracker.store import TrialQuery

    car_t = {t.id for t in seeded_library.trials.list() if t.modality == Modality.CAR_T}
    for text in ("CAR-T", "car t", "CART"):
        found = {t.id for t in seeded_library.trials.list(TrialQuery(search=text))}
        assert car_t <= found, text
    assert Modality.named("bispecifics") == Modality.BISPECIFIC
    assert Modality.named("other") is None and Modality.named("venetoclax") is None


def test_changed_since_the_meeting_counts_from_the_latest_meeting_that_has_come(library):
    """A journal club still ahead is not a start: the window's filter counts from the list's
    previous meeting, the rule `WatchList.meeting_behind` gives `tracker changes` too."""
    from tracker.domain.changes import FieldChange, Significance

    trial_id = library.trials.registry_ids()[0]
    library.changes.add([FieldChange(
        trial_id=trial_id, field="overall_status", old="RECRUITING", new="COMPLETED",
        significance=Significance.MAJOR, seen_at=dt.datetime(2026, 6, 1, tzinfo=dt.UTC))])
    library.watchlists.create("Club", meeting_date=dt.date(2026, 1, 15))
    library.watchlists.add("Club", [trial_id])
    listed = library.watchlists.update("Club", meeting_date=dt.date(2099, 1, 1))
    assert listed.previous_meeting == dt.date(2026, 1, 15)
    assert listed.meeting_behind(dt.date(2026, 12, 3)) == dt.date(2026, 1, 15)
    query = TrialQuery(watchlist_id=listed.id, changed_since="meeting")
    assert [t.id for t in library.trials.list(query)] == [trial_id]
    library.watchlists.update("Club", meeting_date=dt.date(2026, 7, 1))  # met after it
    assert library.trials.list(query) == []
    fresh = library.watchlists.create("New club", meeting_date=dt.date(2099, 1, 1))
    assert fresh.meeting_behind(dt.date(2026, 12, 3)) is None
