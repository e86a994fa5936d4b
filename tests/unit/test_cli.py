"""The CLI run as users run it: output, JSON shape, filters, errors and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tracker.__main__ import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse usage errors
        code = exit_.code
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_first_start_creates_the_library_in_the_data_dir_with_curated_trials(
        capsys, _isolated_data_dir):
    code, out, err = run(capsys, "list")
    assert code == 0
    assert (_isolated_data_dir / "library.sqlite3").exists()
    assert "NCT02993523" in out and "VIALE-A" in out
    count = int(err.split()[0])
    assert count == len(out.strip().splitlines()) >= 100


def test_data_dir_option_beats_the_environment(capsys, tmp_path, _isolated_data_dir):
    code, _, _ = run(capsys, "--data-dir", str(tmp_path / "elsewhere"), "list")
    assert code == 0
    assert (tmp_path / "elsewhere" / "library.sqlite3").exists()
    assert not (_isolated_data_dir / "library.sqlite3").exists()


@pytest.mark.parametrize(
    "args,included,excluded",
    [(["--modality", "car-t"], "NCT02435849", "NCT02993523"),
     (["--disease", "aml"], "NCT02993523", "NCT02435849"),
     (["--phase", "3"], "NCT02993523", "NCT04277637"),
     (["--search", "azacitidine"], "NCT02993523", "NCT02435849"),
     (["--search", "tisagenlecleucel"], "NCT02435849", "NCT02993523")],
)
def test_list_filters(capsys, args, included, excluded):
    code, out, _ = run(capsys, "list", *args)
    assert code == 0 and included in out and excluded not in out


def test_list_refuses_a_disease_neither_the_vocabulary_nor_the_library_knows(
        capsys, _isolated_data_dir):
    code, out, err = run(capsys, "list", "--disease", "XYZ")
    assert code == 2 and out == ""
    assert err.startswith("tracker list: unknown disease 'XYZ': use one of Leukemia, AML,")
    code, out, err = run(capsys, "list", "--disease", " ")  # an unset shell variable
    assert code == 2 and out == "" and err.startswith("tracker list: --disease is blank: use")
    import sqlite3

    conn = sqlite3.connect(_isolated_data_dir / "library.sqlite3")  # curated data keeps
    conn.execute("UPDATE trials SET diseases = '[\"Castleman disease\"]' "  # such a disease
                 "WHERE id = 'NCT02993523'")
    conn.commit()
    conn.close()
    code, out, _ = run(capsys, "list", "--disease", "castleman disease")
    assert code == 0 and out.startswith("NCT02993523")


def test_list_status_filter_uses_registry_status(capsys, _isolated_data_dir):
    code, out, err = run(capsys, "list", "--status", "recruiting")
    assert code == 0 and out == "" and err.startswith("0 trials")  # nothing synced yet
    import sqlite3

    conn = sqlite3.connect(_isolated_data_dir / "library.sqlite3")  # as a sync leaves it
    conn.execute("UPDATE trials SET status = 'RECRUITING', registry_state = 'found' "
                 "WHERE id = 'NCT02993523'")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, "list", "--status", "recruiting")
    assert code == 0 and out.split()[0] == "NCT02993523" and len(out.splitlines()) == 1
    assert run(capsys, "list", "--status", "completed")[1] == ""


def test_list_status_takes_a_status_the_registry_added_since_and_refuses_a_typo(
        capsys, _isolated_data_dir):
    import sqlite3

    assert run(capsys, "list")[0] == 0  # the seeded library
    conn = sqlite3.connect(_isolated_data_dir / "library.sqlite3")  # a code this build lacks
    conn.execute("UPDATE trials SET status = 'ON_HOLD_FOR_REVIEW', registry_state = 'found' "
                 "WHERE id = 'NCT02993523'")
    conn.commit()
    conn.close()
    code, out, err = run(capsys, "list", "--status", "on hold for review")
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["NCT02993523"]
    assert "Unrecognised status" in out or "unrecognised status" in out
    code, out, err = run(capsys, "list", "--status", "recruting")  # held by no trial: a typo
    assert code == 2 and out == ""
    assert err.startswith("tracker list: unknown status 'RECRUTING': use one of "
                          "ACTIVE_NOT_RECRUITING, COMPLETED,") and len(err.splitlines()) == 1
    code, _, err = run(capsys, "list", "--status", "<b>x</b>")  # not a code at all
    assert code == 2 and "not a registry status: <b>x</b>" in err


@pytest.mark.parametrize("text", ["(", "!!!", '"', "*"])
def test_list_search_without_words_says_so_rather_than_listing_everything(capsys, text):
    code, out, err = run(capsys, "list", "--search", text)
    assert code == 2 and out == ""
    assert err.startswith(f"tracker list: the search text {text!r} has no words to search for")


def test_show_json_has_the_documented_shape(capsys):
    run(capsys, "note", "NCT02993523", "compare", "with", "VIALE-C")
    run(capsys, "tag", "NCT02993523", "AML", "journal club")
    code, out, _ = run(capsys, "show", "nct02993523", "--json")
    assert code == 0
    [trial] = json.loads(out)
    assert trial["id"] == "NCT02993523" and trial["acronym"] == "VIALE-A"
    assert trial["modality"] == "bcl2" and trial["phases"] == ["PHASE3"]
    assert trial["url"] == "https://clinicaltrials.gov/study/NCT02993523"
    assert [n["body"] for n in trial["notes"]] == ["compare with VIALE-C"]
    assert trial["tags"] == ["AML", "journal club"]
    assert trial["status_history"] == [] and trial["registry_state"] == "never_synced"
    outcome = trial["outcomes"][0]
    assert set(outcome) >= {"metric", "value", "number", "unit", "arm", "source"}
    assert outcome["source"]["file"].endswith(".txt")
    assert outcome["citation"].startswith("Han et al., Front Pharmacol 2025, ")
    assert "14.7 months" in outcome["quote"] and outcome["kind"] == "result"


def test_list_json_is_one_object_per_trial(capsys):
    code, out, _ = run(capsys, "list", "--modality", "bispecific", "--json")
    trials = json.loads(out)
    assert code == 0 and trials and all(t["modality"] == "bispecific" for t in trials)
    assert all({"outcomes", "notes", "tags", "status_history"} <= set(t) for t in trials)


def test_show_text_names_sources_of_figures(capsys):
    code, out, _ = run(capsys, "show", "LOCAL-VENAZA-CHINA-RW")
    assert code == 0 and "11.93 months" in out
    assert "source: Scienmag report on Bai et al., BMC Cancer 2025, Paragraph 4" in out
    assert "Headline: Untreated: OS 11.93 months · EFS 9.87 months" in out
    assert ".txt" not in out  # the review's file name is never shown


def test_show_writes_a_bare_table_figure_with_the_unit_of_its_column(capsys):
    code, out, _ = run(capsys, "show", "NCT03391466")
    assert code == 0
    assert "median follow-up 24.9 months (axicabtagene ciloleucel" in out
    assert "/ months)" not in out


def test_show_names_the_arm_of_a_randomised_trial_whose_reviews_print_one_arm(capsys):
    code, out, _ = run(capsys, "show", "NCT03391466")  # ZUMA-7: axi-cel vs standard of care
    assert code == 0
    assert "Headline: Axicabtagene ciloleucel: CR 65% · ORR 83%" \
        in out


def test_show_says_which_arm_is_which_in_a_headline_pair(capsys):
    code, out, _ = run(capsys, "show", "NCT02005471", "NCT03391466")  # MURANO, ZUMA-7
    assert code == 0
    murano, zuma7 = out.split("\n\nNCT03391466")
    assert "  Headline: PFS 54.7 vs 17.0 months · OS 82.1% at 5 y (venetoclax + rituximab)\n" \
        "  Arms compared: venetoclax + rituximab vs bendamustine + rituximab\n" in murano
    assert "Arms compared" not in zuma7


def test_malformed_id_is_exit_2_with_a_clear_message(capsys):
    code, out, err = run(capsys, "show", "NCT123")
    assert code == 2 and out == ""
    assert err.strip() == "tracker show: not an NCT id: NCT123 (expected NCT followed by 8 digits)"


def test_unknown_well_formed_id_is_exit_1(capsys):
    code, _, err = run(capsys, "show", "NCT00000001")
    assert code == 1 and "NCT00000001 is not in the library" in err


def test_note_on_unknown_trial_changes_nothing(capsys):
    code, _, err = run(capsys, "note", "NCT00000001", "hello")
    assert code == 1 and "not in the library" in err
    _, out, _ = run(capsys, "list", "--search", "hello")
    assert out == ""


def test_bad_option_values_are_usage_errors(capsys):
    assert run(capsys, "list", "--phase", "7")[0] == 2
    assert run(capsys, "list", "--modality", "pill")[0] == 2
    code, _, err = run(capsys, "tag", "NCT02993523", " ")
    assert code == 2 and "tag" in err


def test_tag_remove(capsys):
    run(capsys, "tag", "NCT02993523", "a", "b")
    code, out, _ = run(capsys, "tag", "NCT02993523", "a", "--remove")
    assert code == 0 and out.strip() == "NCT02993523 tags: b"


def test_library_from_newer_version_is_reported_not_touched(capsys, _isolated_data_dir):
    import sqlite3
    run(capsys, "list")
    with sqlite3.connect(_isolated_data_dir / "library.sqlite3") as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    code, _, err = run(capsys, "list")
    assert code == 1 and "newer version of Trial Tracker" in err


def test_installed_entry_point_runs_in_a_fresh_process(tmp_path):
    env = {**os.environ, "TRACKER_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "tracker", "list", "--search", "KarMMa"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "NCT03361748" in done.stdout
    version = subprocess.run([sys.executable, "-m", "tracker", "--version"],
                             capture_output=True, text=True, env=env, timeout=60)
    assert version.stdout.startswith("Trial Tracker ")


def test_show_text_prints_curators_caveats_and_context_apart(capsys):
    code, out, _ = run(capsys, "show", "NCT02242942")
    assert code == 0 and "PFS 76.2%" in out
    assert "CURATOR'S CAVEAT: Misprint in the review" in out
    code, out, _ = run(capsys, "show", "NCT02445248")
    results, context = out.split("Context from the reviews")
    assert "ORR 52%" in results and "about 60%" not in results and "about 60%" in context


def test_export_to_a_folder_or_a_missing_folder_is_one_clear_line(capsys, tmp_path):
    assert run(capsys, "watchlist", "create", "JC")[0] == 0
    assert run(capsys, "watchlist", "add", "JC", "NCT02993523")[0] == 0
    code, _, err = run(capsys, "export", "--watchlist", "JC", "--format", "csv", "-o",
                       str(tmp_path))
    assert code == 1 and "is a folder; give a file name" in err and "Traceback" not in err
    assert f"e.g. {tmp_path / 'handout.csv'}" in err  # the format asked for, not a PDF
    code, _, err = run(capsys, "export", "--watchlist", "JC", "--format", "md", "-o",
                       str(tmp_path / "missing" / "jc.md"))
    assert code == 1 and "does not exist" in err and not (tmp_path / "missing").exists()
    code, _, err = run(capsys, "export", "--watchlist", "JC", "--format", "ics", "-o",
                       str(tmp_path / "jc.ics"))
    assert code == 1 and "nothing to put in a calendar" in err  # no meeting, never synced
    assert not (tmp_path / "jc.ics").exists()
