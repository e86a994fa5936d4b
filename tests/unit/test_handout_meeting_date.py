"""A handout names the meeting it is for; a meeting date already past is not presented as
that (a reviewer's December handout read "Meeting date: 2026-11-05")."""

from __future__ import annotations

import datetime as dt

import pytest

from tracker.services.exports import export_bytes

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("meeting", "words"), [
    (dt.date(2026, 12, 10), "2026-12-10"),
    (dt.date(2026, 12, 3), "2026-12-03 (today)"),
    (dt.date(2026, 11, 5), "2026-11-05 (past: the next meeting's date is not set)"),
])
def test_the_handout_says_whether_its_meeting_date_has_passed(empty_library, meeting, words):
    empty_library.watchlists.create("JC")
    empty_library.database.execute(  # a date set before it passed, as the store keeps it
        "UPDATE watchlists SET meeting_date = ? WHERE name = 'JC'", (meeting.isoformat(),))
    markdown = export_bytes(empty_library, "JC", "md", now=NOW).decode()
    assert f"Meeting date: {words}\n" in markdown
    html = export_bytes(empty_library, "JC", "html", now=NOW).decode()
    assert f"Meeting {words.replace(chr(39), '&#x27;')} · " in html
