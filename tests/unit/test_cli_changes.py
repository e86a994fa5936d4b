"""`tracker changes` and `tracker show --json` changes/versions, after real syncs over loopback."""

from __future__ import annotations

import json

import pytest

from tests.fakes.studies import make_study, set_last_update
from tests.unit.test_cli import run

VIALE, CLL14 = "NCT02993523", "NCT02242942"


@pytest.fixture
def changed(capsys, ctgov_server, _isolated_data_dir):
    """Two synced trials; then VIALE-A's primary completion slips 14 months and CLL14's
    enrollment is cut from 400 to 120; a second sync sees both."""
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_studies([
        make_study(VIALE, acronym="VIALE-A", primary_completion=("2026-06", "ESTIMATED")),
        make_study(CLL14, acronym="CLL14", enrollment=(400, "ESTIMATED")),
    ])
    api = ctgov_server.base_url
    run(capsys, "watchlist", "create", "AML", "--meeting-date", "2020-01-01")
    run(capsys, "watchlist", "add", "AML", VIALE)
    assert run(capsys, "--api-url", api, "sync", VIALE, CLL14)[0] == 0
    for nct_id, edit in ((VIALE, lambda p: p["statusModule"].update(
            primaryCompletionDateStruct={"date": "2027-08", "type": "ESTIMATED"})),
                         (CLL14, lambda p: p["designModule"].update(
            enrollmentInfo={"count": 120, "type": "ACTUAL"}))):
        study = ctgov_server.study(nct_id)
        edit(study["protocolSection"])
        set_last_update(study["protocolSection"]["statusModule"], "2026-02-27")
        ctgov_server.put_study(study)
    code, out, _ = run(capsys, "--api-url", api, "sync", VIALE, CLL14)
    assert code == 0
    return out


def test_cli_changes_json_lists_changes_with_the_documented_keys(capsys, changed):
    code, out, _ = run(capsys, "changes", "--json")
    assert code == 0
    changes = json.loads(out)
    assert {(c["trial_id"], c["field"], c["old"], c["new"], c["significance"]) for c in changes} \
        == {(VIALE, "primary_completion_date", "2026-06 (estimated)", "2027-08 (estimated)",
             "major"),
            (CLL14, "enrollment", "400 (estimated)", "120 (actual)", "major")}
    required = {"trial_id", "field", "old", "new", "significance", "registry_date", "seen_at"}
    assert all(required <= set(c) for c in changes)
    assert all(c["registry_date"] == "2026-02-27" for c in changes)


def test_cli_changes_text_watchlist_major_and_since(capsys, changed):
    code, out, err = run(capsys, "changes", "--watchlist", "AML", "--since", "meeting")
    assert code == 0 and VIALE in out and CLL14 not in out
    assert "primary completion" in out and "+14 months" in out
    assert "1 change (since the AML meeting (2020-01-01))" in err
    _, out, _ = run(capsys, "changes", "--major", "--since", "last-sync")
    assert VIALE in out and CLL14 in out
    _, out, _ = run(capsys, "changes", "--since", "2000-01-01", "--json")
    assert {c["trial_id"] for c in json.loads(out)} >= {VIALE, CLL14}


def test_a_since_date_after_today_or_before_2000_is_refused(capsys, changed):
    """A mistyped year (2027 for 2026) gave an empty window and a handout saying "none
    recorded" for every trial; it is refused, naming the date and what to check."""
    from tracker.domain import users_today

    later = users_today().replace(year=users_today().year + 1).isoformat()
    for command in (["changes"], ["export", "--watchlist", "AML", "--format", "md", "-o", "-"]):
        code, out, err = run(capsys, *command, "--since", later)
        assert code == 2 and out == ""
        assert err.splitlines()[-1].endswith(
            f"argument --since: {later} is after today ({users_today()}), so no change can "
            "have been seen since then: check the year")
        code, _out, err = run(capsys, *command, "--since", "1999-12-31")
        assert code == 2 and err.splitlines()[-1].endswith(
            "argument --since: 1999-12-31 is before 2000: check the year")


def test_cli_changes_bad_window_is_one_clear_line(capsys, changed):
    code, _, err = run(capsys, "changes", "--since", "meeting")
    assert code == 2 and "--since meeting needs --watchlist NAME" in err
    code, _, err = run(capsys, "changes", "--since", "yesterday")
    assert code == 2 and "not a date: yesterday" in err


def test_cli_sync_summary_lists_major_changes(changed):
    assert "major: NCT02993523 VIALE-A: primary completion" in changed
    assert "(+14 months)" in changed


def test_cli_show_json_has_changes_newest_first_and_versions(capsys, changed):
    _, out, _ = run(capsys, "show", VIALE, "--json")
    (trial,) = json.loads(out)
    assert [c["field"] for c in trial["changes"]] == ["primary_completion_date",
                                                      "overall_status"]
    assert trial["changes"][-1]["significance"] == "initial"
    assert trial["versions"]["count"] == 2
    assert [d["last_update_posted"] for d in trial["versions"]["dates"]] == ["2025-01-15",
                                                                            "2026-02-27"]
    _, text, _ = run(capsys, "show", VIALE)
    assert "Changes (2 registry versions seen):" in text
    assert "! primary completion: 2026-06 (estimated) → 2027-08 (estimated)" in text


def test_cli_doctor_reports_the_version_store(capsys, changed):
    code, out, _ = run(capsys, "doctor")
    assert code == 0
    assert "registry versions: 4 of 2 trials, " in out and " KB stored (" in out
    assert "record_versions  4" in out and "field_changes" in out


def test_cli_show_dates_each_change_and_says_what_enrollment_counts(capsys, changed):
    """A change line names the registry update it comes from (to cite it); enrollment says
    whether it is the target or the actual count."""
    code, out, _ = run(capsys, "show", CLL14)
    assert code == 0
    assert "Enrollment:          120 (actual)" in out
    assert "enrollment: 400 (estimated) → 120 (actual) (-70 %) (registry update 2026-02-27)" \
        in out


def test_cli_show_names_the_former_id_of_a_merged_registration(capsys, changed, ctgov_server):
    old, merged = CLL14, "NCT09000001"
    ctgov_server.put_study(make_study(merged, acronym="CLL14", last_update="2026-03-01"))
    ctgov_server.add_alias(old, merged)
    assert run(capsys, "--api-url", ctgov_server.base_url, "sync", old)[0] == 0
    code, out, _ = run(capsys, "show", merged)
    assert code == 0
    assert (f"Former ids:          {old} (the registry now files them under this record)"
            in out)


def test_cli_changes_since_an_upcoming_meeting_means_since_the_previous_one(capsys, changed):
    """Before a journal club its meeting date is ahead: 'since the meeting' is since the one
    before (as the handouts take it), not an empty list; with none before, one clear line."""
    import datetime as dt

    ahead = (dt.date.today() + dt.timedelta(days=14)).isoformat()
    assert run(capsys, "watchlist", "rename", "AML", "AML", "--meeting-date", ahead)[0] == 0
    code, out, err = run(capsys, "changes", "--watchlist", "AML", "--since", "meeting")
    assert code == 0 and VIALE in out  # since 2020-01-01, the previous meeting
    assert (f"1 change (since the AML previous meeting (2020-01-01; the next is on {ahead}))"
            in err)
    run(capsys, "watchlist", "create", "New club", "--meeting-date", ahead)
    code, _, err = run(capsys, "changes", "--watchlist", "New club", "--since", "meeting")
    assert code == 2
    assert (f"the watch list 'New club' meets on {ahead}, not past yet, and no earlier meeting "
            "is recorded: use --since last-sync or --since YYYY-MM-DD") in err
