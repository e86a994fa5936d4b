"""The curated library in db/: schema, ids, sources, and fidelity to the passages quoted.

These tests never read the review articles (a clone does not have them). Each outcome carries the
passage it was read from (`quote`), and the NCT ids the reviews print are vendored in
tests/data/seed_nct_ids.json; `python -m tracker.curated.verify --seeds DIR` checks both against
the full review texts and is tested here on a small made-up review.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT
from tracker.curated import CuratedDataError, load_curated_files, merge_curated
from tracker.curated.format import json_schema_text
from tracker.curated.quotes import best_quote, fold
from tracker.curated.verify import curated_json_text, fixture_text, main
from tracker.domain import OutcomeKind, RegistryState
from tracker.domain.ids import is_local_id, is_nct_id

CURATED_DIR = REPO_ROOT / "db" / "curated"
FILES = load_curated_files(CURATED_DIR)
PRINTED_IDS: dict[str, list[str]] = json.loads(
    (REPO_ROOT / "tests" / "data" / "seed_nct_ids.json").read_text())["reviews"]


def test_committed_json_schema_matches_the_models():
    committed = (REPO_ROOT / "db" / "curated.schema.json").read_text()
    assert committed == json_schema_text(), "regenerate: python -m tracker.curated.format"


def test_every_curated_file_validates_and_is_plain_indented_json():
    paths = sorted(CURATED_DIR.glob("*.json"))
    assert len(paths) == len(FILES) >= 5
    for path in paths:
        assert json.loads(path.read_text())["format"] == "trial-tracker-curated/1"
        assert path.read_text() == curated_json_text(json.loads(path.read_text())), path.name


def test_every_review_article_has_a_curated_file():
    covered = {curated.source.file for curated in FILES}
    assert covered == set(PRINTED_IDS) and len(covered) == 5


def test_ids_are_well_formed_and_provenance_is_consistent():
    for curated in FILES:
        for trial in curated.trials:
            assert is_nct_id(trial.id) or is_local_id(trial.id), trial.id
            assert (trial.id_provenance == "local") == is_local_id(trial.id), trial.id


def test_seed_provenance_means_the_review_prints_the_id():
    for curated in FILES:
        for trial in curated.trials:
            if trial.id_provenance == "seed":
                assert trial.id in PRINTED_IDS[curated.source.file], (
                    f"{trial.id} is marked 'seed' but {curated.source.file} does not print it")


def test_every_nct_id_the_reviews_print_is_in_the_library():
    library_ids = {trial.id for trial in merge_curated(FILES)}
    printed = {trial_id for ids in PRINTED_IDS.values() for trial_id in ids}
    assert len(printed) >= 50
    assert printed - library_ids == set()


def test_named_landmark_trials_are_present_with_registry_ids():
    by_acronym = {t.acronym: t for t in merge_curated(FILES) if t.acronym}
    expected = {"VIALE-A": "NCT02993523", "MURANO": "NCT02005471", "CLL14": "NCT02242942",
                "CARTITUDE-1": "NCT03548207", "KarMMa": "NCT03361748", "ELIANA": "NCT02435849",
                "JULIET": "NCT02445248", "ZUMA-1": "NCT02348216", "EPCORE NHL-2": "NCT04663347",
                "EPCORE CLL-1": "NCT04623541", "CELESTIAL-TNCLL": "NCT06073821",
                "GLORA-4": "NCT06641414", "EA9152": "NCT03504644",
                "TRANSCEND NHL 001": "NCT02631044"}
    assert {name: by_acronym[name].id for name in expected} == expected


def test_every_outcome_value_appears_in_its_quote():
    outcomes = [(t.id, o) for f in FILES for t in f.trials for o in t.outcomes]
    assert len(outcomes) >= 150
    missing = [(trial_id, o.value, o.quote) for trial_id, o in outcomes
               if fold(o.value) not in fold(o.quote)]
    assert missing == []


def test_quotes_are_short_passages_not_whole_paragraphs():
    lengths = [len(o.quote) for f in FILES for t in f.trials for o in t.outcomes]
    assert max(lengths) <= 400 and sorted(lengths)[len(lengths) // 2] <= 250


def test_no_quote_stops_in_the_middle_of_an_expression():
    """VIALE-A's OS quote ended '(hazard ratio HR = 0.66, p <' in the detail view (a UI
    review): a quote is cut at a word, never after an operator or an open bracket."""
    cut = [(t.id, o.quote[-30:]) for f in FILES for t in f.trials for o in t.outcomes
           if o.quote.rstrip().endswith(("<", ">", "=", "≤", "≥", "(", "±", "-", "–"))]
    assert cut == []


def test_the_loader_rejects_a_value_missing_from_its_quote(tmp_path):
    data = json.loads((CURATED_DIR / "004_1c3759fde8d02089.json").read_text())
    data["trials"][0]["outcomes"][0]["value"] = "51"  # the quote says 50
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(CuratedDataError, match="does not occur in its quote"):
        load_curated_files(tmp_path)


def test_every_outcome_has_a_source_and_the_library_has_figures():
    trials = merge_curated(FILES)
    outcomes = [o for t in trials for o in t.outcomes]
    assert len(outcomes) >= 150
    assert all(o.source.file.endswith(".txt") and len(o.source.locator) >= 3 for o in outcomes)
    assert all(o.quote for o in outcomes)


def test_trials_in_several_reviews_agree_on_modality_and_acronym():
    sightings: dict[str, list] = defaultdict(list)
    for curated in FILES:
        for trial in curated.trials:
            sightings[trial.id].append(trial)
    for trial_id, entries in sightings.items():
        assert len({e.modality for e in entries}) == 1, trial_id
        assert len({e.acronym for e in entries if e.acronym}) <= 1, trial_id


def test_merge_unions_outcomes_and_marks_local_studies():
    trials = {t.id: t for t in merge_curated(FILES)}
    per_file = sum(len(t.outcomes) for f in FILES for t in f.trials)
    assert sum(len(t.outcomes) for t in trials.values()) == per_file
    assert trials["LOCAL-VENAZA-CHINA-RW"].registry_state == RegistryState.NO_REGISTRY_RECORD
    efs = next(o for o in trials["LOCAL-VENAZA-CHINA-RW"].outcomes if o.value == "11.93 months")
    assert "11.93 months" in efs.quote and efs.kind == OutcomeKind.RESULT


# --- the maintenance command, on a made-up review (the real ones are not in the repository) ---

_REVIEW = """A made-up review.

In the phase 3 FAKE-1 trial (NCT01234567), drug A plus drug B gave an overall
response rate of 81% and a median progression-free survival of 22.4 months.
"""


def _curated_folder(tmp_path: Path, quote: str, summary: str = "Our own words on FAKE-1.") -> Path:
    folder = tmp_path / "curated"
    folder.mkdir()
    data = {"format": "trial-tracker-curated/1", "source": {"file": "000_ab.txt"},
            "trials": [{"id": "NCT01234567", "id_provenance": "seed", "title": "FAKE-1",
                        "drugs": ["drug a"], "modality": "other", "diseases": ["CLL"],
                        "phases": ["PHASE3"], "summary": summary,
                        "outcomes": [{"metric": "ORR", "value": "81%", "source": "paragraph 1",
                                      "quote": quote}]}]}
    (folder / "000_ab.json").write_text(curated_json_text(data))
    return folder


def _verify(tmp_path: Path, curated: Path, *extra: str) -> int:
    seeds, fixture = tmp_path / "seeds", tmp_path / "ids.json"
    if not seeds.exists():
        seeds.mkdir()
        (seeds / "000_ab.txt").write_text(_REVIEW)
    if not fixture.exists():
        fixture.write_text(fixture_text({"000_ab.txt": _REVIEW}))
    return main(["--seeds", str(seeds), "--curated", str(curated), "--fixture", str(fixture),
                 *extra])


def test_verify_passes_when_every_quote_is_in_its_review(tmp_path, capsys):
    quote = "gave an overall response rate of 81% and a median"
    assert _verify(tmp_path, _curated_folder(tmp_path, quote)) == 0
    assert "OK: 1 quotes found in 1 reviews" in capsys.readouterr().out


def test_verify_lists_a_quote_the_review_does_not_print_and_exits_non_zero(tmp_path, capsys):
    quote = "gave an overall response rate of 81% and a mean"
    assert _verify(tmp_path, _curated_folder(tmp_path, quote)) == 1
    out = capsys.readouterr().out
    assert "NCT01234567 ORR '81%': quote not found in the review" in out


def test_verify_flags_a_summary_copied_from_the_review_and_a_stale_id_list(tmp_path, capsys):
    copied = ("In the phase 3 FAKE-1 trial (NCT01234567), drug A plus drug B gave an overall "
              "response rate of 81%.")
    (tmp_path / "ids.json").write_text('{"reviews": {}}\n')
    curated = _curated_folder(tmp_path, "response rate of 81% and", summary=copied)
    assert _verify(tmp_path, curated) == 1
    out = capsys.readouterr().out
    assert "NCT01234567: summary copies the review" in out
    assert "out of date with the reviews; rerun with --write-fixture" in out
    assert _verify(tmp_path, curated, "--write-fixture") == 1  # the copied summary remains
    assert json.loads((tmp_path / "ids.json").read_text())["reviews"] == {
        "000_ab.txt": ["NCT01234567"]}


def test_quote_extraction_picks_the_sentence_that_prints_the_value():
    review = ("Unrelated trials gave 124 responses. In FAKE-2, drug A gave a complete response "
              "rate of 24% after induction. Another study reported 24% in a different setting.")
    quote = best_quote(review, "24%", ["FAKE-2", "drug a", "CR"])
    assert quote == "In FAKE-2, drug A gave a complete response rate of 24% after induction."


def test_seeded_library_holds_every_curated_trial(seeded_library):
    assert seeded_library.trials.count() == len({t.id for f in FILES for t in f.trials})
    assert Path(seeded_library.path).exists()


def test_a_newer_curated_release_adds_and_corrects_trials_but_keeps_user_data(tmp_path):
    import shutil

    from tracker.services.library import open_library, refresh_curated

    shipped = tmp_path / "curated"
    shutil.copytree(CURATED_DIR, shipped)
    library = open_library(tmp_path / "lib")
    refresh_curated(library, shipped)  # the library has seen this release
    library.notes.add("NCT02993523", "my note")
    library.tags.add("NCT02993523", ["AML"])
    before = library.trials.count()

    release = json.loads((shipped / "004_1c3759fde8d02089.json").read_text())
    release["trials"].append({
        "id": "LOCAL-NEW-COHORT", "id_provenance": "local", "title": "A new cohort",
        "drugs": ["venetoclax"], "modality": "bcl2", "diseases": ["AML"], "phases": [],
        "summary": "A study added in a later curated release of the app.", "outcomes": []})
    (shipped / "004_1c3759fde8d02089.json").write_text(json.dumps(release))
    part = json.loads((shipped / "000_50fe522fa3562aed-part1.json").read_text())
    viale = next(t for t in part["trials"] if t["id"] == "NCT02993523")
    viale["summary"] = "Corrected summary from a later curated release of the app."
    (shipped / "000_50fe522fa3562aed-part1.json").write_text(json.dumps(part))

    refresh = refresh_curated(library, shipped)
    assert refresh.added == 1 and library.trials.count() == before + 1
    trial = library.trials.get("NCT02993523")
    assert trial.summary.startswith("Corrected summary")
    assert [n.body for n in library.notes.for_trial("NCT02993523")] == ["my note"]
    assert library.tags.for_trial("NCT02993523") == ["AML"]
    outcomes_before = len(trial.outcomes)
    assert refresh_curated(library, shipped).added == 0  # same release: nothing to do
    assert len(library.trials.get("NCT02993523").outcomes) == outcomes_before
    library.close()


# --- curated data corrections (issue 11) ---

def _merged() -> dict:
    return {t.id: t for t in merge_curated(FILES)}


def test_every_curated_modality_follows_the_investigational_agent_rule():
    from tracker.domain.modality import regimen_modality

    wrong = [(t.id, t.modality.value) for f in FILES for t in f.trials
             if t.modality != regimen_modality([d for d in t.drugs if d not in t.backbone],
                                               t.title)]
    assert wrong == []
    trials = _merged()
    for trial_id in ("NCT05388006", "NCT04277442", "NCT03969446"):  # checkpoint inhibitor on a
        assert trials[trial_id].modality == "other"                   # venetoclax backbone
        assert "venetoclax" in trials[trial_id].drugs
    assert trials["NCT06481241"].modality == "bcl2"  # venetoclax + CAR-T: bcl2 first


def test_a_backbone_drug_must_be_one_of_the_trials_drugs(tmp_path):
    data = json.loads((CURATED_DIR / "004_1c3759fde8d02089.json").read_text())
    data["trials"][0]["backbone"] = ["decitabine"]
    (tmp_path / "bad.json").write_text(json.dumps(data))
    with pytest.raises(CuratedDataError, match="backbone drugs not listed in drugs"):
        load_curated_files(tmp_path)


def test_cll14_keeps_the_printed_pfs_with_a_visible_caveat():
    outcomes = {o.value: o for o in _merged()["NCT02242942"].outcomes}
    for value in ("76.2%", "36.4%", "HR 0.31–0.40"):
        assert value in outcomes[value].quote
        assert "median PFS of 76.2 vs 36.4 months" in outcomes[value].caveat
        assert "HR 0.40, 95% CI 0.31–0.52" in outcomes[value].caveat


def test_class_level_statements_are_context_and_never_headlines():
    from tracker.domain.metrics import headline_outcomes

    trials = _merged()
    juliet = {o.value: o for o in trials["NCT02445248"].outcomes}
    eliana = {o.value: o for o in trials["NCT02435849"].outcomes}
    assert juliet["about 60%"].kind == eliana["approximately 50%"].kind == OutcomeKind.CONTEXT
    assert juliet["52%"].kind == OutcomeKind.RESULT
    context = [o for t in trials.values() for o in t.outcomes if o.is_context]
    assert len(context) >= 9  # the two above and the product-level statements
    assert not any(o.is_context for t in trials.values() for o in headline_outcomes(t.outcomes))


def test_a_trial_with_figures_never_says_no_results_are_quoted():
    import re

    claims = re.compile(r"no (results|figures|outcomes?) (are|is|were) (quoted|given|reported)|"
                        r"no results reported|no figures are given", re.IGNORECASE)
    contradictions = [t.id for t in merge_curated(FILES)
                      if any(not o.is_context for o in t.outcomes) and claims.search(t.summary)]
    assert contradictions == []


def test_a_unit_from_a_table_header_is_a_unit_never_a_timepoint():
    import re

    from tracker.domain.headline_labels import with_unit

    bare = re.compile(r"^\s*[~<>≤≥]?\s*\d+(?:[.,]\d+)?\s*$")
    unit_word = re.compile(r"\b(months?|years?|weeks?|days?)\b", re.IGNORECASE)
    misplaced = [(t.id, o.metric) for t in _merged().values() for o in t.outcomes
                 if bare.match(o.value) and unit_word.search(o.timepoint or "")]
    assert misplaced == []
    zuma7 = {o.metric: o for o in _merged()["NCT03391466"].outcomes}
    assert zuma7["median follow-up"].value == "24.9"  # as printed
    assert with_unit(zuma7["median follow-up"]) == "24.9 months"


def test_pooled_and_cross_trial_figures_are_context_not_a_trials_result():
    trials = _merged()
    for trial_id in ("NCT02746952", "NCT02808442", "LOCAL-VENETOCLAX-MONO-RR-CLL-COMPARATOR"):
        assert all(o.is_context for o in trials[trial_id].outcomes), trial_id


def test_a_figure_for_a_historical_cohort_carries_a_caveat():
    """An earlier cohort of the same protocol (or any non-randomised comparator) is not a control
    arm: its figures and the P values against it say so next to the figure, and so never join a
    sound figure in a headline (metrics.py)."""
    import re

    historical = re.compile(r"\b(original|historical|earlier|previous) cohort\b|historical control|"
                            r"non-?randomi[sz]ed", re.IGNORECASE)
    outcomes = [(t.id, o) for t in _merged().values() for o in t.outcomes]
    cohorts = [(trial_id, o) for trial_id, o in outcomes if historical.search(o.arm or "")]
    assert cohorts, "the pattern no longer matches any arm: check the labels it looks for"
    assert [(trial_id, o.metric, o.value) for trial_id, o in cohorts if not o.caveat] == []


def test_karmma_table_rates_not_traced_to_the_trial_report_are_caveated_and_never_lead():
    """The review's product table prints 27.3%/64% (12 mo) as ide-cel's PFS/OS; KarMMa's
    report gave median PFS 8.8 and median OS 19.4 months, which do not contradict those rates
    (a median PFS of 8.8 months fits a 12-month PFS below 50%), but the curator could not
    trace them to a rate in the report, and the same table misprints ELIANA's and JULIET's
    survival figures: they carry a caveat that says so, without claiming a contradiction,
    and the sound ORR/CR lead."""
    from tracker.domain.metrics import headline_text

    karmma = _merged()["NCT03361748"]
    rates = {o.metric: o for o in karmma.outcomes if o.value in ("27.3%", "64%")}
    assert set(rates) == {"PFS", "OS"}
    for outcome in rates.values():
        assert "median PFS of 8.8 months and a median OS of 19.4 months" in outcome.caveat
        assert "could not trace either to a 12-month rate" in outcome.caveat
        assert "do not fit" not in outcome.caveat
    assert headline_text(karmma.outcomes) == "CR 33% · ORR 73%"
