"""Loopback: registry records change between syncs; versions and the change log follow."""

from __future__ import annotations

import copy

import pytest

from tests.fakes.clients import fast_client
from tests.fakes.server import FakeCtgov
from tests.fakes.studies import make_study, nct_id_of, real_studies, set_last_update
from tracker.domain import Trial
from tracker.services.sync import SyncService

RESULTS_ID = "NCT01126879"  # a real record with posted results
SLIP, CUT, SITE, ENDPOINT = "NCT04000001", "NCT04000002", "NCT04000003", "NCT04000004"


def _before_results(study: dict) -> dict:
    """The same record as it was before its results were posted."""
    before = copy.deepcopy(study)
    before.pop("resultsSection", None)
    before["hasResults"] = False
    before["protocolSection"]["statusModule"].pop("resultsFirstPostDateStruct", None)
    set_last_update(before["protocolSection"]["statusModule"], "2014-01-01")
    return before


@pytest.fixture
def registry():
    results = next(s for s in real_studies() if nct_id_of(s) == RESULTS_ID)
    studies = [make_study(SLIP, primary_completion=("2026-06", "ESTIMATED")),
               make_study(CUT, enrollment=(400, "ESTIMATED")), make_study(SITE),
               make_study(ENDPOINT), _before_results(results)]
    with FakeCtgov(studies) as server:
        server.full_record_with_results = results
        yield server


@pytest.fixture
def synced(empty_library, registry):
    ids = [SLIP, CUT, SITE, ENDPOINT, RESULTS_ID]
    empty_library.trials.insert([Trial(id=i, brief_title=f"Trial {i[-1]}") for i in ids])
    client = fast_client(registry)
    service = SyncService(empty_library, client)
    first = service.sync()
    assert first.ok and sorted(first.first_seen) == sorted(ids)
    yield empty_library, registry, service
    client.close()


def _edit(server: FakeCtgov, nct_id: str, change) -> None:
    study = server.study(nct_id)
    change(study["protocolSection"])
    status = study["protocolSection"]["statusModule"]
    set_last_update(status, "2026-02-27")
    server.put_study(study)


def _inject_changes(server: FakeCtgov) -> None:
    _edit(server, SLIP, lambda p: p["statusModule"].update(
        primaryCompletionDateStruct={"date": "2027-08", "type": "ESTIMATED"}))
    _edit(server, CUT, lambda p: p["designModule"].update(
        enrollmentInfo={"count": 120, "type": "ACTUAL"}))
    _edit(server, SITE, lambda p: p["contactsLocationsModule"]["locations"].append(
        {"facility": "Charité", "city": "Berlin", "country": "Germany", "status": "RECRUITING",
         "geoPoint": {"lat": 52.52, "lon": 13.405}}))
    _edit(server, ENDPOINT, lambda p: p["outcomesModule"]["primaryOutcomes"][0].update(
        measure="Overall survival"))
    server.put_study(server.full_record_with_results)


def test_sync_changes_first_sync_stores_one_version_each_and_only_initial_statuses(synced):
    library, _, _ = synced
    assert library.versions.stats().count == 5
    changes = library.changes.since(include_initial=True)
    assert {c.significance for c in changes} == {"initial"} and len(changes) == 5
    assert library.changes.since() == []


def test_sync_changes_unchanged_resync_writes_no_version_and_no_change(synced):
    library, server, service = synced
    server.clear_log()
    report = service.sync()
    assert report.ok and len(report.unchanged) == 5 and report.field_changes == []
    assert library.versions.stats().count == 5
    assert library.changes.since(include_initial=True).__len__() == 5
    assert all("documentSection" not in r.target for r in server.requests), "no full lookups"


def test_sync_changes_injected_changes_are_logged_with_significance(synced):
    library, server, service = synced
    _inject_changes(server)
    server.clear_log()

    report = service.sync()

    assert report.ok
    assert library.versions.stats().count == 10
    by_trial = {i: library.changes.since(trial_ids=[i]) for i in (SLIP, CUT, SITE, ENDPOINT,
                                                                  RESULTS_ID)}
    slip = by_trial[SLIP][0]
    assert (slip.field, slip.old, slip.new, slip.detail, slip.significance) == (
        "primary_completion_date", "2026-06 (estimated)", "2027-08 (estimated)", "+14 months",
        "major")
    assert slip.registry_date == "2026-02-27"
    cut = by_trial[CUT][0]
    assert (cut.field, cut.old, cut.new, cut.significance) == (
        "enrollment", "400 (estimated)", "120 (actual)", "major")
    assert {c.field for c in by_trial[SITE]} == {"site", "recruiting_sites"}
    assert all(c.significance == "minor" for c in by_trial[SITE])
    assert by_trial[ENDPOINT][0].field == "primary_outcome"
    assert by_trial[ENDPOINT][0].new.startswith("Overall survival")
    assert "results_first_posted" in {c.field for c in by_trial[RESULTS_ID]}

    lines = report.summary_lines()
    major = [i for i, line in enumerate(lines) if line.startswith("  major:")]
    minor = [i for i, line in enumerate(lines) if line.startswith("  minor:")]
    assert major and minor and max(major) < min(minor), "major changes are listed first"
    assert any("primary completion" in line and "+14 months" in line for line in lines)


def test_sync_changes_results_are_asked_only_for_studies_that_have_them(synced):
    _, server, service = synced
    _inject_changes(server)
    server.clear_log()
    service.sync()
    full = [r for r in server.requests if "documentSection" in r.params.get("fields", "")]
    with_results = [r for r in full if "resultsSection" in r.params["fields"]]
    plain = [r for r in full if r not in with_results]
    assert len(plain) == 1 and len(with_results) == 1
    assert with_results[0].params["filter.ids"] == RESULTS_ID, "results only where posted"
    print(f"\nfull pass answer sizes: 5 whole records without results "
          f"{plain[0].bytes_sent:,} bytes; 1 with results {with_results[0].bytes_sent:,} bytes")


def test_sync_changes_library_synced_before_versions_still_logs_a_status_change(
        empty_library, registry):
    """A trial synced by an older version of the app has fields but no stored version."""
    empty_library.trials.insert([Trial(id=SLIP, brief_title="slip", status="RECRUITING",
                                       registry_state="found", last_update_posted="2020-01-01")])
    registry.set_status(SLIP, "COMPLETED")
    with fast_client(registry) as client:
        SyncService(empty_library, client).sync()
    statuses = [c for c in empty_library.changes.since() if c.field == "overall_status"]
    assert [(c.old, c.new, c.significance) for c in statuses] == [
        ("RECRUITING", "COMPLETED", "major")]
    assert empty_library.versions.stats().count == 1


def _revise_posted_results(study: dict) -> dict:
    """The sponsor revises its posted results: the median OS of the first arm changes, the
    secondary measure is withdrawn, and the record's update date moves."""
    revised = copy.deepcopy(study)
    measures = revised["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"]
    measures[0]["classes"][0]["categories"][0]["measurements"][0]["value"] = "15.2"
    revised["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"] = [
        m for m in measures if m["type"] == "PRIMARY"]
    set_last_update(revised["protocolSection"]["statusModule"], "2026-11-02")
    return revised


def test_sync_changes_revised_posted_results_are_logged_and_dated(empty_library):
    from tests.fakes.demo_records import with_demo_results

    trial_id = "NCT04000009"
    with FakeCtgov([make_study(trial_id)]) as registry:
        empty_library.trials.insert([Trial(id=trial_id, brief_title="VIALE-A")])
        client = fast_client(registry)
        service = SyncService(empty_library, client)
        assert service.sync().ok
        posted = with_demo_results(registry.study(trial_id))
        registry.put_study(posted)
        assert service.sync().ok  # results posted: one change, not one per measure
        fields = [c.field for c in empty_library.changes.for_trial(trial_id)]
        assert "results_first_posted" in fields and "posted_result" not in fields
        registry.put_study(_revise_posted_results(posted))
        report = service.sync()
        client.close()
    assert report.ok and report.updated == [trial_id]
    changes = {c.detail: c for c in empty_library.changes.for_trial(trial_id)
               if c.field == "posted_result"}
    survival = "Overall Survival (OS) [Up to 3 years]"
    duration = "Duration of Composite Complete Remission [Up to 3 years]"
    assert set(changes) == {survival, duration}
    assert changes[survival].significance == "major"
    assert changes[survival].registry_date == "2026-11-02"
    # only the revised figure, named by its arm: not the whole measure by position
    assert changes[survival].old == \
        "Venetoclax + Azacitidine: 14.7 (95% Confidence Interval 11.9 to 18.7)"
    assert changes[survival].new == \
        "Venetoclax + Azacitidine: 15.2 (95% Confidence Interval 11.9 to 18.7)"
    assert changes[survival].describe().startswith(
        "posted result changed (Overall Survival (OS) [Up to 3 years]): ")
    assert changes[survival].marker() == "posted results updated"
    assert changes[duration].new is None and changes[duration].significance == "minor"
    assert changes[duration].describe() == \
        "posted result removed: Duration of Composite Complete Remission [Up to 3 years]"


def test_sync_changes_a_version_stored_without_results_does_not_hide_a_revision(
        empty_library):
    """v1 carries results; v2 was stored without them (their answer lacked the study); v3
    carries revised figures: the revision is logged against v1's figures."""
    import datetime as dt
    import json

    from tests.fakes.demo_records import with_demo_results
    from tracker.ctgov.parsing import parse_page
    from tracker.services.versions import record_registry_version

    def record(study: dict):
        body = json.dumps({"studies": [study]}).encode()
        return parse_page(body, "test", keep_raw=True).records[0]

    trial_id, seen = "NCT04000009", dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    empty_library.trials.insert([Trial(id=trial_id, brief_title="VIALE-A")])
    posted = with_demo_results(make_study(trial_id))
    without = {k: v for k, v in copy.deepcopy(posted).items() if k != "resultsSection"}
    set_last_update(without["protocolSection"]["statusModule"], "2026-06-01")
    revised = _revise_posted_results(posted)
    for study in (posted, without, revised):
        trial = empty_library.trials.get(trial_id)
        record_registry_version(empty_library, trial, record(study), seen)
    changes = [c for c in empty_library.changes.for_trial(trial_id)
               if c.field == "posted_result"]
    assert {c.detail.split(" [")[0] for c in changes} == {
        "Overall Survival (OS)", "Duration of Composite Complete Remission"}


def _posted_then(library, revise) -> list:
    """The posted-result changes a revision made by `revise(measures)` logs, after a first
    posting of the demo results (through the real record-version path)."""
    import datetime as dt
    import json

    from tests.fakes.demo_records import with_demo_results
    from tracker.ctgov.parsing import parse_page
    from tracker.services.versions import record_registry_version

    def record(study: dict):
        return parse_page(json.dumps({"studies": [study]}).encode(), "test",
                          keep_raw=True).records[0]

    trial_id, seen = "NCT04000009", dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
    library.trials.insert([Trial(id=trial_id, brief_title="VIALE-A")])
    posted = with_demo_results(make_study(trial_id))
    revised = copy.deepcopy(posted)
    revise(revised["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"])
    set_last_update(revised["protocolSection"]["statusModule"], "2026-11-02")
    for study in (posted, revised):
        record_registry_version(library, library.trials.get(trial_id), record(study), seen)
    return [c for c in library.changes.for_trial(trial_id) if c.field == "posted_result"]


def test_sync_changes_a_posted_measures_unit_or_parameter_revised_is_logged(empty_library):
    def to_mean_weeks(measures):
        measures[0]["paramType"], measures[0]["unitOfMeasure"] = "MEAN", "weeks"

    (change,) = _posted_then(empty_library, to_mean_weeks)
    assert (change.old, change.new) == ("as posted: median; months", "as posted: mean; weeks")
    assert change.significance == "major"


def test_sync_changes_values_moved_between_arms_are_logged_by_arm(empty_library):
    """The sponsor swaps which arm a value belongs to (the arms' order stays): each arm's
    figure is a revision, named by its arm."""
    def swap_arm_values(measures):
        first, second = measures[0]["classes"][0]["categories"][0]["measurements"]
        first["groupId"], second["groupId"] = second["groupId"], first["groupId"]

    (change,) = _posted_then(empty_library, swap_arm_values)
    assert change.old.startswith("Venetoclax + Azacitidine: 14.7")
    assert "Placebo + Azacitidine: 9.6" in change.old
    assert change.new.startswith("Venetoclax + Azacitidine: 9.6")


def test_sync_changes_a_primary_measure_added_to_posted_results_is_major(empty_library):
    def add_a_primary(measures):
        added = copy.deepcopy(measures[0])
        added["title"] = "Percentage of Participants With Symptomatic Remission"
        measures.append(added)

    (change,) = _posted_then(empty_library, add_a_primary)
    assert change.old is None and change.significance == "major"
    assert change.describe().startswith("posted result added: Percentage of Participants")


def test_sync_changes_a_revised_number_analysed_is_named(empty_library):
    def fewer_analysed(measures):
        measures[0]["denoms"][0]["counts"][0]["value"] = "280"

    (change,) = _posted_then(empty_library, fewer_analysed)
    assert (change.old, change.new) == ("n Venetoclax + Azacitidine: 286",
                                        "n Venetoclax + Azacitidine: 280")


def _titled(titles: tuple[str, str]):
    def rename(measures):
        for measure in measures:
            for group, title in zip(measure.get("groups", []), titles, strict=False):
                group["title"] = title
    return rename


def test_sync_changes_two_arms_whose_titles_read_alike_stay_two(empty_library):
    """Dose-escalation arms share their first 40 characters: a revision of the first arm is
    logged as the first arm's, never an empty major entry."""
    alike = ("Dose escalation of venetoclax with azacitidine, 400 mg",
             "Dose escalation of venetoclax with azacitidine, 800 mg")

    def revise_first_arm(measures):
        _titled(alike)(measures)
        measures[0]["classes"][0]["categories"][0]["measurements"][0]["value"] = "15.2"

    changes = _posted_then(empty_library, revise_first_arm)
    (change,) = [c for c in changes if c.old or c.new]
    assert len(changes) == 1, [c.describe() for c in changes]
    assert change.old.endswith(": 14.7 (95% Confidence Interval 11.9 to 18.7)")
    assert change.new.endswith(": 15.2 (95% Confidence Interval 11.9 to 18.7)")
    assert "[OG000]" in change.new and "[OG001]" not in change.new


def test_sync_changes_a_renamed_arm_is_not_a_revised_result(empty_library):
    """'Venetoclax + Azacitidine' renamed 'Ven-Aza' with every figure as it was: nothing is
    logged as a revised posted result."""
    changes = _posted_then(empty_library, _titled(("Ven-Aza", "Placebo + Azacitidine")))
    assert changes == []


def test_sync_changes_a_trial_first_found_after_a_miss_is_not_listed_again(empty_library):
    """Asked for before the registry had it (never listed), then found: its first status,
    no "listed in the registry again"."""
    trial_id = "NCT04000012"
    empty_library.trials.insert([Trial(id=trial_id, brief_title="Not public yet")])
    with FakeCtgov([]) as registry, fast_client(registry) as client:
        assert SyncService(empty_library, client).sync().not_found == [trial_id]
        registry.put_study(make_study(trial_id, status="RECRUITING"))
        report = SyncService(empty_library, client).sync()
    assert report.first_seen == [trial_id]
    assert [c.field for c in empty_library.changes.for_trial(trial_id)] == ["overall_status"]


def test_sync_changes_a_revised_analysis_names_the_arms_it_compares(empty_library):
    def revise_hazard_ratio(measures):
        measures[0]["analyses"][0]["paramValue"] = "0.70"

    (change,) = _posted_then(empty_library, revise_hazard_ratio)
    assert change.old.startswith("analysis 1 (Venetoclax + Azacitidine vs Placebo + "
                                 "Azacitidine): Hazard Ratio (HR) 0.66")
    assert "Hazard Ratio (HR) 0.70" in change.new


def test_sync_changes_a_trial_that_leaves_the_registry_and_comes_back(empty_library):
    """Listed, then no longer found: one major, dated entry (so 'changed since the meeting'
    and the sync summary show it); not repeated by the next sync. Listed again: another
    major entry, once."""
    from tracker.store import TrialQuery

    trial_id = "NCT04000011"
    empty_library.trials.insert([Trial(id=trial_id, brief_title="CARTITUDE-1")])
    with FakeCtgov([make_study(trial_id, status="RECRUITING")]) as registry, \
            fast_client(registry) as client:
        SyncService(empty_library, client).sync()
        registry.remove_study(trial_id)
        report = SyncService(empty_library, client).sync()
        assert report.not_found == [trial_id]
        assert [line.endswith("no longer found in the registry (last seen as recruiting)")
                for line in report.major_lines()] == [True]
        (gone,) = [c for c in empty_library.changes.for_trial(trial_id)
                   if c.field == "registry_listing"]
        assert gone.significance == "major"
        assert gone.describe() == "no longer found in the registry (last seen as recruiting)"
        assert [t.id for t in empty_library.trials.list(
            TrialQuery(changed_since="last-sync"))] == [trial_id]
        SyncService(empty_library, client).sync()  # still gone: no second entry
        assert len([c for c in empty_library.changes.for_trial(trial_id)
                    if c.field == "registry_listing"]) == 1
        registry.put_study(make_study(trial_id, status="COMPLETED"))  # listed again
        report = SyncService(empty_library, client).sync()
        listing = [c for c in empty_library.changes.for_trial(trial_id)
                   if c.field == "registry_listing"]
        assert len(listing) == 2
        assert listing[-1].describe() == "listed in the registry again (as completed)"
        assert listing[-1].significance == "major"
        assert "listed in the registry again (as completed)" in [
            line.change.describe() for line in report.field_changes]
        SyncService(empty_library, client).sync()  # still listed: no further entry
    assert len([c for c in empty_library.changes.for_trial(trial_id)
                if c.field == "registry_listing"]) == 2
