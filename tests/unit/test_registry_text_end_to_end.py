"""The reviewer's hostile study synced end to end (loopback registry, real library file, the
real commands): the title reads left to right without escape residue, the empty acronym gives
way to the title, the sponsor reads "not stated", in `show`, `list`, RIS, ICS, HTML and
Markdown; the version kept in the library is the record exactly as the registry sent it."""

from __future__ import annotations

import json

import pytest

from tests.fakes.hostile_text import CLEAN_TITLE, HIDDEN, HOSTILE_ID, hostile_study
from tests.unit.test_cli import run

SHOWN_TITLE = "BCMA CAR-T study RED \U0001f9ec xxxx"


@pytest.fixture
def synced(capsys, ctgov_server, _isolated_data_dir):
    """The study added from the registry, then synced again after the registry updated it."""
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    ctgov_server.put_study(hostile_study(last_update="2026-11-22"))
    api = ctgov_server.base_url
    assert run(capsys, "--api-url", api, "add", HOSTILE_ID)[0] == 0
    updated = hostile_study(last_update="2026-11-29")
    updated["protocolSection"]["statusModule"]["whyStopped"] = "\u202eFunding\x1b[8m"
    ctgov_server.put_study(updated)
    code, _, err = run(capsys, "--api-url", api, "sync", HOSTILE_ID)
    assert code == 0, err
    run(capsys, "watchlist", "create", "Journal club")
    run(capsys, "watchlist", "add", "Journal club", HOSTILE_ID)
    return _isolated_data_dir


def test_show_prints_the_title_and_sponsor_not_stated(capsys, synced):
    code, out, _ = run(capsys, "show", HOSTILE_ID)
    assert code == 0
    first, second = out.splitlines()[:2]
    assert first.startswith(f"{HOSTILE_ID}  {SHOWN_TITLE}")  # no empty acronym, no [31m
    assert second.strip().startswith(SHOWN_TITLE)
    assert "  Sponsor:             not stated" in out.splitlines()
    assert "(why stopped: Funding)" in out  # the sync's record, cleaned the same way
    [trial] = json.loads(run(capsys, "show", HOSTILE_ID, "--json")[1])
    assert trial["acronym"] is None and trial["sponsor"] is None
    assert trial["brief_title"] == CLEAN_TITLE


def test_list_shows_the_clean_title(capsys, synced):
    _, out, _ = run(capsys, "list", "--search", "BCMA")
    [line] = [line for line in out.splitlines() if line.startswith(HOSTILE_ID)]
    assert "  BCMA CAR-T study RED \U0001f9ec " in line and "[31m" not in line  # cut to fit


@pytest.mark.parametrize("fmt", ["ris", "ics", "html", "md"])
def test_exports_carry_no_hidden_characters_and_a_readable_title(capsys, synced, tmp_path, fmt):
    target = tmp_path / f"club.{fmt}"
    code, _, err = run(capsys, "export", "--watchlist", "Journal club", "--format", fmt,
                       "-o", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert not set(text) & set(HIDDEN), [c for c in HIDDEN if c in text]
    assert "[31m" not in text and "[0m" not in text
    if fmt == "ris":
        assert f"TI  - {SHOWN_TITLE}" in text
    if fmt == "ics":
        assert f"SUMMARY:{SHOWN_TITLE}" in text.replace("\r\n ", "")  # unfolded lines
    if fmt == "html":
        assert f"<h3>{SHOWN_TITLE}" in text and "<h3></h3>" not in text
        assert "sponsor not stated" in text and "<b></b>" not in text
    if fmt == "md":
        assert "sponsor not stated" in text


def test_the_stored_version_is_the_record_as_received(synced):
    from tracker.store import LIBRARY_FILE_NAME, Library

    library = Library(synced / LIBRARY_FILE_NAME)
    try:
        assert len(library.versions.for_trial(HOSTILE_ID)) == 2
        latest = library.versions.latest(HOSTILE_ID)
    finally:
        library.close()
    ident = latest["protocolSection"]["identificationModule"]
    assert ident["briefTitle"].startswith("\u202eBCMA CAR-T\u200b study \x1b[31m")
    assert ident["acronym"] == "\u200f"
    assert latest["protocolSection"]["sponsorCollaboratorsModule"]["leadSponsor"]["name"] == \
        "\u200b"
