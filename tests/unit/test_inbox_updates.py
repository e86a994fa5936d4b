"""A check that asks for other inbox studies by id says what their newer records changed:
the studies by id, a new status with the sponsor's reason for a stop, other changes by kind,
a long list cut with "and N more", and counts in proper plurals."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.fakes.faults import Fault
from tests.fakes.filters import posted_study
from tests.fakes.studies import make_study
from tests.unit.discovery_service import one_search_service
from tests.unit.test_cli import run
from tests.unit.test_inbox_accept import ven_study
from tracker.ctgov import RegistryRecord
from tracker.domain import RegistryStatus
from tracker.domain.inbox import summarize_sites
from tracker.domain.inbox_updates import InboxUpdate, updates_line, updates_summary
from tracker.domain.searches import SearchCriteria
from tracker.services.inbox_updates import inbox_updates
from tracker.store.discovery import FoundRow

BASE = {"brief_title": "Venetoclax and azacitidine in AML", "status": "RECRUITING",
        "conditions": ("Acute Myeloid Leukemia",), "sponsor": "AbbVie",
        "start_date": {"value": "2025-01", "kind": "ACTUAL"},
        "primary_completion_date": {"value": "2027-06", "kind": "ESTIMATED"},
        "enrollment": 120, "enrollment_kind": "ESTIMATED", "last_update_posted": "2026-11-02"}
NEXT_UPDATE = {"last_update_posted": "2026-12-01"}


def record(nct_id: str, **fields) -> str:
    return RegistryRecord(nct_id=nct_id, **(BASE | fields)).model_dump_json()


def sites(*statuses: str, recruits: bool = True) -> str:
    listed = [(f"Site {n}", "Paris", "France", status, None, None)
              for n, status in enumerate(statuses)]
    return json.dumps(summarize_sites(listed, None, recruits).as_dict())


def updated(old: tuple[str, str], new: tuple[str, str], nct_id: str = "NCT07000001"):
    """The updates `inbox_updates` finds when `new` (record, sites) replaces `old`."""
    row = FoundRow(nct_id, (nct_id,), new[0], "2024-05-02", "bcl2", "", "", new[1])
    return inbox_updates({nct_id: old}, [row])


def test_a_new_status_is_named_with_why_the_study_stopped():
    """Its sites still marked recruiting no longer count as recruiting: that follows the
    status, so it is not called a change of sites as well."""
    old = (record("NCT07000001"), sites("RECRUITING"))
    new = (record("NCT07000001", status="TERMINATED", why_stopped="Sponsor decision",
                  **NEXT_UPDATE), sites("RECRUITING", recruits=False))
    [update] = updated(old, new)
    assert update.describe() == "NCT07000001 → Terminated (why stopped: Sponsor decision)"


def test_other_changes_are_named_by_kind():
    old = (record("NCT07000002"), sites("RECRUITING"))
    new = (record("NCT07000002", primary_completion_date={"value": "2028-03",
                                                          "kind": "ESTIMATED"},
                  conditions=("Acute Myeloid Leukemia", "Myelodysplastic Syndromes"),
                  **NEXT_UPDATE), sites("RECRUITING", "RECRUITING"))
    [update] = updated(old, new, "NCT07000002")
    assert update.status is None
    # the change log's few words for a date that moved; the rest named once, "changed"
    assert update.describe() == ("NCT07000002: primary completion +9 months, conditions and "
                                 "sites changed")


def test_a_new_status_names_what_else_changed_and_no_leftover_reason():
    old = (record("NCT07000003"), sites("RECRUITING"))
    new = (record("NCT07000003", status="ACTIVE_NOT_RECRUITING", enrollment=96,
                  enrollment_kind="ACTUAL", **NEXT_UPDATE), sites("RECRUITING", recruits=False))
    [update] = updated(old, new, "NCT07000003")
    assert update.describe() == "NCT07000003 → Active not recruiting (also enrollment -20 %)"
    done = (record("NCT07000003", status="COMPLETED", why_stopped="Enrolment reached"),
            sites("COMPLETED"))
    [update] = updated(old, done, "NCT07000003")  # a completed study was not stopped
    assert update.status is RegistryStatus.COMPLETED and update.why_stopped is None
    assert "why stopped:" not in update.describe()


def test_a_record_that_changed_nothing_is_not_called_updated():
    old = (record("NCT07000004"), sites("RECRUITING"))
    assert updated(old, old, "NCT07000004") == []
    [update] = updated(old, (record("NCT07000004", **NEXT_UPDATE), old[1]), "NCT07000004")
    assert update.describe() == "NCT07000004: updated, no change the inbox shows"


def test_the_line_names_new_statuses_first_cuts_a_long_list_and_counts_in_plurals():
    others = [InboxUpdate(f"NCT0700001{n}", kinds=("sites changed",)) for n in range(6)]
    stopped = InboxUpdate("NCT07000099", RegistryStatus.TERMINATED, "Sponsor decision")
    line = updates_line([*others, stopped])
    assert line == (
        "7 other inbox studies changed in the registry (asked for by id): NCT07000099 → "
        "Terminated (why stopped: Sponsor decision); NCT07000010: sites changed; "
        "NCT07000011: sites changed; NCT07000012: sites changed; NCT07000013: sites changed;"
        " and 2 more")
    assert updates_line([stopped]) == (
        "1 other inbox study changed in the registry (asked for by id): NCT07000099 → "
        "Terminated (why stopped: Sponsor decision)")


def test_studies_a_search_found_again_have_their_own_line_by_the_same_rule():
    """Not "other" studies, nor asked for by id; the same order, cut and plurals. A study
    on two pages of the answer is one update."""
    others = [InboxUpdate(f"NCT0700002{n}", kinds=("primary completion changed",)) for n in range(6)]
    assert updates_line(others, found_again=True) == (
        "6 inbox studies changed in the registry (found again by a search): NCT07000020: "
        "primary completion changed; NCT07000021: primary completion changed; NCT07000022: "
        "primary completion changed; NCT07000023: primary completion changed; NCT07000024: "
        "primary completion changed; and 1 more")
    assert updates_line(others[:1], found_again=True) == (
        "1 inbox study changed in the registry (found again by a search): NCT07000020: "
        "primary completion changed")
    old = (record("NCT07000005"), sites("RECRUITING"))
    row = FoundRow("NCT07000005", ("NCT07000005",), record("NCT07000005", **NEXT_UPDATE),
                   "2024-05-02", "bcl2", "", "", old[1])
    assert len(inbox_updates({"NCT07000005": old}, [row, row])) == 1


def test_the_summary_counts_the_studies_that_changed_a_new_stop_first():
    """For the status bar: stops by their status (the most first), then the rest; a study
    named twice (found again and asked for by id) counts once."""
    stop = {"status": RegistryStatus.TERMINATED, "why_stopped": "Sponsor decision"}
    moved = {"kinds": ("primary completion",)}
    assert updates_summary([]) == ""
    assert updates_summary([InboxUpdate("NCT07000001", **stop)]) == "1 inbox study terminated"
    assert updates_summary([InboxUpdate("NCT07000001", **moved),
                            InboxUpdate("NCT07000002", RegistryStatus.RECRUITING)]) == \
        "2 inbox studies changed"  # a study that starts recruiting did not stop
    assert updates_summary([
        InboxUpdate("NCT07000001", **stop), InboxUpdate("NCT07000002", **moved),
        InboxUpdate("NCT07000003", RegistryStatus.WITHDRAWN),
        InboxUpdate("NCT07000004", RegistryStatus.WITHDRAWN),
        InboxUpdate("NCT07000002", **moved)]) == \
        "2 inbox studies withdrawn, 1 terminated, 1 other changed"
    assert updates_summary([InboxUpdate("NCT07000001", **stop),
                            InboxUpdate("NCT07000002", **moved),
                            InboxUpdate("NCT07000005")]) == \
        "1 inbox study terminated, 2 others changed"


def test_tracker_searches_check_names_the_study_and_its_new_status(capsys, ctgov_server,
                                                                   _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_studies([
        posted_study(make_study("NCT07000001", last_update="2026-11-02"), "2026-11-02"),
        posted_study(make_study("NCT07000002", last_update="2026-11-02"), "2026-11-02")])
    api = ctgov_server.base_url
    run(capsys, "searches", "add", "Ven AML", "--intervention", "venetoclax")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Ven AML":
            run(capsys, "searches", "pause", name)
    assert run(capsys, "--api-url", api, "searches", "check")[0] == 0
    today = dt.datetime.now(dt.UTC).date().isoformat()  # within the next check's window
    ctgov_server.set_status("NCT07000001", "TERMINATED", last_update=today,
                            why_stopped="Sponsor decision")
    code, out, _err = run(capsys, "--api-url", api, "searches", "check")
    assert code == 0
    assert ("1 other inbox study changed in the registry (asked for by id): NCT07000001 → "
            "Terminated (why stopped: Sponsor decision)\n") in out
    assert out.endswith("Checked 1 saved search: 0 new in the inbox; 1 inbox study terminated;"
                        " Inbox (2)\n")
    assert "(s)" not in out and "NCT07000002" not in out


def test_tracker_searches_check_names_a_study_found_again_and_what_changed(
        capsys, ctgov_server, _isolated_data_dir):
    """The search finds NCT07000002 again with its primary completion moved: the check says
    so, and the inbox says it still matches (it matched all along)."""
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_studies([posted_study(make_study(
        "NCT07000002", last_update="2026-11-02", primary_completion=("2028-09", "ESTIMATED")),
        "2024-05-02")])
    api = ctgov_server.base_url
    run(capsys, "searches", "add", "Ven AML", "--intervention", "venetoclax")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Ven AML":
            run(capsys, "searches", "pause", name)
    assert run(capsys, "--api-url", api, "searches", "check")[0] == 0
    today = dt.datetime.now(dt.UTC).date().isoformat()  # within the next check's window
    ctgov_server.put_studies([posted_study(make_study(
        "NCT07000002", last_update=today, primary_completion=("2029-03", "ESTIMATED")),
        "2024-05-02")])
    code, out, _err = run(capsys, "--api-url", api, "searches", "check")
    assert code == 0
    assert ("Ven AML: 1 found (posted or updated since the last check, 1 request): 0 new, "
            "1 already in the inbox") in out
    assert ("\n1 inbox study changed in the registry (found again by a search): NCT07000002: "
            "primary completion +6 months\n") in out  # by how much, as the change log says
    assert "asked for by id" not in out
    listing = run(capsys, "inbox")[1]
    assert f"found by: Ven AML · still matches: updated {today}\n" in listing  # said once
    assert "last update posted" not in listing


@pytest.fixture
def ven_cll(seeded_library, ctgov_server):
    yield from one_search_service(seeded_library, ctgov_server, "Ven CLL", SearchCriteria(
        intervention="venetoclax", condition="chronic lymphocytic leukemia"))


def test_a_study_the_answer_by_id_repeats_still_has_its_new_status_reported(
        ven_cll, ctgov_server):
    """The registry's answer by id gives NCT06000001 twice: the second copy is compared with
    the record the inbox had before the answer (Recruiting), not with the first copy, so
    the stop is reported once."""
    ctgov_server.put_studies([ven_study("NCT06000001", "2024-11-02", last_update="2024-11-02"),
                              ven_study("NCT06000002", "2024-11-03", last_update="2024-11-03")])
    ven_cll.check(today=dt.date(2025, 1, 15))
    ctgov_server.set_status("NCT06000001", "TERMINATED", last_update="2025-02-01",
                            why_stopped="Sponsor decision")
    ctgov_server.inject(Fault.CONTRADICTING_COPY, nct_id="NCT06000001", status_text="TERMINATED",
                        last_update="2025-02-01", path="filter.ids")
    report = ven_cll.check(today=dt.date(2025, 2, 2))
    assert [i.status for i in ven_cll.items() if i.nct_id == "NCT06000001"] == [
        RegistryStatus.TERMINATED]
    assert [u.describe() for u in report.updates] == [
        "NCT06000001 → Terminated (why stopped: Sponsor decision)"]
