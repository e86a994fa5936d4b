"""A removed curated trial added again comes back with its curated entry, then its registry
data, as a fresh library holds it (real library files, the loopback registry)."""

from __future__ import annotations

import json
import shutil

import pytest

from tests.fakes.studies import make_study
from tests.unit.test_cli import run
from tracker.bundled import curated_dir
from tracker.services.library import open_library, refresh_curated

JULIET = "NCT02445248"
HEADLINE = "Headline: OS 49% at 12 mo · CR 40%"
CURATED_FACTS = ("outcomes", "summary", "modality", "drugs", "diseases", "comparator",
                 "acronym", "id_provenance", "phases", "brief_title", "status", "aliases")


@pytest.fixture
def api(ctgov_server, _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_study(make_study(JULIET, status="COMPLETED", acronym="JULIET",
                                      interventions=("Tisagenlecleucel",), conditions=("DLBCL",)))
    return ctgov_server.base_url


def _shown(capsys, *args: str) -> dict:
    code, out, err = run(capsys, *args, "show", JULIET, "--json")
    assert code == 0, err
    return json.loads(out)[0]


def _fresh_and_synced(capsys, api, tmp_path) -> dict:
    """JULIET in a library made now and synced: what a re-add must give."""
    other = ("--data-dir", str(tmp_path / "fresh"), "--api-url", api)
    (tmp_path / "fresh").mkdir()
    (tmp_path / "fresh" / "preferences.json").write_text('{"request_pace_seconds": 0}')
    assert run(capsys, *other, "sync", JULIET)[0] == 0
    return _shown(capsys, *other)


def test_readd_cli_remove_then_add_restores_juliets_review_figures(capsys, api, tmp_path):
    code, out, _ = run(capsys, "show", JULIET)
    assert code == 0 and HEADLINE in out
    run(capsys, "note", JULIET, "discuss at the tumour board")
    run(capsys, "watchlist", "create", "Lymphoma")
    run(capsys, "watchlist", "add", "Lymphoma", JULIET)
    assert run(capsys, "remove", JULIET, "--yes")[0] == 0
    code, out, err = run(capsys, "--api-url", api, "add", JULIET)
    assert code == 0, err
    assert f"curated entry restored: {JULIET}" in out
    code, out, _ = run(capsys, "show", JULIET)
    assert HEADLINE in out and "CURATOR'S CAVEAT" in out and "tisa-cel efficacy" in out
    again, fresh = _shown(capsys), _fresh_and_synced(capsys, api, tmp_path)
    assert {k: again[k] for k in CURATED_FACTS} == {k: fresh[k] for k in CURATED_FACTS}
    assert again["registry_state"] == "found" and again["notes"] == []  # notes: recovery file
    _, lists, _ = run(capsys, "watchlist", "show", "Lymphoma")
    assert JULIET not in lists  # an add does not put it back on its watch lists


def test_readd_forgets_the_removal_so_curated_updates_reach_it(capsys, api, tmp_path,
                                                               _isolated_data_dir):
    assert run(capsys, "remove", JULIET, "--yes")[0] == 0
    assert run(capsys, "--api-url", api, "add", JULIET)[0] == 0
    library = open_library(_isolated_data_dir)
    try:
        refresh_curated(library, _changed_curated_files(tmp_path))
        assert "established tisa-cel benefit" in library.trials.get(JULIET).summary
    finally:
        library.close()


@pytest.fixture
def inbox(seeded_library, ctgov_server):
    """The inbox of a library whose JULIET was removed, once a search found JULIET again."""
    from tests.fakes.filters import posted_study
    from tests.unit.discovery_service import one_search_service
    from tracker.domain.searches import SearchCriteria
    from tracker.services.removal import remove_trial

    remove_trial(seeded_library, JULIET)
    ctgov_server.put_study(posted_study(make_study(
        JULIET, status="RECRUITING", acronym="JULIET", interventions=("Tisagenlecleucel",),
        conditions=("Diffuse Large B-Cell Lymphoma",)), "2024-11-02"))
    yield from one_search_service(seeded_library, ctgov_server, "Tisa-cel", SearchCriteria(
        intervention="tisagenlecleucel"))


@pytest.mark.parametrize("registry_answers", [True, False])
def test_readd_inbox_accept_restores_the_curated_entry(inbox, ctgov_server, seeded_library,
                                                       registry_answers):
    import datetime as dt

    from tests.fakes.faults import Fault
    from tracker.domain import Modality

    inbox.check(today=dt.date(2025, 1, 15))
    inbox.set_modality(JULIET, "bispecific")  # the curated modality is the reviewed one
    if not registry_answers:
        ctgov_server.inject(Fault.SERVER_ERROR, times=20, path="filter.ids")
    assert inbox.accept([JULIET]).added == [JULIET]
    trial = seeded_library.trials.get(JULIET)
    assert [o.value for o in trial.outcomes][:3] == ["93", "52%", "40%"]
    assert "tisa-cel efficacy" in trial.summary and trial.modality is Modality.CAR_T
    assert trial.id_provenance == "curator" and trial.status is not None


def test_readd_import_restores_the_curated_entry_with_the_files_registry_data(
        capsys, api, tmp_path):
    """A colleague's file whose JULIET came from the registry (no review figures) brings the
    trial back with its curated entry; the file's registry data and list are taken."""
    run(capsys, "--api-url", api, "sync", JULIET)
    run(capsys, "watchlist", "create", "Lymphoma")
    run(capsys, "watchlist", "add", "Lymphoma", JULIET)
    shared = tmp_path / "lymphoma.json"
    assert run(capsys, "export", "--watchlist", "Lymphoma", "--format", "json",
               "-o", str(shared))[0] == 0
    data = json.loads(shared.read_text())
    data["trials"][0].update(outcomes=[], summary="", id_provenance="registry",
                             modality="other", diseases=[])
    shared.write_text(json.dumps(data))
    assert run(capsys, "remove", JULIET, "--yes")[0] == 0
    code, said, err = run(capsys, "import", str(shared))
    assert code == 0, err
    code, out, _ = run(capsys, "show", JULIET)
    assert HEADLINE in out and "tisa-cel efficacy" in out and "CAR-T" in out
    assert f"curated entry restored for {JULIET}" in said
    again = _shown(capsys)
    assert again["status"] == "COMPLETED" and again["last_synced_at"]  # the file's
    _, lists, _ = run(capsys, "watchlist", "show", "Lymphoma")
    assert JULIET in lists


MERGED = "NCT09999901"  # the registry's id for JULIET after a merge of registrations


@pytest.fixture
def merged(api, ctgov_server, capsys):
    """JULIET's registration merged into MERGED, and the library synced (so re-keyed)."""
    ctgov_server.put_study(make_study(MERGED, status="COMPLETED", acronym="JULIET",
                                      interventions=("Tisagenlecleucel",)))
    ctgov_server.add_alias(JULIET, MERGED)
    assert run(capsys, "--api-url", api, "sync", JULIET)[0] == 0
    assert _shown(capsys)["id"] == MERGED
    return api


def _changed_curated_files(tmp_path):
    """A copy of the shipped curated files with an edit (a new curated digest)."""
    shipped = tmp_path / "curated"
    shutil.copytree(curated_dir(), shipped)
    for path in shipped.glob("*.json"):
        path.write_text(path.read_text().replace("established tisa-cel efficacy",
                                                 "established tisa-cel benefit"))
    return shipped


def test_removal_of_a_rekeyed_curated_trial_keeps_it_out_of_curated_updates(
        capsys, merged, tmp_path, _isolated_data_dir):
    assert run(capsys, "remove", MERGED, "--yes")[0] == 0
    library = open_library(_isolated_data_dir)
    try:
        refresh_curated(library, _changed_curated_files(tmp_path))
        assert not library.trials.exists(JULIET) and not library.trials.exists(MERGED)
    finally:
        library.close()


@pytest.mark.parametrize("typed", [JULIET, MERGED])
def test_readd_of_a_rekeyed_curated_trial_restores_it_under_the_registrys_id(
        capsys, merged, typed):
    assert run(capsys, "remove", MERGED, "--yes")[0] == 0
    code, out, err = run(capsys, "--api-url", merged, "add", typed)
    assert code == 0 and f"curated entry restored: {MERGED}" in out, out + err
    again = _shown(capsys)
    assert again["id"] == MERGED and again["aliases"] == [JULIET]
    assert "tisa-cel efficacy" in again["summary"] and len(again["outcomes"]) == 7


LOCAL = "LOCAL-VENAZA-CHINA-RW"


def test_readd_of_a_curated_local_study_restores_it_without_the_registry(capsys):
    """A local study has no registry record: `tracker add LOCAL-…` puts the curated one back
    from the curated files, with no request (here the registry cannot be reached)."""
    _, before, _ = run(capsys, "show", LOCAL, "--json")
    run(capsys, "note", LOCAL, "real-world cohort")
    assert run(capsys, "remove", LOCAL, "--yes")[0] == 0
    offline = ("--api-url", "http://127.0.0.1:9/api/v2")
    code, out, err = run(capsys, *offline, "add", LOCAL.lower())
    assert code == 0, err
    assert f"curated entry restored: {LOCAL}" in out
    _, after, _ = run(capsys, "show", LOCAL, "--json")
    before, after = json.loads(before)[0], json.loads(after)[0]
    assert after["outcomes"] == before["outcomes"] and after["summary"] == before["summary"]
    assert after["notes"] == [] and after["registry_state"] == "no_registry_record"
    code, out, _ = run(capsys, *offline, "add", LOCAL)
    assert code == 0 and "already in the library" in out


def test_readd_refuses_a_local_id_the_curated_library_lacks_and_adds_nothing(
        capsys, api, ctgov_server):
    assert run(capsys, "remove", LOCAL, JULIET, "--yes")[0] == 0
    ctgov_server.clear_log()
    code, _, err = run(capsys, "--api-url", api, "add", LOCAL, "LOCAL-NOT-CURATED", JULIET)
    assert code == 2 and "LOCAL-NOT-CURATED is a local study that the app's curated" in err
    assert len(err.strip().splitlines()) == 1 and ctgov_server.requests == []
    for trial_id in (LOCAL, JULIET):
        assert run(capsys, "show", trial_id)[0] == 1  # nothing half-written


def test_remove_prompt_says_what_is_lost_and_what_an_add_brings_back(tmp_path, capsys):
    """A real pseudo-terminal: the question names the notes, the tags and history, the watch
    list, and what adding JULIET again brings back."""
    from tests.unit.terminal_answer import answer_on_terminal

    data = ("--data-dir", str(tmp_path))
    run(capsys, *data, "note", JULIET, "discuss at the tumour board")
    run(capsys, *data, "watchlist", "create", "Lymphoma")
    run(capsys, *data, "watchlist", "add", "Lymphoma", JULIET)
    asked = " ".join(answer_on_terminal(tmp_path, ["remove", JULIET], b"n\n").split())
    assert (f"Remove {JULIET} (JULIET) from the library? Its review figures come back if you "
            "add it again, with its registry data. Its 1 note goes to the recovery file "
            "(recovered-notes.txt in the data folder); its tags and history are deleted; it "
            "leaves its watch list 'Lymphoma'. An add brings none of these back. [y/N]") in asked
    assert "not removed" in asked


def test_remove_plan_names_what_comes_back_for_each_kind_of_trial(seeded_library):
    from tracker.domain import Trial
    from tracker.services.removal_plan import plan_removal

    seeded_library.trials.insert([Trial(id="NCT09990001", brief_title="A registry trial"),
                                  Trial(id="LOCAL-MINE", brief_title="Mine",
                                        id_provenance="local")])
    words = plan_removal(seeded_library, ["NCT09990001"]).consequences()
    assert words.startswith("Only its registry data comes back if you add it again. Its tags")
    words = plan_removal(seeded_library, [LOCAL]).consequences()
    assert f"come back if you add it again with tracker add {LOCAL} (it has no" in words
    words = plan_removal(seeded_library, [JULIET, "NCT09990001", "LOCAL-MINE"]).consequences()
    assert words.startswith(f"The review figures of {JULIET} come back if you add it again, "
                            "with its registry data. Only the registry data of NCT09990001 "
                            "comes back if you add it again. LOCAL-MINE has no registry record "
                            "and is not in the curated library: only importing a file that "
                            "holds it brings it back. Their tags and history are deleted.")


def test_readd_made_before_this_fix_gets_its_curated_entry_back_on_opening(
        _isolated_data_dir, capsys):
    """The clinician's library: JULIET removed, then added by an earlier version as a plain
    registry trial (no figures) while still remembered as removed; opening restores it."""
    from tracker.domain import Trial

    library = open_library(_isolated_data_dir)
    try:
        from tracker.services.removal import remove_trial

        remove_trial(library, JULIET)
        library.trials.insert([Trial(id=JULIET, brief_title="Tisagenlecleucel in DLBCL",
                                     acronym="JULIET", drugs=("tisagenlecleucel",))])
    finally:
        library.close()
    code, out, _ = run(capsys, "show", JULIET)
    assert code == 0 and HEADLINE in out and "tisa-cel efficacy" in out
    library = open_library(_isolated_data_dir)
    try:
        from tracker.services.removal import removed_ids

        assert JULIET not in removed_ids(library)
    finally:
        library.close()
