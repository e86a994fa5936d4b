"""More of the record: posted results (sentinels kept), eligibility, design, sites, references,
and "recruiting within N km" (gazetteer and lat,lon) in the store and the CLI."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from tests.fakes.studies import make_study, nct_id_of, real_studies
from tests.unit.test_cli import run
from tracker.ctgov.record_view import record_details
from tracker.domain import RegistryStatus, Trial
from tracker.domain.geo import UnknownPlaceError, resolve_place
from tracker.services.record import nearest_recruiting
from tracker.store import TrialQuery

SEEN = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def _real(nct_id: str) -> dict:
    return copy.deepcopy(next(s for s in real_studies() if nct_id_of(s) == nct_id))


def _with_sentinels() -> dict:
    """The real NCT03058679 results with a median that was not reached in one arm."""
    study = _real("NCT03058679")
    measure = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    measure["paramType"], measure["dispersionType"] = "MEDIAN", "95% Confidence Interval"
    measure["unitOfMeasure"] = "months"
    measure["classes"] = [{"categories": [{"measurements": [
        {"groupId": "OG000", "value": "NA", "lowerLimit": "14.2", "upperLimit": "NA",
         "comment": "Median not reached: too few events at the data cut-off."},
        {"groupId": "OG001", "value": "11.3", "lowerLimit": "8.1", "upperLimit": "NR",
         "comment": "NR: upper limit not reached."}]}]}]
    measure["analyses"] = [{"groupIds": ["OG000", "OG001"], "pValue": "<0.001",
                            "statisticalMethod": "Log Rank", "paramType": "Hazard Ratio (HR)",
                            "paramValue": "0.45", "ciPctValue": "95", "ciLowerLimit": "0.31",
                            "ciUpperLimit": "0.66"}]
    return study


def test_record_results_keep_registry_sentinels_comments_and_every_arm():
    results = record_details(_with_sentinels()).results
    assert results is not None and results.first_posted
    measure = results.primary[0]
    assert [g.title for g in measure.groups] == ["Mediterranean Style Diet",
                                                 "Specific Carbohydrate Diet"]
    assert measure.denominators == {"OG000": "92", "OG001": "99"}
    row = measure.rows[0]
    assert row.value_for("OG000").value == "NA", "the sentinel stays as printed"
    assert row.value_for("OG000").text(measure.dispersion) == \
        "NA (95% Confidence Interval 14.2 to NA)"
    assert row.value_for("OG001").upper == "NR"
    assert measure.comments == ["Median not reached: too few events at the data cut-off.",
                                "NR: upper limit not reached."]
    (analysis,) = measure.analyses
    assert analysis.text() == "Hazard Ratio (HR) 0.45; 95% CI 0.31 to 0.66; p <0.001; Log Rank"


def test_record_results_a_group_without_a_value_keeps_its_column():
    study = _with_sentinels()
    measure = study["resultsSection"]["outcomeMeasuresModule"]["outcomeMeasures"][0]
    del measure["classes"][0]["categories"][0]["measurements"][1]
    parsed = record_details(study).results.primary[0]
    assert len(parsed.groups) == 2
    assert parsed.rows[0].value_for("OG001").text() == "—"


def test_record_results_of_a_record_posted_without_values():
    results = record_details(_real("NCT01126879")).results
    assert len(results.measures) == 4 and results.primary[0].rows == ()
    assert results.primary[0].denominators == {"OG000": "0", "OG001": "0"}
    assert "not collected" in results.primary[0].population


def test_record_eligibility_design_sites_references_from_real_records():
    details = record_details(_real("NCT05531279"))
    assert details.results is None
    assert details.eligibility.criteria.startswith("Inclusion Criteria")
    assert details.eligibility.minimum_age and details.eligibility.sex
    design = details.design
    assert (design.allocation, design.primary_purpose) == ("RANDOMIZED", "TREATMENT")
    assert len(design.arms) == 3 and design.arms[0].interventions == ("Drug: PEG-rhG-CSF",)
    assert [o.kind for o in design.outcomes][0] == "primary"
    (site,) = details.sites
    assert site.recruiting and (site.city, site.lat, site.lon) == ("Tianjin", 39.14222, 117.17667)
    assert details.sites_by_country() == [("China", 1, 1)]
    (reference,) = details.result_references()
    assert reference.url == f"https://pubmed.ncbi.nlm.nih.gov/{reference.pmid}/"
    assert reference.citation.startswith("Tichelli A")
    # the registry files this 2011 paper as the RESULT of a study that started in 2022
    assert details.result_references(2022) == () and details.result_references(2011)


def test_record_hostile_geo_points_are_ignored():
    study = _real("NCT05531279")
    location = study["protocolSection"]["contactsLocationsModule"]["locations"][0]
    location["geoPoint"] = {"lat": 999, "lon": "east"}
    (site,) = record_details(study).sites
    assert (site.lat, site.lon) == (None, None)


def test_record_places_from_the_gazetteer_or_lat_lon():
    assert resolve_place("berlin").name == "Berlin, Germany"
    assert resolve_place("Sao Paulo, Brazil").lat == -23.55
    assert (resolve_place(" 52.52 , 13.40 ").lat, resolve_place("52.52,13.40").lon) == (
        52.52, 13.40)
    with pytest.raises(UnknownPlaceError, match="docs/sites.md"):
        resolve_place("Atlantis")
    with pytest.raises(UnknownPlaceError, match="latitude"):
        resolve_place("95,10")


@pytest.mark.parametrize(("typed", "found"), [
    ("München", "Munich, Germany"), ("munchen", "Munich, Germany"),
    ("München, Deutschland", "Munich, Germany"), ("Köln", "Cologne, Germany"),
    ("Wien", "Vienna, Austria"), ("Genève", "Geneva, Switzerland"),
    ("Wrocław", "Wroclaw, Poland"),
    ("Kiev, Ukraine", "Kyiv, Ukraine"), ("Boston, USA", "Boston, United States"),
    ("Münster", "Münster, Germany"),  # a city of its own, not München without its dots
])
def test_record_places_by_their_native_or_older_names(typed, found):
    assert resolve_place(typed).name == found


def test_other_place_names_point_at_gazetteer_rows_and_shadow_none():
    from tracker.domain.gazetteer import GAZETTEER, OTHER_CITY_NAMES, OTHER_COUNTRY_NAMES
    from tracker.domain.geo import _key

    cities = {_key(city) for city, *_ in GAZETTEER}
    countries = {_key(country) for _, country, *_ in GAZETTEER}
    assert {_key(name) for name in OTHER_CITY_NAMES.values()} <= cities
    assert {_key(name) for name in OTHER_COUNTRY_NAMES.values()} <= countries
    assert not {_key(other) for other in OTHER_CITY_NAMES} & cities
    assert not {_key(other) for other in OTHER_COUNTRY_NAMES} & countries


def _sited(nct_id: str, city: str, lat: float, lon: float, status: str = "RECRUITING") -> dict:
    study = make_study(nct_id)
    study["protocolSection"]["contactsLocationsModule"]["locations"] = [
        {"facility": f"Hospital {city}", "city": city, "country": "Germany", "status": status,
         "geoPoint": {"lat": lat, "lon": lon}}]
    return study


@pytest.fixture
def sited_library(empty_library):
    from tracker.ctgov.record_view import sites

    studies = [_sited("NCT04000001", "Berlin", 52.52, 13.405),
               _sited("NCT04000002", "Hamburg", 53.55, 9.99),
               _sited("NCT04000003", "Munich", 48.14, 11.58),
               _sited("NCT04000004", "Potsdam", 52.39, 13.06, status="COMPLETED"),
               # the trial ended, yet its record still lists its Berlin site as recruiting
               _sited("NCT04000006", "Berlin", 52.52, 13.405)]
    ended = {"NCT04000006": RegistryStatus.TERMINATED}
    empty_library.trials.insert([
        Trial(id=nct_id_of(s), brief_title=nct_id_of(s),
              status=ended.get(nct_id_of(s), RegistryStatus.RECRUITING)) for s in studies])
    for study in studies:
        empty_library.sites.replace(nct_id_of(study), sites(study["protocolSection"]))
        empty_library.versions.add(nct_id_of(study), study, None, SEEN)
    return empty_library


def test_record_near_filter_finds_recruiting_sites_within_the_distance(sited_library):
    berlin = resolve_place("Berlin")
    within = lambda km: [t.id for t in sited_library.trials.list(
        TrialQuery(near=(berlin.lat, berlin.lon, km)))]
    assert within(50) == ["NCT04000001"], "Potsdam's site and NCT04000006 are not recruiting"
    assert within(300) == ["NCT04000001", "NCT04000002"]
    assert sorted(within(600)) == ["NCT04000001", "NCT04000002", "NCT04000003"]
    nearest = sited_library.sites.nearest_recruiting(berlin.lat, berlin.lon, 300)
    assert round(nearest["NCT04000002"][0]) == 255
    assert set(nearest) == {"NCT04000001", "NCT04000002"}


def test_record_nearest_recruiting_sites_for_a_home_location():
    record = record_details(_real("NCT05531279"))
    ((km, site),) = nearest_recruiting(record, resolve_place("Beijing"))
    assert site.city == "Tianjin" and 100 < km < 130


def test_record_cli_list_near_berlin_within_and_lat_lon(capsys, sited_library,
                                                         _isolated_data_dir):
    data = ["--data-dir", str(sited_library.path.parent)]
    code, out, _ = run(capsys, *data, "list", "--near", "Berlin", "--within", "200")
    assert code == 0 and "NCT04000001" in out and "NCT04000002" not in out
    assert "[0 km: Hospital Berlin, Berlin, Germany]" in out
    _, out, _ = run(capsys, *data, "list", "--near", "53.55,9.99", "--within", "20", "--json")
    assert [t["id"] for t in json.loads(out)] == ["NCT04000002"]
    code, _, err = run(capsys, *data, "list", "--near", "Atlantis", "--within", "50")
    assert code == 2 and "unknown place: 'Atlantis'" in err


def test_record_show_json_carries_the_registry_record(capsys, sited_library):
    data = ["--data-dir", str(sited_library.path.parent)]
    _, out, _ = run(capsys, *data, "show", "NCT04000001", "--json")
    record = json.loads(out)[0]["registry_record"]
    assert record["sites"][0]["city"] == "Berlin" and record["results"] is None
    assert record["eligibility"]["criteria"] and record["design"]["arms"]


def test_record_show_text_lists_posted_results_sites_and_publications(capsys, sited_library):
    from tests.fakes.demo_records import with_demo_results

    study = with_demo_results(make_study("NCT04000005"))
    sited_library.trials.insert([Trial(id="NCT04000005", brief_title="demo",
                                       status=RegistryStatus.RECRUITING)])
    sited_library.versions.add("NCT04000005", study, "2026-02-27", SEEN)
    _, out, _ = run(capsys, "--data-dir", str(sited_library.path.parent), "show", "NCT04000005")
    assert ("Registry results (3 measures posted, as of the registry update of 2026-02-27; "
            "values as posted") in out
    assert "(median; months; time frame: Up to 3 years)" in out
    assert "Venetoclax + Azacitidine (n = 286): 14.7 (95% Confidence Interval 11.9 to 18.7)" in out
    assert ("analysis: Venetoclax + Azacitidine vs Placebo + Azacitidine: HR 0.66 (95% CI "
            "0.52–0.85), p <0.001; Log Rank") in out
    assert "Sites: 2: China 1 (1 recruiting), Germany 1 (1 recruiting)" in out
    ended = sited_library.trials.get("NCT04000005").model_copy(
        update={"status": RegistryStatus.TERMINATED})
    sited_library.trials.update_registry(ended)
    _, out, _ = run(capsys, "--data-dir", str(sited_library.path.parent), "show", "NCT04000005")
    assert "Sites: 2: China 1, Germany 1 (none recruiting: the trial is terminated)" in out
    assert "Result: DiNardo CD" in out and "<https://pubmed.ncbi.nlm.nih.gov/32786187/>" in out


def test_a_trial_the_registry_no_longer_lists_is_not_recruiting_anywhere(capsys, sited_library):
    """Last seen recruiting, then not found by a sync: its sites take no referral, and it is
    not filed under Recruiting (its status is only what it was last seen as)."""
    berlin = resolve_place("Berlin")
    sited_library.trials.mark_not_found(["NCT04000001"], SEEN)
    gone = sited_library.trials.get("NCT04000001")
    assert gone.status is RegistryStatus.RECRUITING and not gone.takes_patients
    assert gone.current_status is None
    near = [t.id for t in sited_library.trials.list(TrialQuery(near=(berlin.lat, berlin.lon, 50)))]
    assert near == []
    assert "NCT04000001" not in sited_library.sites.nearest_recruiting(berlin.lat, berlin.lon, 50)
    recruiting = {t.id for t in sited_library.trials.list(TrialQuery(status="RECRUITING"))}
    assert "NCT04000001" not in recruiting and "NCT04000002" in recruiting
    not_found = [t.id for t in sited_library.trials.list(TrialQuery(status="state:not_found"))]
    assert not_found == ["NCT04000001"]
    counts = sited_library.trials.facet_counts("status_or_state")
    assert counts["state:not_found"] == 1 and sum(counts.values()) == len(
        sited_library.trials.registry_ids())
    data = ["--data-dir", str(sited_library.path.parent)]
    _, out, _ = run(capsys, *data, "list", "--near", "Berlin", "--within", "50")
    assert "NCT04000001" not in out
    _, out, _ = run(capsys, *data, "list", "--status", "recruiting")
    assert "NCT04000001" not in out and "NCT04000002" in out
    _, out, _ = run(capsys, *data, "show", "NCT04000001")
    assert "Not found in registry (last seen: Recruiting)" in out
    assert "(none recruiting: the registry no longer lists the trial)" in out
