"""Repositories over a real SQLite file: trials, notes, tags, history, watch lists, re-keying."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.domain import RegistryState, StatusChange, Trial, TrialNotFoundError
from tracker.store import Library, TrialQuery, WatchListError

WHEN = dt.datetime(2026, 11, 1, 12, 0, tzinfo=dt.UTC)
SOURCE = {"file": "003_71872ca76c80aa24.txt", "locator": "Table 1"}


@pytest.fixture
def library(empty_library) -> Library:
    empty_library.trials.insert([
        Trial(id="NCT02435849", acronym="ELIANA", brief_title="Tisagenlecleucel in B-ALL",
              modality="car-t", outcomes=[
                  {"metric": "ORR", "value": "81%", "source": SOURCE},
                  {"metric": "patients", "value": "75", "source": SOURCE}]),
        Trial(id="NCT02445248", acronym="JULIET", brief_title="Tisagenlecleucel in DLBCL",
              modality="car-t"),
    ])
    return empty_library


def test_trial_round_trips_with_outcomes_in_order(library):
    trial = library.trials.get("NCT02435849")
    assert [o.value for o in trial.outcomes] == ["81%", "75"]
    assert trial.outcomes[0].source.locator == "Table 1"
    assert trial.registry_state == RegistryState.NEVER_SYNCED


def test_get_unknown_id_raises_not_found(library):
    with pytest.raises(TrialNotFoundError, match="NCT00000000 is not in the library"):
        library.trials.get("NCT00000000")


def test_update_registry_writes_registry_fields_only(library):
    registry = Trial(id="NCT02435849", brief_title="Registry title", status="COMPLETED",
                     acronym="SHOULD-NOT-WRITE", summary="not ours", enrollment=97,
                     start_date={"value": "2015-04", "kind": "ACTUAL"}, last_synced_at=WHEN)
    library.trials.update_registry(registry)
    stored = library.trials.get("NCT02435849")
    assert stored.brief_title == "Registry title" and stored.enrollment == 97
    assert stored.status.value == "COMPLETED" and stored.start_date.value == "2015-04"
    assert stored.acronym == "ELIANA" and stored.summary == ""
    assert [o.value for o in stored.outcomes] == ["81%", "75"]


def test_update_registry_many_writes_each_trial_and_keeps_the_search_index_current(library):
    """One statement per set of columns (a trial added from the registry also gets its
    diseases); the search index follows every trial, notes and tags included."""
    library.trials.insert([Trial(id="NCT04623541", brief_title="Added", id_provenance="registry")])
    library.notes.add("NCT02445248", "relapsed lymphoma cohort")
    library.tags.add("NCT02435849", ["pediatric"])
    library.trials.update_registry_many([
        Trial(id="NCT02435849", brief_title="Tisagenlecleucel renamed", status="COMPLETED"),
        Trial(id="NCT04623541", brief_title="Epcoritamab", conditions=["Chronic leukemia"],
              diseases=["CLL"], id_provenance="registry"),
        Trial(id="NCT02445248", brief_title="Axicabtagene", status="RECRUITING"),
    ])
    titles = {t.id: (t.brief_title, t.status and t.status.value, t.diseases)
              for t in library.trials.list()}
    assert titles == {"NCT02435849": ("Tisagenlecleucel renamed", "COMPLETED", ()),
                      "NCT04623541": ("Epcoritamab", None, ("CLL",)),
                      "NCT02445248": ("Axicabtagene", "RECRUITING", ())}

    def found(text):
        return {t.id for t in library.trials.list(TrialQuery(search=text))}

    assert found("renamed") == {"NCT02435849"} and found("pediatric") == {"NCT02435849"}
    assert found("epcoritamab") == {"NCT04623541"} and found("chronic") == {"NCT04623541"}
    assert found("axicabtagene") == {"NCT02445248"} and found("lymphoma") == {"NCT02445248"}
    assert not found("DLBCL") and not found("Added")  # the old titles are gone from the index


def test_update_registry_many_with_an_unknown_trial_writes_none(library):
    with pytest.raises(TrialNotFoundError, match="NCT00000000"):
        library.trials.update_registry_many([
            Trial(id="NCT02435849", brief_title="Not written"),
            Trial(id="NCT00000000", brief_title="Unknown")])
    assert library.trials.get("NCT02435849").brief_title == "Tisagenlecleucel in B-ALL"


def test_rekey_keeps_notes_tags_lists_history_and_resolves_the_old_id(library):
    library.notes.add("NCT02435849", "pediatric data")
    library.tags.add("NCT02435849", ["ALL"])
    library.watchlists.create("ALL club")
    library.watchlists.add("ALL club", ["NCT02435849"])
    library.history.record(StatusChange(trial_id="NCT02435849", old_status="RECRUITING",
                                        new_status="COMPLETED", seen_at=WHEN))

    library.trials.rekey("NCT02435849", "NCT99999999")

    assert library.trials.resolve("NCT02435849") == "NCT99999999"
    assert library.trials.get("NCT99999999").aliases == ("NCT02435849",)
    assert [n.body for n in library.notes.for_trial("NCT99999999")] == ["pediatric data"]
    assert library.tags.for_trial("NCT99999999") == ["ALL"]
    assert library.watchlists.get("ALL club").trial_ids == ("NCT99999999",)
    assert len(library.history.for_trial("NCT99999999")) == 1
    assert len(library.trials.get("NCT99999999").outcomes) == 2
    assert library.database.integrity_ok()


def test_notes_update_and_delete(library):
    note = library.notes.add("NCT02445248", "first", when=WHEN)
    updated = library.notes.update(note.id, "second")
    assert updated.body == "second" and updated.created_at == WHEN
    assert updated.updated_at >= WHEN
    library.notes.delete(note.id)
    assert library.notes.for_trial("NCT02445248") == []


def test_tags_are_case_insensitive_and_idempotent(library):
    library.tags.add("NCT02445248", ["DLBCL", "dlbcl", "tumour board"])
    assert library.tags.for_trial("NCT02445248") == ["DLBCL", "tumour board"]
    assert library.tags.remove("NCT02445248", ["tumour board"]) == ["DLBCL"]


def test_watchlists_create_rename_reorder_delete(library):
    library.watchlists.create("CLL – December", description="journal club",
                              meeting_date=dt.date(2026, 12, 10))
    library.watchlists.add("CLL – December", ["NCT02445248", "NCT02435849", "NCT02445248"])
    with pytest.raises(WatchListError, match="already exists"):
        library.watchlists.create("cll – december")
    renamed = library.watchlists.update("CLL – December", new_name="CLL – January")
    assert renamed.trial_ids == ("NCT02445248", "NCT02435849")
    assert renamed.meeting_date == dt.date(2026, 12, 10)
    reordered = library.watchlists.reorder("CLL – January", ["NCT02435849"])
    assert reordered.trial_ids == ("NCT02435849", "NCT02445248")
    library.watchlists.delete("CLL – January")
    assert library.watchlists.all() == []
    assert library.trials.count() == 2  # deleting a list keeps its trials


def test_a_taken_watch_list_name_is_named_as_the_list_spells_it(library):
    """The window creates and renames through the store: it names the list the new name
    clashes with as that list is spelled, also for a name typed in another form."""
    library.watchlists.create("Heme JC")
    library.watchlists.create("AML")
    for typed in ("heme jc", " HEME JC "):
        with pytest.raises(WatchListError, match="^a watch list named 'Heme JC' already exists"):
            library.watchlists.create(typed)
    with pytest.raises(WatchListError, match="^a watch list named 'AML' already exists"):
        library.watchlists.update("Heme JC", new_name="\uff41\uff4d\uff4c")  # full-width aml
    assert library.watchlists.taken_name("aml") == "AML"
    assert library.watchlists.taken_name("heme jc", renaming=library.watchlists.get("Heme JC").id) \
        is None
    assert library.watchlists.taken_name("CLL") is None


def test_watch_list_names_are_one_list_by_one_rule_beyond_ascii_case(library):
    """The code review: SQLite's NOCASE folds ASCII only, so 'ätna' made a second list beside
    'Ätna' and an import naming 'ätna' failed; a reviewer made 'Heme  JC' beside 'Heme JC'."""
    library.watchlists.create("Ätna")
    library.watchlists.create("Heme JC")
    for typed, taken in (("ätna", "Ätna"), ("Heme  JC", "Heme JC")):
        with pytest.raises(WatchListError, match=f"^a watch list named '{taken}' already"):
            library.watchlists.create(typed)
        assert library.watchlists.get(typed).name == taken
    with pytest.raises(WatchListError, match="^a watch list named 'Ätna' already"):
        library.watchlists.update("Heme JC", new_name="ÄTNA")
    assert [w.name for w in library.watchlists.all()] == ["Ätna", "Heme JC"]


def test_mark_not_found_records_it_without_deleting(library):
    library.trials.mark_not_found(["NCT02445248"], WHEN)
    stored = library.trials.get("NCT02445248")
    assert stored.registry_state == RegistryState.NOT_FOUND and stored.last_synced_at == WHEN
    later = WHEN + dt.timedelta(days=3)  # missed again: the latest check is the one shown
    library.trials.mark_not_found(["NCT02445248"], later)
    assert library.trials.get("NCT02445248").last_synced_at == later


@pytest.mark.parametrize("provenance", ["registry", "curator"])
def test_registry_row_is_the_registry_part_of_the_full_row(provenance):
    """A sync writes `registry_row`: exactly the registry columns of `trial_to_row`, with the
    same values (and the diseases only of a trial added from the registry)."""
    from tracker.store.rows import _DATE_FIELDS, REGISTRY_FIELDS, registry_row, trial_to_row

    trial = Trial(
        id="NCT01234567", id_provenance=provenance, brief_title="Venetoclax in AML",
        official_title="A study", brief_summary="Summary", aliases=("NCT07654321",),
        conditions=("AML", "Leukémie"), interventions=("venetoclax",), phases=("PHASE2",),
        diseases=("aml",), drugs=("venetoclax",), status="RECRUITING",
        last_known_status="ACTIVE_NOT_RECRUITING", status_verified="2024-05",
        start_date={"value": "2020-01", "kind": "ACTUAL"},
        primary_completion_date={"value": "2026-06-30", "kind": "ESTIMATED"},
        enrollment=120, enrollment_kind="ESTIMATED", sponsor="AbbVie", has_results=False,
        last_update_posted="2024-06-01", registry_state="found",
        last_synced_at=dt.datetime(2026, 12, 3, 14, 0, 0, 123456, tzinfo=dt.UTC))
    full = trial_to_row(trial)
    expected = {key: value for key, value in full.items()
                if key in REGISTRY_FIELDS or key.removesuffix("_kind") in _DATE_FIELDS
                or (key == "diseases" and provenance == "registry")}
    assert registry_row(trial) == expected
    assert ("diseases" in expected) == (provenance == "registry")
    bare = Trial(id="NCT01234567", brief_title="x", id_provenance=provenance)  # all unset
    assert registry_row(bare) == {
        key: value for key, value in trial_to_row(bare).items()
        if key in REGISTRY_FIELDS or key.removesuffix("_kind") in _DATE_FIELDS
        or (key == "diseases" and provenance == "registry")}
