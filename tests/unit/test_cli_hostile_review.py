"""A hostile review of the command line: every bad input is one line on stderr that says what
was wrong and what to do, with the right exit code, and nothing is lost."""

from __future__ import annotations

import pytest

from tests.unit.test_cli import run

VIALE_A = "NCT02993523"


# -- the registry URL ---------------------------------------------------------------------------
@pytest.mark.parametrize("url,why", [
    ("http://[::1", "invalid ipv6"), ("ftp://x/y", "http:// or https://"),
    ("notaurl", "http:// or https://"), ("http://127.0.0.1:99999/api", "port out of range"),
    ("http://exa mple.org/api", "blanks"), ("http:///api", "no host"),
])
def test_a_bad_api_url_is_refused_once_with_exit_2(capsys, url, why):
    code, out, err = run(capsys, "--api-url", url, "sync", VIALE_A)
    assert code == 2 and out == ""
    assert err.startswith(f"tracker: --api-url is not an http(s) URL: {url} (") and why in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("url,shown,why", [
    ("http://x\r\ny/api/v2", "http://x??y/api/v2", "control characters"),
    ("https://clinicaltrials.gov/api/v2?x=1", "https://clinicaltrials.gov/api/v2?x=1",
     "without ?… or #…"),
])
def test_an_api_url_with_a_line_break_or_a_query_is_refused_on_one_line(capsys, url, shown,
                                                                        why):
    code, _out, err = run(capsys, "--api-url", url, "sync", VIALE_A)
    assert code == 2 and f"URL: {shown} (" in err and why in err
    assert len(err.strip().splitlines()) == 1


def test_an_empty_api_url_is_refused_like_an_empty_data_dir(capsys, monkeypatch):
    code, _, err = run(capsys, "--api-url", "", "sync", VIALE_A)
    assert code == 2 and err.startswith("tracker: --api-url is empty")
    monkeypatch.setenv("TRACKER_API_URL", " ")
    code, _, err = run(capsys, "list")
    assert code == 2 and err.startswith("tracker: TRACKER_API_URL is empty") and "unset" in err


def test_credentials_in_the_api_url_are_refused_and_never_printed(capsys, monkeypatch):
    code, out, err = run(capsys, "--api-url", "http://user:s3cret@127.0.0.1:9/api", "sync")
    assert code == 2 and "user name or password" in err
    assert "s3cret" not in err + out and "user" not in err.split("(")[1]
    monkeypatch.setenv("TRACKER_API_URL", "http://ann:s3cret@[::1/api")
    code, out, err = run(capsys, "sync")
    assert code == 2 and err.startswith("tracker: TRACKER_API_URL is not an http(s) URL")
    assert "s3cret" not in err + out


def test_the_preference_is_checked_with_the_same_words():
    from pydantic import ValidationError

    from tracker.settings import Preferences

    with pytest.raises(ValidationError, match="port out of range"):
        Preferences(api_url="http://127.0.0.1:99999/api")
    assert Preferences(api_url=" https://example.org/api/v2 ").api_base == (
        "https://example.org/api/v2")


# -- standard output on a full disk -------------------------------------------------------------
def _tracker_to(stdout, data_dir, *args, stdin=None):
    """The real command in a process whose standard output is `stdout` (a file object)."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("TRACKER_DATA_DIR", "TRACKER_API_URL")}
    return subprocess.run([sys.executable, "-m", "tracker", "--data-dir", str(data_dir), *args],
                          stdout=stdout, stderr=subprocess.PIPE, text=True, env=env, timeout=120,
                          stdin=subprocess.DEVNULL if stdin is None else stdin)


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("args", [
    ["list"], ["list", "--json"], ["show", VIALE_A], ["tag", VIALE_A, "aml"],
    ["export", "--watchlist", "AML", "--format", "csv", "-o", "-"]])
def test_a_full_disk_behind_stdout_is_one_line_and_exit_1(tmp_path, args):
    import subprocess

    data = tmp_path / "data"
    for setup in (["watchlist", "create", "AML"], ["watchlist", "add", "AML", VIALE_A]):
        assert _tracker_to(subprocess.DEVNULL, data, *setup).returncode == 0
    with open("/dev/full", "w") as full:
        result = _tracker_to(full, data, *args)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"tracker {args[0]}: could not write to standard output: No space left on device; "
        "free some space or send the output elsewhere"]


@pytest.mark.skipif(not __import__("os").path.exists("/dev/full"), reason="no /dev/full here")
@pytest.mark.parametrize("args", [["--help"], ["--version"], ["list", "--help"]])
def test_help_and_version_to_a_full_disk_are_one_line_too(tmp_path, args):
    with open("/dev/full", "w") as full:
        result = _tracker_to(full, tmp_path / "data", *args)
    assert result.returncode == 1, result.stderr
    assert result.stderr.strip().splitlines() == [
        "tracker: could not write to standard output: No space left on device; free some "
        "space or send the output elsewhere"]


# -- paths the file system cannot take ----------------------------------------------------------
LONG_NAME = "x" * 300


def test_an_export_file_name_too_long_is_one_line_and_exit_2(capsys, tmp_path):
    run(capsys, "watchlist", "create", "AML")
    code, out, err = run(capsys, "export", "--watchlist", "AML", "--format", "md",
                         "-o", str(tmp_path / f"{LONG_NAME}.md"))
    assert code == 2 and out == ""
    assert err.startswith("tracker export: the file name ") and "too long" in err
    assert len(err.strip().splitlines()) == 1 and LONG_NAME not in err  # shortened to be read
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("where", ["option", "environment"])
def test_a_data_dir_too_long_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch, where):
    folder = str(tmp_path / LONG_NAME / "library")
    if where == "option":
        code, _, err = run(capsys, "--data-dir", folder, "list")
    else:
        monkeypatch.setenv("TRACKER_DATA_DIR", folder)
        code, _, err = run(capsys, "list")
    name = "--data-dir" if where == "option" else "TRACKER_DATA_DIR"
    assert code == 2 and err.startswith(f"tracker: {name} ") and "too long" in err
    assert len(err.strip().splitlines()) == 1


def test_an_import_file_name_too_long_is_one_line_and_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "import", str(tmp_path / f"{LONG_NAME}.json"))
    assert code == 2 and err.startswith("tracker import: the file name ") and "too long" in err


@pytest.mark.skipif(not __import__("os").path.isdir("/proc/self"), reason="no /proc here")
def test_an_export_to_a_folder_that_cannot_take_files_says_where_to_go(capsys):
    run(capsys, "watchlist", "create", "AML")
    code, _, err = run(capsys, "export", "--watchlist", "AML", "--format", "md",
                       "-o", "/proc/handout.md")
    assert code == 1 and err.startswith("tracker export: cannot write /proc/handout.md: ")
    assert "nothing was written: choose a folder you can write to, e.g. " in err
    assert err.rstrip().endswith("handout.md") and len(err.strip().splitlines()) == 1


# -- import reads regular files only ------------------------------------------------------------
@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes here")
def test_importing_a_named_pipe_is_refused_at_once_instead_of_waiting(tmp_path):
    import os

    fifo = tmp_path / "list.json"
    os.mkfifo(fifo)
    result = _tracker_to(__import__("subprocess").PIPE, tmp_path / "data", "import", str(fifo))
    assert result.returncode == 1  # _tracker_to's timeout fails the test if it waits
    assert result.stderr.strip().splitlines() == [
        f"tracker import: cannot read {fifo}: it is a named pipe, not a regular file; give a "
        "watch list file (tracker export --format json)"]


def test_importing_a_folder_is_refused_naming_it(capsys, tmp_path):
    code, _, err = run(capsys, "import", str(tmp_path))
    assert code == 1 and f"cannot read {tmp_path}: it is a folder, not a regular file" in err


# -- registry text stays on its line ------------------------------------------------------------
def test_registry_search_prints_one_line_per_study_whatever_the_title_holds(
        capsys, ctgov_server, _isolated_data_dir):
    from tests.fakes.studies import make_study

    (_isolated_data_dir / "preferences.json").write_text('{"request_pace_seconds": 0}')
    forged = "Sonrotoclax in MCL\r\n* NCT09999999  Recruiting             Phase 3     FORGED"
    ctgov_server.put_study(make_study("NCT05555555", title=forged, acronym="A\nB",
                                      interventions=("Sonrotoclax",)))
    code, out, _ = run(capsys, "--api-url", ctgov_server.base_url, "registry-search",
                       "sonrotoclax")
    assert code == 0 and len(out.splitlines()) == 1
    assert out.startswith("  NCT05555555") and "A B: Sonrotoclax in MCL * NCT09999999" in out


def test_registry_search_refuses_what_the_registry_would_before_any_request(
        capsys, ctgov_server, _isolated_data_dir):
    """5,000 '(' went out as a ~5 KB URL that came back in the 414 message; control
    characters went to the registry, while `searches add` refused them. AREA[…] stays
    allowed in a one-off search (the registry's own syntax)."""
    api = ctgov_server.base_url
    for args, said in ((["(" * 5000], "the search text is longer than 300 characters"),
                       (["x", "--condition", "\x1b]0;pwn\x07"],
                        "--condition contains control characters: type it again")):
        code, out, err = run(capsys, "--api-url", api, "registry-search", *args)
        assert code == 2 and out == "" and err.startswith(f"tracker registry-search: {said}")
        assert len(err.splitlines()) == 1 and len(err) < 200
    assert not ctgov_server.requests
    code, _, err = run(capsys, "--api-url", api, "registry-search", "AREA[Phase]PHASE3")
    assert code == 0, err


def test_a_pasted_megabyte_is_not_echoed_whole(capsys):
    code, _, err = run(capsys, "show", "A" * 10_000)
    assert code == 2 and len(err) < 300
    assert "AAAA…AAAA" in err and "A (10,000 characters) (expected NCT" in err


# -- list --------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", [VIALE_A, "nct02993523", "02993523", "NCT0299352"])
def test_list_search_by_id_or_its_digits_finds_the_trial(capsys, text):
    code, out, err = run(capsys, "list", "--search", text)
    assert code == 0 and out.startswith(VIALE_A) and err.startswith("1 trial")
    code, out, _ = run(capsys, "list", "--search", text, "--json")
    assert [t["id"] for t in __import__("json").loads(out)] == [VIALE_A]


def test_a_search_by_id_is_not_answered_from_the_word_index_alone():
    from tracker.store import TrialQuery

    assert not TrialQuery(search="02993523").only_search  # the window's card filter too
    assert TrialQuery(search="venetoclax").only_search


@pytest.mark.parametrize("args", [["--near", "Berlin"], ["--within", "200"]])
def test_list_near_and_within_go_together(capsys, args):
    code, out, err = run(capsys, "list", *args)
    assert code == 2 and out == ""
    assert err.strip() == ("tracker list: --near and --within go together (a place and a "
                           "radius in km, e.g. --near Berlin --within 200)")


# -- nothing happened: say so, exit non-zero ----------------------------------------------------
def test_watchlist_remove_of_a_trial_not_on_the_list_removes_none_and_exits_1(capsys):
    run(capsys, "watchlist", "create", "AML")
    run(capsys, "watchlist", "add", "AML", VIALE_A)
    code, out, err = run(capsys, "watchlist", "remove", "AML", "NCT02242942", VIALE_A)
    assert code == 1 and out == ""
    assert err.strip() == ("tracker watchlist remove: NCT02242942 is not on 'AML'; nothing was "
                           "removed (see: tracker watchlist show 'AML')")
    _, out, _ = run(capsys, "watchlist", "show", "AML")
    assert VIALE_A in out
    code, out, _ = run(capsys, "watchlist", "remove", "AML", VIALE_A)
    assert code == 0 and out.strip() == "'AML' now has 0 trials"


def test_removing_a_tag_the_trial_does_not_carry_removes_none_and_exits_1(capsys):
    run(capsys, "tag", VIALE_A, "aml", "first line")
    code, _, err = run(capsys, "tag", VIALE_A, "aml", "nonexistent", "--remove")
    assert code == 1
    assert err.strip() == ("tracker tag: NCT02993523 has no tag 'nonexistent' (its tags: aml, "
                           "first line); nothing was removed")
    code, out, _ = run(capsys, "tag", VIALE_A, "first   line", "--remove")
    assert code == 0 and out.strip() == "NCT02993523 tags: aml"


def test_note_dash_reads_the_note_from_standard_input(tmp_path):
    import subprocess

    data = tmp_path / "data"
    stdin = tmp_path / "note.txt"
    stdin.write_text("Discussed at journal club:\ncompare with VIALE-C.\n", encoding="utf-8")
    with stdin.open("rb") as piped:
        result = _tracker_to(subprocess.PIPE, data, "note", VIALE_A, "-", stdin=piped)
    assert result.returncode == 0 and result.stdout.startswith("added note 1 to NCT02993523")
    shown = _tracker_to(subprocess.PIPE, data, "show", VIALE_A, "--json")
    notes = __import__("json").loads(shown.stdout)[0]["notes"]
    assert [n["body"] for n in notes] == ["Discussed at journal club:\ncompare with VIALE-C."]
    empty = _tracker_to(subprocess.PIPE, data, "note", VIALE_A, "-")  # stdin: /dev/null
    assert empty.returncode == 2 and "the note is empty" in empty.stderr


def test_searches_rm_needs_yes_without_a_terminal_like_watchlist_delete(capsys):
    code, _, err = run(capsys, "searches", "rm", "CAR-T: CD7")
    assert code == 2 and "add --yes to delete the saved search 'CAR-T: CD7'" in err
    _, out, _ = run(capsys, "searches", "ls")
    assert "CAR-T: CD7" in out
    assert run(capsys, "searches", "rm", "CAR-T: CD7", "--yes")[0] == 0
    _, out, _ = run(capsys, "searches", "ls")
    assert "CAR-T: CD7" not in out


def test_searches_rm_asks_on_a_terminal_and_no_keeps_the_search(tmp_path):
    """A real pseudo-terminal: the question is shown; anything but y keeps the search."""
    from tests.unit.terminal_answer import answer_on_terminal

    def answer(reply: bytes) -> str:
        return answer_on_terminal(tmp_path, ["searches", "rm", "CAR-T: CD7"], reply)

    assert "not deleted" in answer(b"n\n")
    assert "deleted saved search 'CAR-T: CD7'" in answer(b"y\n")


# -- one name, one form -------------------------------------------------------------------------
PRECOMPOSED, DECOMPOSED = "Caf\u00e9", "Cafe\u0301"


def test_a_name_typed_in_another_unicode_form_is_the_same_watch_list(capsys):
    assert run(capsys, "watchlist", "create", PRECOMPOSED)[0] == 0
    code, _, err = run(capsys, "watchlist", "create", DECOMPOSED)
    assert code == 1 and "already exists" in err
    assert run(capsys, "watchlist", "add", DECOMPOSED, VIALE_A)[0] == 0
    _, out, _ = run(capsys, "watchlist", "ls")
    assert out.strip().splitlines() == [f"{PRECOMPOSED}  (1 trial)"]


def test_a_fullwidth_look_alike_is_the_same_list_and_invisible_ones_are_refused(capsys):
    assert run(capsys, "watchlist", "create", "AML")[0] == 0
    code, _, err = run(capsys, "watchlist", "create", "\uff21\uff2d\uff2c")  # ＡＭＬ
    assert code == 1 and "already exists" in err
    for look_alike in ("AML\u200d", "A\u034fML", "A\u3164ML", "A\u2800ML"):
        code, _, err = run(capsys, "watchlist", "create", look_alike)
        assert code in (1, 2) and "invisible characters" in err, look_alike
    _, out, _ = run(capsys, "watchlist", "ls")
    assert len(out.strip().splitlines()) == 1


def test_a_tag_typed_in_another_unicode_form_is_the_same_tag(capsys):
    run(capsys, "tag", VIALE_A, PRECOMPOSED)
    code, out, _ = run(capsys, "tag", VIALE_A, DECOMPOSED)
    assert code == 0 and out.strip() == f"NCT02993523 tags: {PRECOMPOSED}"
    code, out, _ = run(capsys, "tag", VIALE_A, DECOMPOSED, "--remove")
    assert code == 0 and out.strip() == "NCT02993523 tags: (none)"


# -- plain words and the next step --------------------------------------------------------------
@pytest.mark.parametrize("args,expected", [
    (["tag", VIALE_A, ""], "tracker tag: a tag needs a name; type one"),
    (["watchlist", "create", ""], "tracker watchlist: a watch list needs a name; type one"),
    (["watchlist", "create", "   "], "tracker watchlist: a watch list needs a name; type one"),
])
def test_empty_names_are_refused_in_plain_words(capsys, args, expected):
    code, _, err = run(capsys, *args)
    assert code == 2 and err.strip() == expected


@pytest.mark.parametrize("args,expected", [
    (["--near", "Berlin", "--within", "-5"], "argument --within: not a distance in km: -5"),
    (["--phase", "9"], "argument --phase: not a phase: 9"),
    (["--status", "FOO"], "argument --status: not a registry status: FOO"),
    (["--study-type", "FOO"], "argument --study-type: not a study type: FOO"),
])
def test_searches_add_refuses_bad_values_before_any_model_sees_them(capsys, args, expected):
    code, _, err = run(capsys, "searches", "add", "S", "--term", "x", *args)
    assert code == 2 and f"tracker searches add: error: {expected} (" in err
    assert "Input should" not in err
    _, out, _ = run(capsys, "searches", "ls")
    assert not any(line.startswith("S ") for line in out.splitlines())


def test_the_cli_copies_of_domain_limits_agree_with_the_domain():
    from tracker.cli import arg_types, discovery_commands
    from tracker.domain.searches import MAX_RADIUS_KM, StudyType

    assert arg_types.STUDY_TYPES == tuple(t.value for t in StudyType)
    assert discovery_commands.MAX_RADIUS_KM == MAX_RADIUS_KM


def test_a_trial_not_in_the_library_names_the_command_that_adds_it(capsys):
    code, _, err = run(capsys, "show", "NCT09999999")
    assert code == 1 and err.strip() == ("tracker show: NCT09999999 is not in the library; add "
                                         "it from the registry first: tracker add NCT09999999")


def test_an_unknown_watch_list_points_at_the_list_of_lists(capsys):
    code, _, err = run(capsys, "watchlist", "show", "Nope")
    assert code == 1 and err.strip() == ("tracker watchlist: no watch list named 'Nope' "
                                         "(see: tracker watchlist ls)")


def test_sync_of_a_local_study_says_it_has_no_registry_record(capsys):
    code, _, err = run(capsys, "--api-url", "http://127.0.0.1:9/api/v2", "sync",
                       "LOCAL-VENAZA-CHINA-RW")
    assert code == 2
    assert err.startswith("tracker sync: LOCAL-VENAZA-CHINA-RW is a local study: local "
                          "studies have no registry record")


def test_add_of_a_local_study_the_curated_library_lacks_says_it_has_no_registry_record(capsys):
    code, _, err = run(capsys, "--api-url", "http://127.0.0.1:9/api/v2", "add",
                       "LOCAL-NOT-CURATED", "NCT02993523")
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert err.startswith("tracker add: LOCAL-NOT-CURATED is a local study that the app's "
                          "curated library does not hold: local studies have no registry "
                          "record, so there is nothing to add from it (only NCT ids")


def _exported(capsys, tmp_path) -> dict:
    import json

    run(capsys, "watchlist", "create", "AML")
    run(capsys, "watchlist", "add", "AML", VIALE_A)
    run(capsys, "export", "--watchlist", "AML", "--format", "json", "-o",
        str(tmp_path / "aml.json"))
    return json.loads((tmp_path / "aml.json").read_text())


@pytest.mark.parametrize("change,expected", [
    (lambda d: d["trials"].__setitem__(0, None), ": trials[0]: should be an object, not null"),
    (lambda d: d["trials"][0].__setitem__("id", 5), ": trials[0].id: should be text, not a number"),
    (lambda d: d["watchlist"].__setitem__("name", "AML\x1b[31m"),
     ": watchlist.name: the watch list name cannot contain control or invisible characters "
     "(found U+001B); nothing was imported"),
    (lambda d: d["trials"][0].__setitem__("tags", ["a\u200bb"]),
     ": trials[0].tags[0]: a tag cannot contain control or invisible characters (found "
     "U+200B); nothing was imported"),
])
def test_a_bad_import_file_is_named_and_said_in_plain_words_with_exit_1(
        capsys, tmp_path, change, expected):
    import json

    data = _exported(capsys, tmp_path)
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data))
    code, out, err = run(capsys, "import", str(path))
    assert code == 1 and out == ""
    assert err.strip() == f"tracker import: {path}{expected}"


@pytest.mark.parametrize("content,expected", [
    ("", "is empty: "), ("id,title\nNCT02993523,VIALE-A\n", "is not valid JSON: ")])
def test_importing_an_empty_or_csv_file_says_how_to_make_a_watch_list_file(
        capsys, tmp_path, content, expected):
    path = tmp_path / "list.csv"
    path.write_text(content)
    code, _, err = run(capsys, "import", str(path))
    assert code == 1 and err.startswith(f"tracker import: {path} {expected}")
    assert "not a watch list file" in err
    assert err.rstrip().rstrip(")").endswith("export one with `tracker export --format json`")


def test_an_imported_name_in_another_unicode_form_joins_the_existing_list(capsys, tmp_path):
    import json

    data = _exported(capsys, tmp_path)
    run(capsys, "watchlist", "create", PRECOMPOSED)
    data["watchlist"]["name"] = DECOMPOSED
    path = tmp_path / "cafe.json"
    path.write_text(json.dumps(data))
    code, _, err = run(capsys, "import", str(path))
    assert code == 0, err
    _, out, _ = run(capsys, "watchlist", "ls")
    assert f"{PRECOMPOSED}  (1 trial)" in out.splitlines()


# -- counts in words ----------------------------------------------------------------------------
def test_one_helper_makes_counts_agree():
    from tracker.domain.words import plural, word_for

    assert [plural(n, "trial") for n in (0, 1, 2)] == ["0 trials", "1 trial", "2 trials"]
    assert plural(1, "study") == "1 study" and plural(3, "study") == "3 studies"
    assert plural(1, "saved search") == "1 saved search" and word_for(2, "was") == "were"


def test_a_sync_report_of_one_says_it_in_the_singular_and_an_id_once():
    from tracker.services.sync_report import SyncReport

    report = SyncReport(requested=1, failed={"NCT00501826": "NCT00501826: the record is "
                                             "malformed"}, unasked=["NCT06900101"])
    lines = report.summary_lines()
    assert lines[0].startswith("1 trial checked: 0 status changes, 0 other updates, ")
    assert "  failed: NCT00501826: the record is malformed" in lines
    assert "  ignored: the registry also sent 1 study nobody asked for (NCT06900101)" in lines
    stopped = SyncReport(requested=2, unchanged=["NCT02993523"], not_checked=["NCT02242942"],
                         error="the registry failed")
    assert "1 trial was not checked" in stopped.stopped_text()
    assert SyncReport(requested=1, kind="add").headline().startswith("1 id entered: ")


def test_removing_a_trial_with_one_note_says_note_was(capsys, _isolated_data_dir):
    run(capsys, "note", VIALE_A, "keep", "me")
    code, _, err = run(capsys, "remove", VIALE_A)
    assert code == 2 and f"add --yes to remove {VIALE_A} (1 note) without" in err
    code, out, _ = run(capsys, "remove", VIALE_A, "--yes")
    assert code == 0 and "; its 1 note was written to " in out


def test_a_meeting_date_with_a_mistyped_year_is_refused(capsys, _isolated_data_dir):
    import datetime as dt

    from tests.unit.test_cli import run
    from tracker.services.library import open_library
    from tracker.store.watchlists import WatchListError

    code, _out, err = run(capsys, "watchlist", "create", "M", "--meeting-date", "9999-12-31")
    assert code == 2 and "not between 2000 and 2100" in err and "Traceback" not in err
    library = open_library(_isolated_data_dir)
    try:
        with pytest.raises(WatchListError, match="check the year"):
            library.watchlists.create("M", meeting_date=dt.date(9999, 12, 31))
    finally:
        library.close()
