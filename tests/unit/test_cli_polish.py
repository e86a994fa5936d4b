"""A clinician's review of the command line: pasted id lists, a dead registry's next step,
one message per failure, broken import files, a taken watch-list name as it is spelled, and
a listing that stays aligned for long local ids."""

from __future__ import annotations

import json

import pytest

from tests.fakes.studies import make_study
from tests.unit.test_cli import run

DEAD = "http://127.0.0.1:9/api/v2"
NEXT_STEP = ("check the registry address (--api-url, $TRACKER_API_URL or the desktop app's "
             "Preferences) and your network connection, then try again")


@pytest.fixture
def quick(_isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    return _isolated_data_dir


@pytest.fixture
def api(quick, ctgov_server):
    ctgov_server.put_studies([make_study("NCT09990001", acronym="ONE"),
                              make_study("NCT09990002", acronym="TWO"),
                              make_study("NCT09990003", acronym="THREE")])
    return ctgov_server.base_url


# -- a pasted list of ids ------------------------------------------------------------------------
def test_add_takes_a_pasted_comma_semicolon_or_space_separated_list(capsys, api):
    code, out, err = run(capsys, "--api-url", api, "add", "NCT09990001,NCT09990002;",
                         "NCT09990003")
    assert code == 0, err
    assert "3 ids entered: 3 added (NCT09990001, NCT09990002 and NCT09990003)" in out
    _, out, _ = run(capsys, "show", "NCT09990002", "--json")
    assert json.loads(out)[0]["acronym"] == "TWO"


def test_a_pasted_list_separated_by_spaces_in_one_argument_is_several_ids(capsys, api):
    code, out, _ = run(capsys, "--api-url", api, "add", "NCT09990001 ; NCT09990002")
    assert code == 0 and "2 ids entered: 2 added" in out


def test_an_id_printed_with_a_space_after_nct_is_one_id_in_a_pasted_list(capsys, api):
    """Some papers print "NCT 09990001": in a pasted list the prefix and its digits are one
    id, not the two malformed tokens "NCT" and "09990001"."""
    code, out, err = run(capsys, "--api-url", api, "add", "NCT 09990001 nct 09990002",
                         "NCT\u00a009990003")
    assert code == 0, err
    assert "3 ids entered: 3 added (NCT09990001, NCT09990002 and NCT09990003)" in out


def test_a_study_url_with_a_comma_in_its_query_is_one_id(capsys, api):
    """A link copied from a search page ("…?locStr=Boston,%20MA") was split at its comma."""
    url = ("https://clinicaltrials.gov/study/NCT09990002?locStr=Boston,%20MA&rank=1")
    code, out, err = run(capsys, "--api-url", api, "add", url)
    assert code == 0, err
    assert "1 id entered: 1 added (NCT09990002)" in out
    from tracker.domain.ids import split_id_list

    # text naming two studies is never taken whole for the first one
    assert len(split_id_list([f"{url}; NCT09990001"])) > 1


def test_every_malformed_part_of_a_pasted_list_is_named_before_any_request(
        capsys, api, ctgov_server):
    ctgov_server.clear_log()
    code, out, err = run(capsys, "--api-url", api, "add", "NCT1;foo,NCT09990001", "bar")
    assert code == 2 and out == ""
    assert err.strip() == ("tracker add: not NCT ids: NCT1, foo, bar "
                           "(expected NCT followed by 8 digits)")
    assert ctgov_server.requests == []


def test_sync_of_nothing_but_separators_is_refused_not_a_sync_of_everything(
        capsys, api, ctgov_server):
    ctgov_server.clear_log()
    code, _, err = run(capsys, "--api-url", api, "sync", ",")
    assert code == 2 and "not an NCT id" in err
    assert ctgov_server.requests == []


def test_show_and_remove_take_a_pasted_list_too(capsys, quick):
    """Curated trials (no registry needed): `show` and `remove` took only space-separated ids."""
    code, out, err = run(capsys, "show", "NCT02993523,NCT02242942", "--json")
    assert code == 0, err
    assert [t["id"] for t in json.loads(out)] == ["NCT02993523", "NCT02242942"]
    code, out, err = run(capsys, "remove", "NCT02993523;NCT02242942", "--yes")
    assert code == 0, err
    for trial_id in ("NCT02993523", "NCT02242942"):
        code, _, err = run(capsys, "show", trial_id)
        assert code != 0 and f"{trial_id} is not in the library" in err


def test_remove_of_a_pasted_list_removes_none_when_one_id_is_missing(capsys, quick):
    code, _, err = run(capsys, "remove", "NCT02993523,NCT09999999", "--yes")
    assert code != 0
    assert err.strip() == ("tracker remove: NCT09999999 is not in the library; none of the 2 "
                           "trials was removed")
    code, out, _ = run(capsys, "show", "NCT02993523", "--json")
    assert code == 0 and json.loads(out)[0]["id"] == "NCT02993523"


@pytest.mark.parametrize("command", [["tag", "NCT02993523,NCT02242942", "venetoclax"],
                                     ["note", "NCT02993523; NCT02242942", "read", "this"]])
def test_a_one_trial_command_given_a_pasted_list_says_one_trial_at_a_time(capsys, quick,
                                                                          command):
    code, out, err = run(capsys, *command)
    assert code == 2 and out == ""
    assert err.strip().endswith("holds 2 ids; this command takes one trial at a time: "
                                "give one id")
    _, out, _ = run(capsys, "show", "NCT02993523", "--json")
    shown = json.loads(out)[0]
    assert shown["tags"] == [] and shown["notes"] == []


def test_a_one_trial_command_still_names_a_malformed_part(capsys, quick):
    code, _, err = run(capsys, "tag", "NCT02993523,NCT1", "x")
    assert code == 2 and "not an NCT id: NCT02993523,NCT1" in err


# -- a dead registry -----------------------------------------------------------------------------
@pytest.mark.parametrize("command", [
    ["sync", "NCT02993523"], ["add", "NCT09990001"], ["registry-search", "venetoclax"],
    ["searches", "check"]])
def test_a_dead_registry_says_what_to_do_next(capsys, quick, command):
    code, _, err = run(capsys, "--api-url", DEAD, *command)
    assert code == 1 and "could not be reached" in err
    assert NEXT_STEP in err.replace(NEXT_STEP[0].upper() + NEXT_STEP[1:], NEXT_STEP)


def test_add_without_the_registry_prints_one_well_formed_message(capsys, quick):
    code, out, err = run(capsys, "--api-url", DEAD, "add", "NCT09990001", "NCT09990002")
    assert code == 1 and out == ""
    [line] = err.strip().splitlines()
    assert line.startswith("tracker: Adding trials stopped before checking any trial: the "
                           "registry at http://127.0.0.1:9/api/v2 could not be reached")
    assert line.endswith(". Nothing in your library was changed. Check the registry address "
                         "(--api-url, $TRACKER_API_URL or the desktop app's Preferences) and "
                         "your network connection, then try again.")
    assert line.count("could not be reached") == 1


def test_add_with_an_id_already_there_names_the_stop_once(capsys, quick):
    run(capsys, "note", "NCT02993523", "already here")
    code, out, err = run(capsys, "--api-url", DEAD, "add", "NCT02993523", "NCT09990001")
    assert code == 1
    assert "1 already in the library (NCT02993523), 1 failed (NCT09990001)" in out
    assert "  failed: NCT09990001: not checked before the run stopped" in out
    assert "could not be reached" not in out and err.count("could not be reached") == 1
    assert ". Nothing in your library was changed." in err


# -- a broken import file ------------------------------------------------------------------------
def test_an_unterminated_string_in_an_import_file_is_named_once(capsys, quick, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "trial-tracker-watchlist",\n "watchlist": {"name": "AML')
    code, _, err = run(capsys, "import", str(broken))
    assert code == 1
    assert "is not valid JSON: Unterminated string starting at line 2 column" in err
    assert "at at" not in err


# -- a watch-list name already taken ------------------------------------------------------------
def test_a_taken_watch_list_name_is_named_as_it_is_spelled(capsys, quick):
    assert run(capsys, "watchlist", "create", "Heme JC")[0] == 0
    code, _, err = run(capsys, "watchlist", "create", "heme jc")
    assert code == 1
    assert err.strip() == ("tracker watchlist: a watch list named 'Heme JC' already exists; "
                           "choose another name (see: tracker watchlist ls)")
    assert run(capsys, "watchlist", "create", "CAR-T")[0] == 0
    code, _, err = run(capsys, "watchlist", "rename", "CAR-T", "HEME JC")
    assert code == 1 and "a watch list named 'Heme JC' already exists" in err


def test_a_watch_list_may_be_renamed_to_its_own_name_in_another_case(capsys, quick):
    assert run(capsys, "watchlist", "create", "heme jc")[0] == 0
    code, out, err = run(capsys, "watchlist", "rename", "heme jc", "Heme JC")
    assert code == 0, err
    assert out.strip() == "watch list 'Heme JC' updated"


# -- the listing's columns -----------------------------------------------------------------------
def test_list_columns_line_up_for_the_longest_local_ids(capsys, quick):
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = out.splitlines()
    ids = [line.split()[0] for line in lines]
    assert max(map(len, ids)) > 32  # the curated library holds long local ids
    modality_columns = {len(line) - len(line[len(i):].lstrip()) for line, i in zip(lines, ids)}
    assert modality_columns == {max(map(len, ids)) + 2}


def test_watchlist_add_and_remove_take_a_pasted_list_too(capsys, quick):
    """The same paste that `add` takes works on a watch list (curated trials, no registry)."""
    run(capsys, "watchlist", "create", "CLL club")
    code, out, err = run(capsys, "watchlist", "add", "CLL club", "NCT02242942,NCT02005471;")
    assert code == 0, err
    assert out.strip() == "'CLL club' now has 2 trials"
    code, out, _ = run(capsys, "watchlist", "remove", "CLL club", "NCT02242942 ; NCT02005471")
    assert code == 0 and out.strip() == "'CLL club' now has 0 trials"
    code, _out, err = run(capsys, "watchlist", "add", "CLL club", ",")
    assert code == 2 and "not an NCT id" in err


def test_watchlist_show_lists_past_meetings_and_one_can_be_forgotten(capsys, quick):
    """A meeting that did not take place (cancelled after its day) would be "the previous
    meeting" of every later handout: `watchlist show` names the past meetings and what the
    changes count from, and `rename --forget-meeting` drops one."""
    import datetime as dt

    from tracker.domain import users_today

    held, cancelled = (users_today() - dt.timedelta(days=d) for d in (40, 10))
    run(capsys, "watchlist", "create", "AML club", "--meeting-date", held.isoformat())
    run(capsys, "watchlist", "rename", "AML club", "--meeting-date", cancelled.isoformat())
    ahead = (users_today() + dt.timedelta(days=20)).isoformat()
    run(capsys, "watchlist", "rename", "AML club", "--meeting-date", ahead)
    code, out, _ = run(capsys, "watchlist", "show", "AML club")
    assert code == 0
    assert (f"Past meetings: {cancelled}, {held} (changes count from {cancelled}; drop one "
            "that did not take place: tracker watchlist rename 'AML club' --forget-meeting "
            "DATE)") in out
    code, out, err = run(capsys, "watchlist", "rename", "AML club", "--forget-meeting",
                         cancelled.isoformat())
    assert code == 0, err
    _, out, _ = run(capsys, "watchlist", "show", "AML club")
    assert f"Past meetings: {held} (changes count from {held};" in out
    code, _, err = run(capsys, "watchlist", "rename", "AML club", "--forget-meeting",
                       cancelled.isoformat())
    assert code != 0 and err.strip().endswith(
        f"'AML club' has no past meeting on {cancelled} (its past meetings: {held})")


def test_replacing_todays_meeting_date_says_it_is_recorded_as_held(capsys, quick):
    """The organiser sets January's date the evening of December's meeting: December's is a
    held meeting from then on, and the CLI says so and how to undo it."""
    import datetime as dt

    from tracker.domain import users_today

    today = users_today()
    assert run(capsys, "watchlist", "create", "Heme JC", "--meeting-date",
               today.isoformat())[0] == 0
    code, out, err = run(capsys, "watchlist", "rename", "Heme JC", "--meeting-date",
                         (today + dt.timedelta(days=35)).isoformat())
    assert code == 0 and "updated" in out
    assert err.strip() == (f"today's meeting ({today}) is recorded as held: the next handout "
                           f"counts changes from it; if it did not take place: tracker "
                           f"watchlist rename 'Heme JC' --forget-meeting {today}")
    assert f"Past meetings: {today}" in run(capsys, "watchlist", "show", "Heme JC")[1]


def test_tag_splits_a_comma_list_as_the_windows_tag_box_does(capsys, quick):
    """A reviewer's `tracker tag NCT… "a,b"` made one tag "a,b"; the window makes two."""
    code, out, _ = run(capsys, "tag", "NCT02993523", "AML, journal club")
    assert code == 0 and out.strip() == "NCT02993523 tags: AML, journal club"
    code, out, _ = run(capsys, "tag", "NCT02993523", "--remove", "journal club,AML")
    assert code == 0 and out.strip() == "NCT02993523 tags: (none)"
    code, _, err = run(capsys, "tag", "NCT02993523", " , ")
    assert code == 2 and err.strip() == "tracker tag: a tag needs a name; type one"
