"""The curated library in db/: schema, ids, sources, and fidelity to the review articles."""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, SHARED_DIR
from tracker.curated import load_curated_files, merge_curated
from tracker.curated.format import json_schema_text
from tracker.domain import RegistryState
from tracker.domain.ids import is_local_id, is_nct_id

CURATED_DIR = REPO_ROOT / "db" / "curated"
SEEDS_DIR = SHARED_DIR / "seeds"
FILES = load_curated_files(CURATED_DIR)


def _folded(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    assert SEEDS_DIR.is_dir(), f"the review articles are expected in {SEEDS_DIR}"
    return {path.name: path.read_text(encoding="utf-8") for path in SEEDS_DIR.glob("*.txt")}


def test_committed_json_schema_matches_the_models():
    committed = (REPO_ROOT / "db" / "curated.schema.json").read_text()
    assert committed == json_schema_text(), "regenerate: python -m tracker.curated.format"


def test_every_curated_file_validates_and_is_plain_indented_json():
    paths = sorted(CURATED_DIR.glob("*.json"))
    assert len(paths) == len(FILES) >= 5
    for path in paths:
        assert json.loads(path.read_text())["format"] == "trial-tracker-curated/1"
        assert "\n  " in path.read_text(), f"{path.name} should be indented for review"


def test_every_review_article_has_a_curated_file(seeds):
    covered = {curated.source.file for curated in FILES}
    assert covered == set(seeds)


def test_ids_are_well_formed_and_provenance_is_consistent():
    for curated in FILES:
        for trial in curated.trials:
            assert is_nct_id(trial.id) or is_local_id(trial.id), trial.id
            assert (trial.id_provenance == "local") == is_local_id(trial.id), trial.id


def test_seed_provenance_means_the_review_prints_the_id(seeds):
    for curated in FILES:
        text = seeds[curated.source.file]
        for trial in curated.trials:
            if trial.id_provenance == "seed":
                assert trial.id in text, f"{trial.id} is marked 'seed' but not in {curated.source.file}"


def test_every_nct_id_the_reviews_print_is_in_the_library(seeds):
    library_ids = {trial.id for trial in merge_curated(FILES)}
    printed = {m for text in seeds.values() for m in re.findall(r"NCT\d{8}", text)}
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


def test_every_outcome_value_is_printed_verbatim_in_its_seed(seeds):
    folded = {name: _folded(text) for name, text in seeds.items()}
    missing = [
        (curated.source.file, trial.id, outcome.value)
        for curated in FILES for trial in curated.trials for outcome in trial.outcomes
        if _folded(outcome.value) not in folded[curated.source.file]
    ]
    assert missing == []


def test_every_outcome_has_a_source_and_the_library_has_figures():
    trials = merge_curated(FILES)
    outcomes = [o for t in trials for o in t.outcomes]
    assert len(outcomes) >= 150
    assert all(o.source.file.endswith(".txt") and len(o.source.locator) >= 3 for o in outcomes)


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
    assert any(o.value == "11.93 months" for o in trials["LOCAL-VENAZA-CHINA-RW"].outcomes)


def test_summaries_are_not_copied_sentences_from_the_reviews(seeds):
    corpus = _folded(" ".join(seeds.values())).lower()
    for curated in FILES:
        for trial in curated.trials:
            words = _folded(trial.summary).lower().split()
            runs = {" ".join(words[i:i + 12]) for i in range(max(len(words) - 11, 0))}
            assert not any(run in corpus for run in runs), f"{trial.id} summary copies the review"


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
