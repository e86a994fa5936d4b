"""Exports of trials stopped early or no longer listed by the registry: the CSV says a trial
has gone (as every other format does), the calendar announces no future completion of a
trial that will not complete, and every calendar event carries the trial's status."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from tracker.domain import Trial
from tracker.services.exports import export_bytes

NOW = dt.datetime(2026, 12, 3, 9, 30, tzinfo=dt.UTC)
LIST = "Heme JC – December"
FUTURE = {"primary_completion_date": {"value": "2027-06", "kind": "ESTIMATED"},
          "completion_date": {"value": "2027-12-01", "kind": "ESTIMATED"}}


def _trial(nct: str, acronym: str, status: str, state: str = "found", **fields) -> Trial:
    return Trial(id=nct, acronym=acronym, brief_title=f"{acronym} study", modality="car-t",
                 status=status, registry_state=state, **{**FUTURE, **fields})


@pytest.fixture
def library(empty_library):
    empty_library.trials.insert([
        _trial("NCT03361748", "KarMMa", "ACTIVE_NOT_RECRUITING", "not_found"),
        _trial("NCT03548207", "CARTITUDE-1", "TERMINATED", why_stopped="Sponsor decision"),
        _trial("NCT05602779", "WITHDRAWN-X", "WITHDRAWN"),
        _trial("NCT04272151", "SUSPENDED-Y", "SUSPENDED"),
        _trial("NCT02348216", "ZUMA-1", "ACTIVE_NOT_RECRUITING", status_verified="2026-10"),
        _trial("NCT04628494", "STALE-Z", "UNKNOWN", last_known_status="RECRUITING",
               status_verified="2019-12"),
    ], added_at=NOW)
    empty_library.watchlists.create(LIST, meeting_date=dt.date(2026, 12, 10))
    empty_library.watchlists.add(LIST, ["NCT03361748", "NCT03548207", "NCT05602779",
                                        "NCT04272151", "NCT02348216", "NCT04628494"])
    return empty_library


def _csv_rows(library) -> dict[str, dict[str, str]]:
    text = export_bytes(library, LIST, "csv", now=NOW).decode("utf-8-sig")
    return {r["NCT Number"]: r for r in csv.DictReader(io.StringIO(text, newline=""))}


def test_csv_says_a_trial_is_no_longer_in_the_registry(library):
    rows = _csv_rows(library)
    gone = rows["NCT03361748"]
    assert gone["Study Status"] == ""  # its last-seen status is not presented as current
    assert gone["Registry Record"] == "not_found"
    assert gone["Status Note"] == "Not found in the registry (last seen: Active not recruiting)"
    found = rows["NCT02348216"]
    assert (found["Study Status"], found["Registry Record"], found["Status Note"]) == (
        "ACTIVE_NOT_RECRUITING", "found", "")
    stale = rows["NCT04628494"]
    assert stale["Study Status"] == "UNKNOWN"
    assert stale["Status Note"] == "last known: Recruiting; last verified 2019-12"


def _events(library, now: dt.datetime = NOW) -> dict[str, object]:
    from icalendar import Calendar

    calendar = Calendar.from_ical(export_bytes(library, LIST, "ics", now=now))
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def _by_uid(library, now: dt.datetime) -> dict[str, object]:
    return {str(e["UID"]): e for e in _events(library, now).values()}


def test_calendar_has_no_milestones_of_trials_stopped_early_or_gone(library):
    events = _events(library)
    milestones = sorted(s for s, e in events.items()
                        if "completion" in s and e.get("STATUS") != "CANCELLED")
    # terminated, withdrawn, suspended and delisted trials will not complete as planned
    assert milestones == ["STALE-Z (NCT04628494): completion (estimated)",
                          "STALE-Z (NCT04628494): primary completion (estimated)",
                          "ZUMA-1 (NCT02348216): completion (estimated)",
                          "ZUMA-1 (NCT02348216): primary completion (estimated)"]


def test_every_calendar_event_names_the_trials_status(library):
    events = _events(library)
    description = str(events["ZUMA-1 (NCT02348216): completion (estimated)"]["DESCRIPTION"])
    assert "Status: Active not recruiting." in description
    description = str(events["STALE-Z (NCT04628494): completion (estimated)"]["DESCRIPTION"])
    assert "Status: Unknown (last known: Recruiting; last verified 2019-12)." in description
    meeting = str(events["Journal club: Heme JC – December (6 trials)"]["DESCRIPTION"])
    lines = meeting.splitlines()
    assert ("- KarMMa (NCT03361748): Status: Not found in the registry (last seen: Active not "
            "recruiting). https://clinicaltrials.gov/study/NCT03361748") in lines
    assert ("- CARTITUDE-1 (NCT03548207): Status: Terminated (why stopped: Sponsor decision). "
            "https://clinicaltrials.gov/study/NCT03548207") in lines
    assert any(line.startswith("- WITHDRAWN-X (NCT05602779): Status: Withdrawn.")
               for line in lines)


def test_their_dates_are_cancelled_events_so_an_earlier_import_drops_them(library):
    """A calendar that imported last month's file keeps an event a new file merely leaves
    out: the same UID with a later SEQUENCE and STATUS:CANCELLED replaces it."""
    events = _events(library)
    cancelled = {s: e for s, e in events.items() if e.get("STATUS") == "CANCELLED"}
    terminated = cancelled["CARTITUDE-1 (NCT03548207): completion (estimated), cancelled: "
                           "Terminated"]
    assert str(terminated["UID"]) == "NCT03548207-completion@trial-tracker"  # as exported
    assert int(terminated["SEQUENCE"]) > 1  # above what a milestone was ever exported with
    assert "will not reach this date as planned" in str(terminated["DESCRIPTION"])
    assert sorted({s.split(" (")[0] for s in cancelled}) == [
        "CARTITUDE-1", "KarMMa", "SUSPENDED-Y", "WITHDRAWN-X"]
    assert len(cancelled) == 8  # primary completion and completion of each


def test_a_completed_trial_whose_record_still_gives_future_dates_gets_no_milestone(library):
    """Registries often leave a completed study's estimated dates as they were: it has
    reached them, so no "completion (estimated)" reminder lies ahead of the meeting."""
    library.trials.insert([_trial("NCT02445248", "JULIET", "COMPLETED")], added_at=NOW)
    library.watchlists.add(LIST, ["NCT02445248"])
    events = _events(library)
    juliet = {s: e for s, e in events.items() if s.startswith("JULIET")}
    assert sorted(juliet) == [
        "JULIET (NCT02445248): completion (estimated), cancelled: Completed",
        "JULIET (NCT02445248): primary completion (estimated), cancelled: Completed"]
    for event in juliet.values():
        assert event["STATUS"] == "CANCELLED" and int(event["SEQUENCE"]) > 1
        assert "has completed: its record has not updated this date" in str(
            event["DESCRIPTION"])


def test_a_suspended_trials_dates_are_on_hold_not_ended(library):
    """A suspension is a hold: its cancelled dates do not say the trial will not reach them."""
    events = _events(library)
    suspended = str(events["SUSPENDED-Y (NCT04272151): completion (estimated), cancelled: "
                           "Suspended"]["DESCRIPTION"])
    assert suspended.endswith("The trial is suspended: this date is on hold.")
    assert "will not reach" not in suspended
    withdrawn = str(events["WITHDRAWN-X (NCT05602779): completion (estimated), cancelled: "
                           "Withdrawn"]["DESCRIPTION"])
    assert withdrawn.endswith("The trial will not reach this date as planned.")


def test_a_milestone_back_after_a_suspension_outranks_its_cancellation(library):
    """December's file cancelled the suspended trial's milestone; once it recruits again,
    January's file brings it back with a higher SEQUENCE, so the calendar shows it again."""
    uid = "NCT04272151-completion@trial-tracker"
    cancelled = _by_uid(library, NOW)[uid]
    assert cancelled["STATUS"] == "CANCELLED"
    library.trials.update_registry(_trial("NCT04272151", "SUSPENDED-Y", "RECRUITING"))
    back = _by_uid(library, NOW + dt.timedelta(days=30))[uid]
    assert back["STATUS"] == "TENTATIVE"
    assert int(back["SEQUENCE"]) > int(cancelled["SEQUENCE"])


def test_a_moved_milestone_and_the_meeting_get_a_higher_sequence_each_export(library):
    """A client moves an event it already holds only for a higher SEQUENCE."""
    uid = "NCT02348216-primary-completion@trial-tracker"
    before = _by_uid(library, NOW)
    library.trials.update_registry(_trial(
        "NCT02348216", "ZUMA-1", "ACTIVE_NOT_RECRUITING",
        primary_completion_date={"value": "2028-09", "kind": "ESTIMATED"}))
    after = _by_uid(library, NOW + dt.timedelta(minutes=5))
    assert (before[uid]["DTSTART"].dt, after[uid]["DTSTART"].dt) == (
        dt.date(2027, 6, 1), dt.date(2028, 9, 1))
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    meeting = "meeting-1-20261210@trial-tracker"
    assert int(after[meeting]["SEQUENCE"]) > int(before[meeting]["SEQUENCE"])
    assert {int(e["SEQUENCE"]) for e in after.values()} == {int(after[uid]["SEQUENCE"])}
