"""Words of a stopped sync/add dialog (tracker/ui/failure_text.py): plain text, no URLs."""

from __future__ import annotations

from tracker.services.sync_report import SyncReport
from tracker.ui.failure_text import plain_error, stopped_details, stopped_outcome

ERROR = ("the registry at http://127.0.0.1:9/api/v2 could not be reached: connection refused "
         "(3 tries, GET http://127.0.0.1:9/api/v2/studies?filter.ids=NCT02993523)")


def test_the_request_url_goes_behind_details():
    assert plain_error(ERROR) == ("The registry at 127.0.0.1:9 could not be reached: "
                                  "connection refused.")
    report = SyncReport(kind="sync", requested=88, not_checked=[f"N{i}" for i in range(88)],
                        error=ERROR)
    assert ERROR in stopped_details(report)


def test_nothing_checked_reads_none_of_the_trials():
    report = SyncReport(kind="sync", requested=88, not_checked=[f"N{i}" for i in range(88)],
                        error=ERROR)
    outcome = stopped_outcome(report)
    assert outcome.startswith("None of the 88 trials could be checked.")
    assert "88 of 88" not in outcome
    partly = SyncReport(kind="sync", requested=88, not_checked=[f"N{i}" for i in range(30)],
                        error=ERROR)
    assert stopped_outcome(partly).startswith("30 of the 88 trials could not be checked.")


def test_a_stopped_add_says_adding_changed_nothing_not_a_sync():
    report = SyncReport(kind="add", requested=2, not_checked=["NCT02993523", "NCT09999999"],
                        error=ERROR)
    outcome = stopped_outcome(report)
    assert outcome.startswith("None of the 2 trials could be added. Adding changed nothing "
                              "in your library. Check the network connection")
    assert "sync" not in outcome


def test_a_stopped_add_counts_an_id_already_there_apart():
    report = SyncReport(kind="add", requested=2, unchanged=["NCT02993523"],
                        failed={"NCT09999999": ERROR}, error=ERROR)
    assert stopped_outcome(report).startswith(
        "The trial could not be added. Adding changed nothing in your library. NCT02993523 "
        "was already there. Check the network connection")


BATCH_ERROR = ("the registry at http://127.0.0.1:9/api/v2 could not be reached: the connection "
               "was refused (nothing is listening there) (GET http://127.0.0.1:9/api/v2/studies"
               "?filter.ids=(88 ids)&fields=<3 fields>&pageSize=1000)")


def test_a_batch_request_leaves_no_request_detail_behind():
    """The request's own parentheses ("(88 ids)") once left half of it in the dialog."""
    assert plain_error(BATCH_ERROR) == ("The registry at 127.0.0.1:9 could not be reached: the "
                                        "connection was refused (nothing is listening there).")
    assert plain_error("the registry answered GET https://clinicaltrials.gov/api/v2/studies?"
                       "filter.ids=(3 ids)&fields=<9 fields> with HTTP 500") == (
        "The registry answered with HTTP 500.")


def test_the_status_bar_line_is_short_and_says_what_to_do_in_the_dialog():
    from tracker.ui.failure_text import stopped_line

    report = SyncReport(kind="sync", requested=88, not_checked=[f"N{i}" for i in range(88)],
                        error=BATCH_ERROR)
    line = stopped_line(report)
    assert line == ("⚠ Sync stopped: the registry at 127.0.0.1:9 could not be reached: the "
                    "connection was refused (nothing is listening there); nothing was changed.")
    assert stopped_outcome(report).endswith(
        "Check the network connection (and the registry address: Preferences shows the one "
        "in use), then try again.")


def test_a_request_names_its_listed_values_as_what_they_are():
    """A reviewer read the seven statuses of a request as '(7 ids)'."""
    from tracker.ctgov.transport import describe_request

    statuses = ",".join(["RECRUITING", "NOT_YET_RECRUITING", "ACTIVE_NOT_RECRUITING",
                         "ENROLLING_BY_INVITATION"])
    ids = ",".join(f"NCT0000000{n}" for n in range(5))
    shown = describe_request("GET", "https://clinicaltrials.gov/api/v2/studies?"
                             f"filter.overallStatus={statuses}&filter.ids={ids}")
    assert "filter.overallStatus=RECRUITING,…,ENROLLING_BY_INVITATION (4 values)" in shown
    assert "filter.ids=NCT00000000,…,NCT00000004 (5 ids)" in shown
