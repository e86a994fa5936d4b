"""An inbox study whose status no search that found it follows says it no longer matches:
a withdrawn study has dropped out of a search for open studies (the check asked for it by
id), whatever had brought it in (`InboxItem.no_longer_matches`)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.unit.test_cli import run
from tests.unit.test_inbox_found_again import (  # noqa: F401 - shared fixture
    DAY1,
    aml_study,
    reasons,
    service,
)
from tracker.domain import Modality, RegistryStatus
from tracker.domain.enums import OPEN_STATUSES
from tracker.domain.inbox import InboxItem

LATER = dt.date(2026, 12, 6)


def test_a_withdrawn_study_asked_for_by_id_no_longer_matches(service, ctgov_server):
    """NCT07000003 had been found again updated ("still matches"); then it was withdrawn, so
    neither search finds it: it no longer matches, and the withdrawal's date is said."""
    ctgov_server.put_studies([aml_study("NCT07000003")])
    service.check(today=DAY1)
    ctgov_server.put_studies([aml_study("NCT07000003", last_update="2026-12-02")])
    service.check(today=dt.date(2026, 12, 3))
    assert reasons(service) == {"NCT07000003": "still matches: updated 2026-12-02"}
    ctgov_server.set_status("NCT07000003", "WITHDRAWN", last_update="2026-12-05",
                            why_stopped="Funding not obtained")
    report = service.check(today=LATER)
    assert [u.nct_id for u in report.updates] == ["NCT07000003"]  # asked for by id
    assert reasons(service) == {
        "NCT07000003": "no longer matches: Withdrawn (updated 2026-12-05)"}


def test_a_study_no_longer_recruiting_matches_while_another_search_follows_its_status(
        service, ctgov_server):
    """Both searches found NCT07000004; only "Recruiting" found NCT07000005 (a CLL study).
    Both stop recruiting. "Ven AML" follows open studies, so NCT07000004 still matches it;
    NCT07000005 no longer matches its only search."""
    ctgov_server.put_studies([aml_study("NCT07000004"), aml_study(
        "NCT07000005", conditions=("Chronic Lymphocytic Leukemia",))])
    service.check(today=DAY1)
    for nct_id in ("NCT07000004", "NCT07000005"):
        ctgov_server.set_status(nct_id, "ACTIVE_NOT_RECRUITING", last_update="2026-12-05")
    service.check(today=LATER)
    assert reasons(service) == {
        "NCT07000004": "still matches: updated 2026-12-05",
        "NCT07000005": "no longer matches: Active not recruiting (updated 2026-12-05)"}


def test_a_search_widened_to_the_study_s_status_matches_it_again(service, ctgov_server):
    ctgov_server.put_studies([aml_study("NCT07000006")])
    service.check(today=DAY1)
    ctgov_server.set_status("NCT07000006", "TERMINATED", last_update="2026-12-05")
    service.check(today=LATER)
    assert reasons(service)["NCT07000006"].startswith("no longer matches: Terminated")
    service.set_statuses("Ven AML", (*OPEN_STATUSES, RegistryStatus.TERMINATED))
    assert reasons(service) == {"NCT07000006": "found by the first check"}


@pytest.mark.parametrize(("status", "followed", "because"), [
    (RegistryStatus.WITHDRAWN, OPEN_STATUSES, "no longer matches: Withdrawn (updated 2026-12-05)"),
    (RegistryStatus.RECRUITING, OPEN_STATUSES, "newly posted 2026-10-01"),
    (RegistryStatus.WITHDRAWN, (), "newly posted 2026-10-01"),  # its searches not known
    (None, OPEN_STATUSES, "newly posted 2026-10-01"),  # a record without a status
])
def test_found_because_says_no_longer_matches_only_for_a_status_no_search_follows(
        status, followed, because):
    item = InboxItem("NCT07000007", "A title", None, (), status, None, "2026-10-01", (), (),
                     ("Ven AML",), Modality.BCL2, "", Modality.BCL2,
                     "2026-11-20T10:00:00+00:00", "posted", last_update_posted="2026-12-05",
                     followed_statuses=followed)
    assert item.found_because() == because


def test_tracker_inbox_says_a_withdrawn_study_no_longer_matches(capsys, ctgov_server,
                                                                _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_studies([aml_study("NCT07000003")])
    api = ctgov_server.base_url
    run(capsys, "searches", "add", "Ven AML", "--intervention", "venetoclax")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Ven AML":
            run(capsys, "searches", "pause", name)
    assert run(capsys, "--api-url", api, "searches", "check")[0] == 0
    today = dt.datetime.now(dt.UTC).date().isoformat()  # within the next check's window
    ctgov_server.set_status("NCT07000003", "WITHDRAWN", last_update=today)
    assert run(capsys, "--api-url", api, "searches", "check")[0] == 0
    listing = run(capsys, "inbox")[1]
    # the reason gives the record's last update: the line does not say the day twice
    assert f"found by: Ven AML · no longer matches: Withdrawn (updated {today})\n" in listing
    [study] = json.loads(run(capsys, "inbox", "--json")[1])
    assert study["found_because"] == f"no longer matches: Withdrawn (updated {today})"
