"""Check the curated library against the full review articles (a curator's maintenance command).

    python -m tracker.curated.verify --seeds ../shared/seeds            # check; exit 1 on problems
    python -m tracker.curated.verify --seeds DIR --write-fixture        # refresh the NCT id list
    python -m tracker.curated.verify --seeds DIR --fill-quotes          # suggest missing quotes

The test suite never reads the review articles (a clone does not have them): it checks each value
against its own `quote`, and the NCT ids the reviews print against `tests/data/seed_nct_ids.json`,
which this command writes. This command closes the loop: every quote must occur in its review,
the id list must match what the reviews print, and no summary may copy the reviews' sentences.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

from tracker.curated.format import CuratedFile
from tracker.curated.loader import load_curated_files
from tracker.curated.quotes import best_quote, fold

REPO_ROOT = Path(__file__).resolve().parents[2]
CURATED_DIR = REPO_ROOT / "db" / "curated"
FIXTURE = REPO_ROOT / "tests" / "data" / "seed_nct_ids.json"
COPY_RUN = 12  # a summary sharing this many consecutive words with a review copies it
NCT_ID = re.compile(r"NCT\d{8}")


def read_seeds(folder: Path) -> dict[str, str]:
    seeds = {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.txt"))}
    if not seeds:
        raise SystemExit(f"no review articles (*.txt) in {folder}: pass --seeds DIR")
    return seeds


def printed_nct_ids(seeds: dict[str, str]) -> dict[str, list[str]]:
    return {name: sorted(set(NCT_ID.findall(text))) for name, text in seeds.items()}


def fixture_text(seeds: dict[str, str]) -> str:
    data = {"about": "NCT ids printed in each review article; written by "
                     "`python -m tracker.curated.verify --seeds DIR --write-fixture`",
            "reviews": printed_nct_ids(seeds)}
    return json.dumps(data, indent=2) + "\n"


def problems(files: list[CuratedFile], seeds: dict[str, str], fixture: Path) -> Iterator[str]:
    """Every way the curated files disagree with the review texts, one line each."""
    folded = {name: fold(text) for name, text in seeds.items()}
    yield from _coverage(files, seeds)
    for curated in files:
        seed = folded.get(curated.source.file, "")
        for trial in curated.trials:
            if trial.id_provenance == "seed" and trial.id not in seed:
                yield f"{curated.source.file}: {trial.id} is marked 'seed' but the review does not print it"
            for outcome in trial.outcomes:
                if fold(outcome.quote) not in seed:
                    yield (f"{curated.source.file}: {trial.id} {outcome.metric} {outcome.value!r}: "
                           f"quote not found in the review: {outcome.quote!r}")
    yield from _missing_ids(files, seeds)
    yield from _copied_summaries(files, folded)
    if not fixture.is_file() or fixture.read_text() != fixture_text(seeds):
        yield f"{fixture}: out of date with the reviews; rerun with --write-fixture"


def _coverage(files: list[CuratedFile], seeds: dict[str, str]) -> Iterator[str]:
    covered = {curated.source.file for curated in files}
    for name in sorted(set(seeds) - covered):
        yield f"{name}: review article with no curated file"
    for name in sorted(covered - set(seeds)):
        yield f"{name}: curated file names a review that is not in the seeds folder"


def _missing_ids(files: list[CuratedFile], seeds: dict[str, str]) -> Iterator[str]:
    library = {trial.id for curated in files for trial in curated.trials}
    for name, ids in printed_nct_ids(seeds).items():
        for trial_id in ids:
            if trial_id not in library:
                yield f"{name}: prints {trial_id}, which no curated file holds"


def _copied_summaries(files: list[CuratedFile], folded: dict[str, str]) -> Iterator[str]:
    corpus = " ".join(folded.values()).lower()
    for curated in files:
        for trial in curated.trials:
            words = fold(trial.summary).lower().split()
            for i in range(max(len(words) - COPY_RUN + 1, 0)):
                run = " ".join(words[i:i + COPY_RUN])
                if run in corpus:
                    yield f"{trial.id}: summary copies the review: {run!r}"
                    break


def curated_json_text(data: dict) -> str:
    """Indented JSON as the curated files are kept: short lists of names on one line."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    return _SHORT_LIST.sub(lambda m: "[" + ", ".join(json.dumps(v, ensure_ascii=False)
                                                     for v in json.loads(m.group())) + "]", text)


_SHORT_LIST = re.compile(r'\[\n(?:\s*"[^"\n]*",?\n)+\s*\]')


def fill_quotes(curated_dir: Path, seeds: dict[str, str]) -> int:
    """Give every outcome with no quote the best candidate passage; return how many were filled."""
    filled = 0
    for path in sorted(curated_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        seed = seeds.get(data["source"]["file"], "")
        for trial in data["trials"]:
            hints = [trial.get("acronym") or "", *trial["drugs"]]
            for outcome in trial["outcomes"]:
                if outcome.get("quote"):
                    continue
                quote = best_quote(seed, outcome["value"], [*hints, outcome.get("arm") or "",
                                                            outcome["metric"],
                                                            outcome.get("timepoint") or ""],
                                   [o["value"] for o in trial["outcomes"]])
                if quote:
                    outcome["quote"] = quote
                    filled += 1
        path.write_text(curated_json_text(data), encoding="utf-8")
    return filled


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tracker.curated.verify", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=Path, required=True, help="folder of the review texts")
    parser.add_argument("--curated", type=Path, default=CURATED_DIR, help="curated JSON folder")
    parser.add_argument("--fixture", type=Path, default=FIXTURE, help="NCT id list for the tests")
    parser.add_argument("--write-fixture", action="store_true", help="rewrite the NCT id list")
    parser.add_argument("--fill-quotes", action="store_true",
                        help="suggest a quote for outcomes that have none (then read them!)")
    args = parser.parse_args(argv)
    seeds = read_seeds(args.seeds)
    if args.fill_quotes:
        print(f"filled {fill_quotes(args.curated, seeds)} quotes; read them before committing")
    if args.write_fixture:
        args.fixture.parent.mkdir(parents=True, exist_ok=True)
        args.fixture.write_text(fixture_text(seeds))
        print(f"wrote {args.fixture}")
    files = load_curated_files(args.curated)
    found = list(problems(files, seeds, args.fixture))
    for line in found:
        print(line)
    outcomes = sum(len(t.outcomes) for f in files for t in f.trials)
    if found:
        print(f"{len(found)} problem(s) in {len(files)} curated files", file=sys.stderr)
        return 1
    print(f"OK: {outcomes} quotes found in {len(seeds)} reviews; NCT id list and summaries checked")
    return 0


if __name__ == "__main__":
    sys.exit(main())
