"""An estimated date a trial still under way has passed is "overdue" in the detail pane and
`tracker show`: the registry still plans a day that is gone (a stale record, or a late
trial). A completed or stopped trial's leftover estimates are not called late."""

from __future__ import annotations

import datetime as dt

from tracker.cli.render import _field_lines
from tracker.domain import PartialDate, Trial, users_today
from tracker.ui.detail_sections import overview

PASSED = {"value": "2026-06", "kind": "ESTIMATED"}
AHEAD = {"value": f"{users_today().year + 2}-03", "kind": "ESTIMATED"}


def _trial(status: str, state: str = "found") -> Trial:
    return Trial(id="NCT05000001", brief_title="A trial", status=status,
                 registry_state=state, start_date={"value": "2024-01", "kind": "ACTUAL"},
                 primary_completion_date=PASSED, completion_date=AHEAD)


def test_a_partial_date_spans_its_month_or_year():
    june = PartialDate(value="2026-06")
    assert (june.earliest(), june.latest()) == (dt.date(2026, 6, 1), dt.date(2026, 6, 30))
    assert PartialDate(value="2024-02").latest() == dt.date(2024, 2, 29)
    assert PartialDate(value="2026").latest() == dt.date(2026, 12, 31)
    assert PartialDate(value="2026-06-15").latest() == dt.date(2026, 6, 15)
    estimated = PartialDate(**PASSED)
    assert estimated.display(dt.date(2026, 6, 30)) == "2026-06 (est.)"  # its last day
    assert estimated.display(dt.date(2026, 7, 1)) == "2026-06 (est., overdue)"
    assert estimated.display() == "2026-06 (est.)"


def test_a_running_trial_shows_an_estimated_date_it_passed_as_overdue():
    recruiting = _trial("RECRUITING")
    lines = "\n".join(_field_lines(recruiting))
    assert "  Primary completion:  2026-06 (est., overdue)" in lines
    assert f"  Completion:          {AHEAD['value']} (est.)" in lines  # still ahead
    assert "  Start:               2024-01\n" in lines  # actual dates are never late
    assert "2026-06 (est., overdue)" in overview(recruiting, "")


def test_a_completed_or_stopped_trial_is_never_called_late():
    for status in ("COMPLETED", "TERMINATED", "WITHDRAWN"):
        trial = _trial(status)
        assert "overdue" not in "\n".join(_field_lines(trial)), status
        assert "overdue" not in overview(trial, ""), status
    gone = _trial("RECRUITING", state="not_found")  # its status is only as last seen
    assert "overdue" not in "\n".join(_field_lines(gone))


def test_a_card_says_overdue_by_the_same_rule(empty_library):
    from tracker.ui.formatting import completion_text

    running, done = _trial("RECRUITING"), _trial("COMPLETED")
    empty_library.trials.insert([running, done.model_copy(update={"id": "NCT05000002"})])
    cards = empty_library.cards.all_cards()
    assert cards["NCT05000001"].primary_completion_overdue
    assert not cards["NCT05000002"].primary_completion_overdue
    card = cards["NCT05000001"]
    assert completion_text(card.primary_completion, card.primary_completion_estimated,
                           card.primary_completion_overdue) == \
        "Primary completion 2026-06 (est., overdue)"
    assert completion_text("2026-06", True) == "Primary completion 2026-06 (est.)"


def test_tracker_inbox_calls_a_passed_estimate_of_a_running_study_overdue(
        capsys, ctgov_server, _isolated_data_dir):
    """`tracker inbox` by the same rule, against the user's day: the recruiting study's
    passed estimate is overdue, the completed one's is not, nor a date still ahead."""
    import json

    from tests.fakes.filters import posted_study
    from tests.fakes.studies import make_study
    from tests.unit.test_cli import run

    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ahead = (AHEAD["value"], "ESTIMATED")
    ctgov_server.put_studies([
        posted_study(make_study("NCT06900201", primary_completion=("2025-06", "ESTIMATED"),
                                start=ahead), "2024-05-02"),
        posted_study(make_study("NCT06900202", status="COMPLETED",
                                primary_completion=("2025-06", "ESTIMATED")), "2024-05-03")])
    run(capsys, "searches", "add", "Ven", "--intervention", "venetoclax", "--status",
        "RECRUITING", "--status", "COMPLETED")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Ven":
            run(capsys, "searches", "pause", name)
    assert run(capsys, "--api-url", ctgov_server.base_url, "searches", "check")[0] == 0
    listing = run(capsys, "inbox")[1].split("NCT069002")
    [running] = [part for part in listing if part.startswith("01")]
    [completed] = [part for part in listing if part.startswith("02")]
    assert "primary completion 2025-06 (est., overdue)" in running
    assert f"start {AHEAD['value']} (est.) ·" in running
    assert "primary completion 2025-06 (est.)" in completed and "overdue" not in completed


def test_tracker_inbox_json_carries_the_overdue_flag_the_listing_shows(
        capsys, ctgov_server, _isolated_data_dir):
    """`start_overdue` and `primary_completion_overdue`, by the listing's rule: a running
    study's passed estimate, not one still ahead, nor a completed study's, nor an actual
    date; `inbox dismissed --json` carries them too."""
    import json

    from tests.fakes.filters import posted_study
    from tests.fakes.studies import make_study
    from tests.unit.test_cli import run

    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ahead = (AHEAD["value"], "ESTIMATED")
    ctgov_server.put_studies([
        posted_study(make_study("NCT06900201", primary_completion=("2025-06", "ESTIMATED"),
                                start=ahead), "2024-05-02"),
        posted_study(make_study("NCT06900202", status="COMPLETED",
                                primary_completion=("2025-06", "ESTIMATED")), "2024-05-03"),
        posted_study(make_study("NCT06900203", start=("2024-01", "ESTIMATED"),
                                primary_completion=("2025-06", "ACTUAL")), "2024-05-04")])
    run(capsys, "searches", "add", "Ven", "--intervention", "venetoclax", "--status",
        "RECRUITING", "--status", "COMPLETED")
    for name in [line.split("  ")[0] for line in run(capsys, "searches", "ls")[1].splitlines()]:
        if name != "Ven":
            run(capsys, "searches", "pause", name)
    assert run(capsys, "--api-url", ctgov_server.base_url, "searches", "check")[0] == 0
    flags = {item["nct_id"]: (item["start_overdue"], item["primary_completion_overdue"])
             for item in json.loads(run(capsys, "inbox", "--json")[1])}
    assert flags == {"NCT06900201": (False, True), "NCT06900202": (False, False),
                     "NCT06900203": (True, False)}
    assert "primary completion 2025-06 (est., overdue)" in run(capsys, "inbox")[1]
    run(capsys, "inbox", "dismiss", "NCT06900201")
    [dismissed] = json.loads(run(capsys, "inbox", "dismissed", "--json")[1])
    assert dismissed["primary_completion_overdue"] is True
