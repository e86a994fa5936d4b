"""`tracker searches …` and `tracker inbox …` against the loopback registry."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.fakes.filters import posted_study
from tests.fakes.studies import make_study
from tests.unit.test_cli import run


@pytest.fixture
def api(ctgov_server, _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_studies([
        posted_study(make_study("NCT06100001", interventions=("Sonrotoclax", "Zanubrutinib"),
                                conditions=("Mantle Cell Lymphoma",), sponsor="BeiGene"),
                     "2025-01-10"),
        posted_study(make_study("NCT06100002", interventions=("Sonrotoclax",),
                                conditions=("Mantle Cell Lymphoma",)), "2025-01-11"),
        posted_study(make_study("NCT06100003", interventions=("Ibrutinib",),
                                conditions=("Mantle Cell Lymphoma",)), "2025-01-11"),
    ])
    return ctgov_server.base_url


def test_cli_searches_add_check_inbox_json_accept_dismiss(capsys, api, ctgov_server):
    code, out, _ = run(capsys, "searches", "add", "Sonro MCL", "--intervention", "sonrotoclax",
                       "--condition", "mantle cell", "--phase", "2", "--status", "RECRUITING")
    assert code == 0 and "phase 2" in out
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Sonro MCL":
            run(capsys, "searches", "pause", name)
    code, out, _ = run(capsys, "--api-url", api, "searches", "check")
    assert code == 0 and "Sonro MCL: 2 found (first check, 1 request): 2 new" in out
    assert len([r for r in ctgov_server.requests if r.path.endswith("/studies")]) == 1
    code, out, _ = run(capsys, "inbox", "--json")
    items = {i["nct_id"]: i for i in json.loads(out)}
    assert set(items) == {"NCT06100001", "NCT06100002"}
    first = items["NCT06100001"]
    assert first["searches"] == ["Sonro MCL"] and first["first_posted"] == "2025-01-10"
    assert first["proposed_modality"] == "bcl2" and first["evidence"] == \
        "Sonrotoclax in interventions"
    assert first["sponsor"] == "BeiGene" and first["title"]
    assert first["found_because"] == "found by the first check"
    listing = run(capsys, "inbox")[1]
    assert "found by: Sonro MCL · found by the first check" in listing
    assert "NCT06100001  posted 2025-01-10  " in listing  # the date says what it is
    run(capsys, "watchlist", "create", "MCL")
    code, out, _ = run(capsys, "--api-url", api, "inbox", "accept", "NCT06100001",
                       "--watchlist", "MCL")
    assert code == 0 and "added 1 to the library and to 'MCL'" in out
    code, out, _ = run(capsys, "inbox", "dismiss", "NCT06100002")
    assert code == 0
    assert json.loads(run(capsys, "inbox", "--json")[1]) == []
    shown = json.loads(run(capsys, "show", "NCT06100001", "--json")[1])[0]
    assert shown["modality"] == "bcl2"
    assert "NCT06100001" in run(capsys, "watchlist", "show", "MCL")[1]


def test_cli_inbox_accept_dismiss_and_restore_take_a_pasted_list(capsys, api):
    code, out, _ = run(capsys, "searches", "add", "Sonro MCL", "--intervention", "sonrotoclax",
                       "--condition", "mantle cell")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Sonro MCL":
            run(capsys, "searches", "pause", name)
    run(capsys, "--api-url", api, "searches", "check")
    code, out, err = run(capsys, "inbox", "dismiss", "NCT06100001,NCT06100002")
    assert code == 0 and "dismissed 2 studies" in out, err
    assert json.loads(run(capsys, "inbox", "--json")[1]) == []
    code, out, err = run(capsys, "inbox", "restore", "NCT06100001; NCT06100002")
    assert code == 0 and "restored 2 studies to the inbox" in out, err
    code, out, err = run(capsys, "--api-url", api, "inbox", "accept",
                         "NCT06100001,NCT06100002")
    assert code == 0 and "added 2 to the library" in out, err


def test_cli_inbox_refusing_one_of_several_ids_says_none_was_acted_on(capsys, api):
    """A reviewer pasted ids with a typo: only the typo was named, and the user would think
    the rest went through."""
    run(capsys, "searches", "add", "Sonro MCL", "--intervention", "sonrotoclax",
        "--condition", "mantle cell")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Sonro MCL":
            run(capsys, "searches", "pause", name)
    run(capsys, "--api-url", api, "searches", "check")
    code, _, err = run(capsys, "inbox", "dismiss", "NCT06100001,NCT06199999")
    assert code == 1
    assert err.strip().endswith("; none of the 2 studies was dismissed")
    assert {i["nct_id"] for i in json.loads(run(capsys, "inbox", "--json")[1])} == {
        "NCT06100001", "NCT06100002"}
    code, _, err = run(capsys, "--api-url", api, "inbox", "accept", "NCT06100001 NCT06199999")
    assert code == 1 and err.strip().endswith("; none of the 2 studies was accepted")
    code, _, err = run(capsys, "inbox", "dismiss", "NCT06199999")
    assert code == 1 and "none of" not in err  # one id: the refusal says it all


def test_cli_searches_bad_input_exits_2_without_requests(capsys, api, ctgov_server):
    code, _, err = run(capsys, "searches", "add", "Bad", "--term", "(CD19 OR BCMA")
    assert code == 2 and "'(' without its ')'" in err
    code, _, err = run(capsys, "searches", "add", "Bad", "--condition", 'CD19 "CAR T')
    assert err == ('tracker searches add: the --condition text has an unclosed quote ("): '
                   "close the quoted phrase or remove the quote\n")
    code, _, err = run(capsys, "searches", "add", "Far", "--intervention", "x", "--near",
                       "91,0", "--within", "10")
    assert code == 2 and "not a latitude,longitude: '91,0'" in err
    code, _, err = run(capsys, "searches", "add", "Atlantis", "--intervention", "x", "--near",
                       "Atlantis", "--within", "10")
    assert code == 2 and "unknown place: 'Atlantis'" in err
    code, _, err = run(capsys, "searches", "add", "Half", "--intervention", "x", "--within", "5")
    assert code == 2 and "--near and --within go together" in err
    code, _, err = run(capsys, "--api-url", api, "searches", "check", "Nope")
    assert code == 1 and "no saved search named 'Nope'" in err
    assert ctgov_server.requests == []


def test_cli_searches_near_a_city_of_the_gazetteer(capsys, _isolated_data_dir):
    code, out, _ = run(capsys, "searches", "add", "Boston CAR-T", "--term", "CAR-T",
                       "--near", "boston", "--within", "50")
    assert code == 0 and "near 42.36,-71.06 within 50 km" in out
    code, out, _ = run(capsys, "searches", "add", "Munich CAR-T", "--term", "CAR-T",
                       "--near", "München", "--within", "50")
    assert code == 0 and "near 48.14,11.58 within 50 km" in out


def test_cli_searches_rm_pause_resume_and_defaults(capsys, _isolated_data_dir):
    names = [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]
    assert "CAR-T: BCMA" in names and "Bispecifics: CD20×CD3" in names
    assert run(capsys, "searches", "pause", "CAR-T: BCMA")[1].strip() == "CAR-T: BCMA: paused"
    assert run(capsys, "searches", "resume", "car-t: bcma")[1].strip() == "CAR-T: BCMA: active"
    assert run(capsys, "searches", "rm", "CAR-T: BCMA", "--yes")[0] == 0
    again = run(capsys, "searches", "ls")[1]  # a new process opens the library again
    assert "CAR-T: BCMA" not in again and "CAR-T: CD19" in again


def test_cli_searches_check_with_the_sync(capsys, api, ctgov_server):
    run(capsys, "searches", "add", "Sonro", "--intervention", "sonrotoclax")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Sonro":
            run(capsys, "searches", "pause", name)
    code, out, _ = run(capsys, "--api-url", api, "searches", "check", "--sync")
    assert code == 0, out
    assert "trials checked" in out and "Sonro: 2 found (first check, 1 request): 2 new" in out
    kinds = [("filter.ids" in r.params, "query.intr" in r.params)
             for r in ctgov_server.requests if r.path.endswith("/studies")]
    assert kinds[0] == (True, False) and kinds[-1] == (False, True)


def test_cli_a_status_the_registry_added_later_is_shown_with_its_code(capsys, api,
                                                                      ctgov_server):
    ctgov_server.put_study(make_study("NCT06100009", interventions=("Sonrotoclax",),
                                      status="SOMETHING_NEW", phases=("PHASE9",)))
    label = "Something new (unrecognised status, registry code SOMETHING_NEW)"
    code, out, err = run(capsys, "--api-url", api, "registry-search", "sonrotoclax")
    assert code == 0 and label in out and "could not be read" not in err
    assert run(capsys, "--api-url", api, "add", "NCT06100009")[0] == 0
    for command in (["list"], ["show", "NCT06100009"]):
        code, out, err = run(capsys, *command)
        assert code == 0 and label in out and "Traceback" not in err
    assert "Phase9 (registry code PHASE9)" in out
    code, out, _ = run(capsys, "show", "NCT06100009", "--json")
    assert json.loads(out)[0]["status"] == "SOMETHING_NEW"  # the raw code, for scripts


def test_cli_inbox_dismiss_all_or_one_searchs_findings(capsys, api, ctgov_server):
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        run(capsys, "searches", "pause", name)
    run(capsys, "searches", "add", "Sonro", "--intervention", "sonrotoclax")
    run(capsys, "searches", "add", "Ibru", "--intervention", "ibrutinib")
    code, out, _ = run(capsys, "--api-url", api, "searches", "check")
    assert code == 0 and "open studies only" in out
    assert len(json.loads(run(capsys, "inbox", "--json")[1])) == 3
    code, _, err = run(capsys, "inbox", "dismiss", "--search", "Sonro")  # no terminal: --yes
    assert code == 2 and "there is no terminal to ask on: add --yes to dismiss 2 studies" in err
    code, _, err = run(capsys, "inbox", "dismiss", "--search", "Nope", "--yes")
    assert code == 1 and "no saved search named 'Nope'" in err
    assert run(capsys, "inbox", "dismiss", "NCT06100001", "--all")[0] == 2
    code, out, _ = run(capsys, "inbox", "dismiss", "--search", "Sonro", "--yes")
    assert code == 0 and "dismissed 2 studies" in out
    assert [i["nct_id"] for i in json.loads(run(capsys, "inbox", "--json")[1])] == [
        "NCT06100003"]
    code, out, _ = run(capsys, "inbox", "dismiss", "--all", "--yes")
    assert code == 0 and "dismissed 1 study" in out
    assert json.loads(run(capsys, "inbox", "--json")[1]) == []
    assert "nothing to dismiss" in run(capsys, "inbox", "dismiss", "--all", "--yes")[1]
    updated = posted_study(make_study("NCT06100001", interventions=("Sonrotoclax",),
                                      last_update=dt.datetime.now(dt.timezone.utc).date()
                                      .isoformat()), "2025-01-10")
    ctgov_server.put_study(updated)  # updated since: the next check sees it again
    code, out, _ = run(capsys, "--api-url", api, "searches", "check")
    assert code == 0 and "Sonro: 1 found" in out and "1 dismissed" in out
    assert json.loads(run(capsys, "inbox", "--json")[1]) == []  # dismissed stay dismissed


def test_cli_saved_search_names_follow_the_tag_and_watch_list_rule(capsys, _isolated_data_dir):
    code, _, err = run(capsys, "searches", "add", "zero\u200bwidth", "--term", "x")
    assert code == 2 and "invisible characters (found U+200B)" in err
    assert "zero" not in run(capsys, "searches", "ls")[1]
    code, out, _ = run(capsys, "searches", "add", "ＡＭＬ  watch", "--term", "x")
    assert code == 0 and "saved search 'AML watch'" in out  # one spelling (NFKC), one space
    assert run(capsys, "searches", "pause", "ＡＭＬ watch")[1].strip() == "AML watch: paused"
    assert run(capsys, "searches", "rm", "AML watch", "--yes")[0] == 0


def test_cli_inbox_and_registry_search_keep_their_columns(capsys, api, ctgov_server):
    bare = posted_study(make_study("NCT06100010", interventions=("Sonrotoclax",), phases=(),
                                   status="ENROLLING_BY_INVITATION", title="Sonrotoclax " +
                                   "in relapsed mantle cell lymphoma after BTK inhibitors " * 3),
                        "2025-01-12")
    del bare["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]
    ctgov_server.put_study(bare)
    run(capsys, "searches", "add", "Sonro", "--intervention", "sonrotoclax")
    assert run(capsys, "--api-url", api, "searches", "check", "Sonro")[0] == 0
    out = run(capsys, "inbox")[1]
    firsts = [line for line in out.splitlines() if line.startswith("NCT")]
    assert len(firsts) == 3
    assert len({line.index("Sonrotoclax") for line in firsts}) == 1  # the title column
    assert len({line.index(status) for line, status in zip(firsts, (
        "Enrolling by invitation", "Recruiting", "Recruiting"))}) == 1
    bare_line = next(line for line in firsts if line.startswith("NCT06100010"))
    assert "Phase not stated" in bare_line and bare_line.endswith(" [...]")
    assert "· sponsor not stated ·" in out and "sponsor ?" not in out
    code, out, _ = run(capsys, "--api-url", api, "registry-search", "sonrotoclax")
    lines = out.splitlines()
    assert len(lines) == 3 and len({line.index("Sonrotoclax") for line in lines}) == 1


def test_cli_dismissing_one_searchs_findings_keeps_those_another_search_found(capsys, api):
    """The inbox holds one entry per study, shared by the searches that found it: dismissing
    by search dismisses what only that search found, and names the studies kept for the
    others."""
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        run(capsys, "searches", "pause", name)
    run(capsys, "searches", "add", "Sonro", "--intervention", "sonrotoclax")
    run(capsys, "searches", "add", "Zanu", "--intervention", "zanubrutinib")
    assert run(capsys, "--api-url", api, "searches", "check")[0] == 0
    found_by = {i["nct_id"]: i["searches"] for i in json.loads(run(capsys, "inbox", "--json")[1])}
    assert found_by == {"NCT06100001": ["Sonro", "Zanu"], "NCT06100002": ["Sonro"]}
    code, out, _ = run(capsys, "inbox", "dismiss", "--search", "Sonro", "--yes")
    assert code == 0
    assert out.splitlines() == [
        "dismissed 1 study (they will not come back from the searches that found them; to "
        "undo: tracker inbox restore NCT06100002)",
        "kept 1 study 'Sonro' found that other saved searches found too: NCT06100001 (also "
        "found by 'Zanu'); to dismiss one anyway: tracker inbox dismiss NCT_ID"]
    left = {i["nct_id"]: i["searches"] for i in json.loads(run(capsys, "inbox", "--json")[1])}
    assert left == {"NCT06100001": ["Sonro", "Zanu"]}
    code, out, _ = run(capsys, "inbox", "dismiss", "--search", "Sonro", "--yes")
    assert code == 0 and out.splitlines()[0] == "nothing to dismiss: no study found only by " \
        "'Sonro'"
    assert "kept 1 study 'Sonro' found" in out.splitlines()[1]
    code, out, _ = run(capsys, "inbox", "dismiss", "--search", "Zanu", "--yes")
    assert code == 0 and "kept" in out and "also found by 'Sonro'" in out
    assert len(json.loads(run(capsys, "inbox", "--json")[1])) == 1
