"""A registry that lies or misbehaves (issue 9), against the loopback API v2 server: wrong
single-study answers, endless pages, partial answers, huge answers and fields, and no network.
Every tracked id ends a sync in exactly one bucket."""

from __future__ import annotations

import json
import socket
import time

import pytest
from urllib3.exceptions import MaxRetryError, NameResolutionError

from tests.fakes.clients import fast_client
from tests.fakes.faults import Fault
from tests.fakes.studies import make_study
from tests.unit.test_cli import run
from tracker.ctgov import CtgovClient, RegistryUnreachableError, ResponseFormatError
from tracker.ctgov.errors import PagingError, WrongStudyError
from tracker.ctgov.fields import TEXT_LIMITS
from tracker.ctgov.retrying import build_retry
from tracker.domain import Trial
from tracker.services.sync import SyncService
from tracker.services.sync_report import SyncReport

IDS = ["NCT02993523", "NCT02242942", "NCT03701282"]
UNRELATED = "NCT09999999"


@pytest.fixture
def library(empty_library):
    empty_library.trials.insert([
        Trial(id="NCT02993523", acronym="VIALE-A", brief_title="Venetoclax + azacitidine",
              id_provenance="curator"),
        Trial(id="NCT02242942", acronym="CLL14", brief_title="Venetoclax-obinutuzumab"),
        Trial(id="NCT03701282", acronym="GLOW", brief_title="Ibrutinib-venetoclax"),
    ])
    empty_library.notes.add("NCT02993523", "ask about MRD")
    empty_library.watchlists.create("AML")
    empty_library.watchlists.add("AML", ["NCT02993523"])
    return empty_library


@pytest.fixture
def server(ctgov_server):
    ctgov_server.put_studies([make_study(i, last_update="2024-06-01") for i in IDS])
    ctgov_server.put_study(make_study(UNRELATED, title="An unrelated study"))
    return ctgov_server


@pytest.fixture
def sync(library, server):
    client = fast_client(server)

    def go(ids=None, **options):
        return SyncService(library, client).sync(ids, **options)

    yield go
    client.close()


def buckets(report: SyncReport) -> list[str]:
    """Every id the report puts in a bucket, once per bucket it is in."""
    return [*report.first_seen, *(line.trial_id for line in report.changed), *report.updated,
            *report.unchanged, *(old for old, _ in report.rekeyed), *report.not_found,
            *report.failed, *report.not_checked]


def assert_accounted(report: SyncReport, ids) -> None:
    assert sorted(buckets(report)) == sorted(ids)  # each exactly once
    assert report.settled_count() == report.requested == len(ids)


# -- a wrong single-study answer never re-keys ---------------------------------------------------

def test_a_wrong_single_study_answer_fails_the_trial_instead_of_rekeying_it(library, server, sync):
    # the batch answer and the second look at NCT02993523 both answer with another study
    server.inject(Fault.WRONG_STUDY, times=2, nct_id="NCT02993523", answer_id=UNRELATED)
    report = sync()
    assert report.rekeyed == []
    assert "NCT02993523" in report.failed and UNRELATED in report.failed["NCT02993523"]
    assert "does not list NCT02993523" in report.failed["NCT02993523"]
    trial = library.trials.get("NCT02993523")
    assert trial.id == "NCT02993523" and trial.status is None and trial.acronym == "VIALE-A"
    assert not library.trials.exists(UNRELATED)
    assert [n.body for n in library.notes.for_trial("NCT02993523")] == ["ask about MRD"]
    assert library.watchlists.get("AML").trial_ids == ("NCT02993523",)
    assert not report.ok
    assert_accounted(report, IDS)


def test_get_study_refuses_another_study_but_follows_a_real_alias(server):
    client = fast_client(server)
    server.inject(Fault.WRONG_STUDY, answer_id=UNRELATED)
    with pytest.raises(WrongStudyError, match="does not list NCT02993523"):
        client.get_study("NCT02993523")
    server.add_alias("NCT02242942", UNRELATED)
    assert client.get_study("NCT02242942").nct_id == UNRELATED
    client.close()


def test_an_alias_still_rekeys(library, server, sync):
    server.add_alias("NCT02993523", UNRELATED)
    report = sync()
    assert report.rekeyed == [("NCT02993523", UNRELATED)]
    assert library.trials.get(UNRELATED).aliases == ("NCT02993523",)
    assert_accounted(report, IDS)


# -- pagination is bounded ----------------------------------------------------------------------

def test_a_repeated_page_token_stops_with_a_message(library, server, sync):
    server.inject(Fault.REPEAT_PAGE_TOKEN, times=1000)
    started = time.monotonic()
    report = sync()
    assert time.monotonic() - started < 5
    assert len(server.requests) == 2
    assert "nextPageToken it had already sent" in report.error
    assert not report.ok
    assert_accounted(report, IDS)


def test_pages_that_never_end_stop_after_as_many_pages_as_ids(server):
    server.inject(Fault.ENDLESS_PAGES, times=1000)
    client = fast_client(server)
    with pytest.raises(PagingError, match="more pages"):
        list(client.fetch_records(IDS, full=False))
    assert len(server.requests) == len(IDS) + 1
    client.close()


def test_endless_pages_end_a_cli_sync_with_exit_1(capsys, library, server, _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    assert run(capsys, "--api-url", server.base_url, "add", "NCT03701282")[0] == 0
    run(capsys, "watchlist", "create", "AML")
    assert run(capsys, "watchlist", "add", "AML", *IDS)[0] == 0
    server.clear_log()
    server.inject(Fault.ENDLESS_PAGES, times=1000)
    code, _, err = run(capsys, "--api-url", server.base_url, "sync", "--watchlist", "AML")
    assert code == 1 and "more pages" in err
    assert len(server.requests) <= len(IDS) + 1


# -- no silent partial success ------------------------------------------------------------------

def test_a_study_without_a_usable_id_fails_the_trial_it_hides(library, server, sync):
    server.inject(Fault.ANONYMOUS_STUDY, times=5, nct_id="NCT02242942")
    report = sync()
    assert list(report.failed) == ["NCT02242942"]
    assert "without a usable NCT id" in report.failed["NCT02242942"]
    assert report.anonymous and "has no nctId" in report.anonymous[0]
    assert any("ignored:" in line and "malformed" in line for line in report.summary_lines())
    assert library.trials.get("NCT02242942").status is None
    assert library.trials.get("NCT02993523").status is not None
    assert not report.ok
    assert_accounted(report, IDS)


def test_studies_nobody_asked_for_are_reported_and_ignored(library, server, sync):
    server.inject(Fault.EXTRA_STUDY, times=5, nct_id="NCT01234567")
    report = sync()
    assert report.unasked == ["NCT01234567"]
    assert any("nobody asked for (NCT01234567)" in line for line in report.summary_lines())
    assert not library.trials.exists("NCT01234567")
    assert report.ok and len(report.first_seen) == 3
    assert_accounted(report, IDS)


def test_cli_counts_add_up_and_a_hidden_trial_exits_1(capsys, server, _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    assert run(capsys, "--api-url", server.base_url, "add", "NCT03701282")[0] == 0
    run(capsys, "watchlist", "create", "AML")
    assert run(capsys, "watchlist", "add", "AML", *IDS)[0] == 0
    server.inject(Fault.ANONYMOUS_STUDY, times=5, nct_id="NCT03701282")
    code, out, _ = run(capsys, "--api-url", server.base_url, "sync", "--watchlist", "AML")
    assert code == 1
    headline = out.splitlines()[0]
    assert headline.startswith("3 trials checked:")
    counts = [int(word) for word in headline.split(":", 1)[1].replace(",", " ").split()
              if word.isdigit()]
    assert sum(counts) == 3 and "1 failed" in headline


def test_a_cancelled_sync_counts_the_rest_as_not_checked(library, server):
    client = fast_client(server, ids_per_request=1)
    import threading
    cancel = threading.Event()
    report = SyncService(library, client).sync(
        progress=lambda done, total: cancel.set() if done else None, cancel=cancel)
    client.close()
    assert report.cancelled and report.not_checked and report.first_seen
    assert_accounted(report, IDS)


# -- answers and fields are bounded ---------------------------------------------------------------

def test_a_megabyte_title_is_cut_and_the_cut_reported(library, server, sync, tmp_path):
    server.put_study(make_study("NCT02242942", title="T" * 1_000_000, summary="S" * 300_000,
                                conditions=tuple(f"c{i}" for i in range(1000))))
    report = sync()
    trial = library.trials.get("NCT02242942")
    assert len(trial.brief_title) == TEXT_LIMITS["brief_title"]
    assert len(trial.official_title) == TEXT_LIMITS["official_title"]
    assert len(trial.brief_summary) == TEXT_LIMITS["brief_summary"]
    assert len(trial.conditions) == 200
    cut = "; ".join(report.cut["NCT02242942"])
    assert "brief_title: 1,000,000 characters, kept 1,000" in cut
    assert "conditions: 1,000 items, kept 200" in cut
    assert any(line.startswith("  cut to size: NCT02242942") for line in report.summary_lines())
    library.database.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    size = sum(p.stat().st_size for p in tmp_path.iterdir() if p.is_file())
    assert size < 3_000_000
    assert_accounted(report, IDS)


def test_an_oversized_answer_stops_the_sync_without_reading_it_all(library, server):
    client = fast_client(server, max_answer_bytes=20_000)
    server.put_study(make_study("NCT02242942", summary="S" * 50_000))
    report = SyncService(library, client).sync()
    client.close()
    assert "more than" in report.error and "MB" in report.error
    assert all(library.trials.get(i).status is None for i in IDS)
    assert_accounted(report, IDS)


def test_the_client_reads_no_answer_past_its_limit(server):
    server.put_study(make_study("NCT02242942", summary="S" * 50_000))
    client = fast_client(server, max_answer_bytes=20_000)
    with pytest.raises(ResponseFormatError, match="not read to the end"):
        client.get_study("NCT02242942")
    assert client.get_study("NCT02993523").nct_id == "NCT02993523"  # still usable
    client.close()


# -- offline is quick to say so --------------------------------------------------------------------

def _closed_port() -> int:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def test_connection_refused_is_not_retried_and_said_once(library):
    client = CtgovClient(f"http://127.0.0.1:{_closed_port()}/api/v2", pace_seconds=0)
    started = time.monotonic()
    report = SyncService(library, client).sync()  # default settings: 5 tries, 0.5 s backoff
    elapsed = time.monotonic() - started
    assert client.stats.requests == 1 and client.stats.retries == 0
    client.close()
    assert elapsed < 1.0
    assert report.checked_nothing and report.summary_lines() == []
    assert report.stopped_text().startswith("The sync stopped before checking any trial:")
    assert "refused" in report.stopped_text()
    assert "trials checked" not in report.stopped_text()
    assert_accounted(report, IDS)


def test_a_dns_failure_is_not_retried():
    retry = build_retry(max_tries=5, max_retry_seconds=60, backoff_factor=0.5)
    error = NameResolutionError("no-such-host.invalid", None, socket.gaierror("unknown host"))
    with pytest.raises(MaxRetryError):
        retry.increment("GET", "/studies", error=error)
    # a connect timeout is still worth another try
    from urllib3.exceptions import ConnectTimeoutError
    assert retry.increment("GET", "/studies", error=ConnectTimeoutError("slow")).total == 3


def test_cli_with_an_unresolvable_host_says_so_once_without_retrying(capsys, _isolated_data_dir):
    # .invalid never resolves (RFC 6761); default preferences: 5 tries, 0.5 s backoff
    code, out, err = run(capsys, "--api-url", "http://registry.invalid/api/v2", "sync")
    assert code == 1 and out == ""
    assert err.count("could not be reached") == 1 and "could not be resolved" in err
    assert "tries" not in err  # one try, not five
    assert "trials checked" not in err and "were not checked" not in err


def test_pages_repeating_the_same_studies_count_each_trial_once(library, server, sync):
    server.inject(Fault.ENDLESS_PAGES, times=1000)
    report = sync()
    assert "more pages" in report.error
    assert sorted(report.first_seen) == sorted(IDS)  # page 1 applied, its repeats ignored
    assert_accounted(report, IDS)


# -- adding trials from a registry that lies -------------------------------------------------

NEW = ["NCT06900101", "NCT06900102"]


def _add(library, server, ids, *, put=True):
    from tracker.services.registry import RegistryService

    if put:
        server.put_studies([make_study(i) for i in NEW])
    with fast_client(server) as client:
        return RegistryService(library, client).add(ids)


def added_buckets(report: SyncReport) -> list[str]:
    return [*report.added, *report.unchanged, *report.not_found, *report.failed,
            *report.not_checked]


def test_adding_never_stores_a_study_nobody_asked_for(library, server):
    server.inject(Fault.WRONG_STUDY, times=5, nct_id="NCT06900101", answer_id="NCT09999998")
    report = _add(library, server, NEW)
    assert not library.trials.exists("NCT09999998")
    assert "NCT09999998" in report.unasked
    assert report.added == ["NCT06900102"]
    assert "a different study, NCT09999998" in report.failed["NCT06900101"]
    assert report.error is None  # one lying answer fails one trial, not the run
    assert sorted(added_buckets(report)) == sorted(NEW) and not report.ok


def test_adding_fails_the_trial_a_malformed_study_hides_instead_of_dropping_it(library, server):
    server.inject(Fault.ANONYMOUS_STUDY, times=5, nct_id="NCT06900101")
    report = _add(library, server, NEW)
    assert report.added == ["NCT06900102"]
    assert "without a usable NCT id" in report.failed["NCT06900101"]
    assert report.settled_count() == report.requested == 2
    assert not library.trials.exists("NCT06900101")


def test_adding_an_old_id_stores_the_study_under_its_current_id(library, server):
    server.put_studies([make_study(i) for i in NEW])
    server.add_alias("NCT05000001", "NCT06900102")
    report = _add(library, server, ["NCT05000001"], put=False)
    assert report.added == ["NCT06900102"] and report.ok
    assert library.trials.exists("NCT06900102")


def test_a_registry_dripping_its_answer_is_cut_off_at_the_answer_deadline(server):
    server.inject(Fault.DRIP, times=1, delay=0.05)
    client = fast_client(server, read_timeout=5, answer_timeout=1.0)
    started = time.monotonic()
    with pytest.raises(RegistryUnreachableError, match="no complete answer within 1 s"):
        client.get_study("NCT02242942")
    assert time.monotonic() - started < 4  # not the read timeout per byte, for ever
    assert client.get_study("NCT02993523").nct_id == "NCT02993523"  # still usable
    client.close()


def test_a_record_older_than_the_stored_one_is_said_in_the_summary(library, server, sync):
    sync()  # stored with last update 2024-06-01
    server.put_study(make_study("NCT02242942", last_update="2020-01-01", status="COMPLETED"))
    report = sync()
    assert report.older == {"NCT02242942": ("2024-06-01", "2020-01-01")}
    line = next(line for line in report.summary_lines() if "older record" in line)
    assert "NCT02242942" in line and "2020-01-01, before the 2024-06-01" in line
    # the status it brought says where it came from, where the major changes are listed
    hint = ("(from an older registry record, last updated 2020-01-01, before the 2024-06-01 "
            "stored: check it on ClinicalTrials.gov)")
    [major] = [line for line in report.major_lines() if line.startswith("NCT02242942")]
    assert major.endswith(f"→ Completed {hint}")
    assert any(line.startswith("  changed: NCT02242942") and line.endswith(hint)
               for line in report.summary_lines())
    assert_accounted(report, IDS)


def test_two_different_records_for_one_trial_in_one_answer_fail_it_unchanged(library, server,
                                                                             sync):
    """The registry answers for CLL14 twice in one page: as recruiting, and as withdrawn with
    a newer date. Neither is taken on trust: the trial fails, as it was, and says why."""
    server.inject(Fault.CONTRADICTING_COPY, nct_id="NCT02242942", status_text="WITHDRAWN",
                  last_update="2025-01-01")
    report = sync()
    assert "NCT02242942" in report.failed and not report.ok
    assert ("the registry sent 2 different records for NCT02242942 in one answer (last "
            "updated 2024-06-01 and 2025-01-01)") in report.failed["NCT02242942"]
    kept = library.trials.get("NCT02242942")
    assert kept.status is None and kept.registry_state.value == "never_synced"
    assert library.versions.latest("NCT02242942") is None
    assert sorted(report.first_seen) == ["NCT02993523", "NCT03701282"]  # the others synced
    assert_accounted(report, IDS)
    report = sync()  # the registry agrees with itself again
    assert report.ok and library.trials.get("NCT02242942").status.value == "RECRUITING"


def test_the_same_record_twice_in_one_answer_is_taken_once(library, server, sync):
    server.inject(Fault.CONTRADICTING_COPY, nct_id="NCT02242942", status_text="RECRUITING",
                  last_update="2024-06-01")
    report = sync()
    assert report.ok and "NCT02242942" in report.first_seen
    assert len(library.versions.for_trial("NCT02242942")) == 1
    assert_accounted(report, IDS)


def test_a_results_answer_older_than_the_record_does_not_replace_it(library, server, sync):
    """The first answer says CLL14 has results and was updated 2024-06-01; the answer with
    its results is a stale copy (2019, recruiting). The newer record is kept, without the
    results, and the summary says so; the next sync fetches the results."""
    from tests.fakes.demo_records import with_demo_results

    study = with_demo_results(make_study("NCT02242942", status="ACTIVE_NOT_RECRUITING"))
    study["protocolSection"]["statusModule"]["lastUpdatePostDateStruct"]["date"] = "2024-06-01"
    server.put_study(study)
    server.inject(Fault.OLDER_COPY, nct_id="NCT02242942", path="resultsSection",
                  status_text="RECRUITING", last_update="2019-01-01")
    report = sync()
    trial = library.trials.get("NCT02242942")
    assert trial.status.value == "ACTIVE_NOT_RECRUITING"
    assert trial.last_update_posted == "2024-06-01"
    assert report.stale_results == {"NCT02242942": ("2024-06-01", "2019-01-01")}
    line = next(line for line in report.summary_lines() if "results not stored" in line)
    assert "dated 2019-01-01, before the record of 2024-06-01" in line
    assert "resultsSection" not in library.versions.latest("NCT02242942")
    assert_accounted(report, IDS)
    report = sync()  # the registry's answers agree again: the results are stored
    assert not report.stale_results
    assert "resultsSection" in library.versions.latest("NCT02242942")


# -- impossible values from a lying registry (a hostile-input review) ----------------------------
def test_an_enrollment_no_study_reaches_is_left_out_and_the_sync_goes_on(library, server, sync):
    """2**63 patients crashed the whole batch (OverflowError writing SQLite) and lost the
    good trials with it; -5 was left out of the trial but logged as a major change."""
    sync()  # stored as enrolling 120 (estimated)
    server.put_studies([
        make_study("NCT02993523", last_update="2024-07-01", enrollment=(2**63, "ACTUAL")),
        make_study("NCT02242942", last_update="2024-07-01", enrollment=(-5, "ACTUAL")),
        make_study("NCT03701282", last_update="2024-07-01", status="COMPLETED")])
    report = sync()
    assert report.ok and [line.trial_id for line in report.changed] == ["NCT03701282"]
    assert report.cut["NCT02993523"] == (
        "enrollment: an implausible count (9,223,372,036,854,775,808; at most 100,000,000), "
        "left out",)
    assert report.cut["NCT02242942"] == ("enrollment: a negative count (-5), left out",)
    assert library.trials.get("NCT02993523").enrollment is None
    logged = [c for c in library.changes.since(None) if c.field == "enrollment"]
    assert {(c.old, c.new, c.significance) for c in logged} == {  # the count is gone; no
        ("120 (estimated)", None, "minor")}  # -5 or 2**63 is ever a value, let alone major
    assert_accounted(report, IDS)


def test_a_date_no_registry_holds_makes_the_record_malformed(library, server, sync):
    """'0001-01-01' was taken as a primary completion 24,305 months early (a major change in
    the handout), '9999-12-31' as a last update every later record was 'older' than."""
    sync()
    server.put_studies([
        make_study("NCT02993523", last_update="2024-07-01", primary_completion=("0001-01-01",
                                                                               "ACTUAL")),
        make_study("NCT02242942", last_update="9999-12-31", status="COMPLETED"),
        make_study("NCT03701282", last_update="2024-07-01", status="COMPLETED")])
    report = sync()
    assert [line.trial_id for line in report.changed] == ["NCT03701282"]
    assert "the year 0001 is not plausible (expected 1900–2100)" in report.failed["NCT02993523"]
    assert "the year 9999 is not plausible" in report.failed["NCT02242942"]
    assert library.trials.get("NCT02242942").last_update_posted == "2024-06-01"
    assert_accounted(report, IDS)


def test_a_record_listing_more_sites_than_any_trial_gives_the_library_five_thousand(
        library, server, sync):
    """One record listing 50,000 sites logged 100,007 changes (a library of 0.5 MB grew to
    22 MB); the largest real trials list one or two thousand."""
    sync()
    study = make_study("NCT02993523", last_update="2024-07-01")
    template = study["protocolSection"]["contactsLocationsModule"]["locations"][0]
    study["protocolSection"]["contactsLocationsModule"]["locations"] = [
        {**template, "facility": f"Site {n}"} for n in range(6_000)]
    server.put_study(study)
    report = sync(["NCT02993523"])
    assert report.cut["NCT02993523"] == ("locations: 6,000 sites, kept 5,000",)
    stored = library.database.execute("SELECT count(*) FROM trial_sites WHERE trial_id = ?",
                                      ("NCT02993523",)).fetchone()[0]
    assert stored == 5_000
    logged = [c for c in library.changes.since(None) if c.trial_id == "NCT02993523"]
    assert len(logged) <= 5_002
