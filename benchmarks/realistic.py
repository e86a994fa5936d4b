"""A realistic synthetic library for the benchmarks: what a heavy user's file looks like.

Every trial has been synced (status, dates with their kind, enrollment, sponsor, phases,
conditions, interventions, a registry summary of about 450 characters), carries one status
change in its history, a curated-style outcome on a quarter of the trials, and a personal note
on 1 %. Text is varied (drug, disease, sponsor and wording rotate) so the search index and the
card texts are not one repeated string. Built through the library's own repositories, so the
file has whatever schema the app writes today.

    python -m benchmarks.realistic DIR COUNT     # writes DIR/library.sqlite3 and prints a summary
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from pathlib import Path

from tracker.domain import Trial
from tracker.domain.changes import FieldChange, Significance
from tracker.domain.enums import RegistryStatus
from tracker.services.library import apply_disease_vocabulary
from tracker.store import LIBRARY_FILE_NAME, Library
from tracker.store.timestamps import to_text

DISEASES = ("CLL", "AML", "MM", "DLBCL", "ALL", "MCL", "FL", "MDS", "MZL", "LBCL")
CONDITIONS = {
    "CLL": "Chronic Lymphocytic Leukemia", "AML": "Acute Myeloid Leukemia",
    "MM": "Multiple Myeloma", "DLBCL": "Diffuse Large B-Cell Lymphoma",
    "ALL": "B-cell Acute Lymphoblastic Leukemia", "MCL": "Mantle Cell Lymphoma",
    "FL": "Follicular Lymphoma", "MDS": "Myelodysplastic Syndromes",
    "MZL": "Marginal Zone Lymphoma", "LBCL": "Large B-cell Lymphoma",
}
DRUGS = ("venetoclax", "sonrotoclax", "lisaftoclax", "ciltacabtagene autoleucel",
         "idecabtagene vicleucel", "axicabtagene ciloleucel", "tisagenlecleucel",
         "epcoritamab", "glofitamab", "mosunetuzumab", "teclistamab", "talquetamab",
         "elranatamab", "blinatumomab", "azacitidine", "obinutuzumab", "ibrutinib")
MODALITY = {"venetoclax": "bcl2", "sonrotoclax": "bcl2", "lisaftoclax": "bcl2",
            "ciltacabtagene autoleucel": "car-t", "idecabtagene vicleucel": "car-t",
            "axicabtagene ciloleucel": "car-t", "tisagenlecleucel": "car-t"}
SPONSORS = ("AbbVie", "BeiGene", "Janssen Research & Development, LLC", "Genmab",
            "Hoffmann-La Roche", "Kite, A Gilead Company", "Novartis Pharmaceuticals",
            "M.D. Anderson Cancer Center", "University of Pennsylvania", "Ascentage Pharma",
            "Pfizer", "Amgen", "National Cancer Institute (NCI)", "Peking University")
STATUSES = (RegistryStatus.RECRUITING, RegistryStatus.ACTIVE_NOT_RECRUITING,
            RegistryStatus.COMPLETED, RegistryStatus.NOT_YET_RECRUITING,
            RegistryStatus.TERMINATED)
PHASES = (("PHASE1",), ("PHASE1", "PHASE2"), ("PHASE2",), ("PHASE3",))
SUMMARY = (
    "This {phase} study evaluates {drug} {combo} in adults with {condition} who {line}. "
    "Participants receive {drug} in 28-day cycles until disease progression or unacceptable "
    "toxicity. The primary objective is to estimate the {endpoint}; secondary objectives "
    "include duration of response, minimal residual disease negativity in bone marrow, "
    "progression-free and overall survival, and the incidence of adverse events including "
    "tumour lysis syndrome, neutropenia and infections. Trial {n} of the synthetic set."
)
COMBOS = ("alone", "with azacitidine", "with obinutuzumab", "with ibrutinib",
          "with dexamethasone", "after lymphodepletion")
LINES = ("are newly diagnosed", "have relapsed after at least two prior lines of therapy",
         "are refractory to their last line of therapy", "are unfit for intensive chemotherapy")
ENDPOINTS = ("overall response rate", "complete remission rate", "progression-free survival",
             "event-free survival")
SOURCE = {"file": "000_50fe522fa3562aed.txt", "locator": "Table 1"}
BASE_ID = 70000000
SYNCED_AT = dt.datetime(2026, 11, 30, 8, 0, tzinfo=dt.UTC)


def trial_ids(count: int) -> list[str]:
    return [f"NCT{BASE_ID + n:08d}" for n in range(count)]


def realistic_trial(n: int, rng: random.Random) -> Trial:
    drug = DRUGS[n % len(DRUGS)]
    disease = DISEASES[(n // 3) % len(DISEASES)]
    phases = PHASES[n % len(PHASES)]
    start = dt.date(2015, 1, 1) + dt.timedelta(days=rng.randrange(0, 3650))
    primary = start + dt.timedelta(days=rng.randrange(365, 2200))
    summary = SUMMARY.format(
        phase=" / ".join(p.title().replace("Phase", "phase ") for p in phases), drug=drug,
        combo=COMBOS[n % len(COMBOS)], condition=CONDITIONS[disease].lower(),
        line=LINES[n % len(LINES)], endpoint=ENDPOINTS[n % len(ENDPOINTS)], n=n)
    outcomes = ([{"metric": "ORR", "value": f"{40 + n % 60}%", "source": SOURCE}]
                if n % 4 == 0 else [])
    return Trial(
        id=f"NCT{BASE_ID + n:08d}", id_provenance="registry",
        acronym=f"SYN-{n}" if n % 3 == 0 else None,
        brief_title=f"{drug.title()} {COMBOS[n % len(COMBOS)]} in {CONDITIONS[disease]} "
                    f"({LINES[n % len(LINES)].split(' ', 1)[1]})",
        official_title=f"A {phases[-1].title()} Study of {drug.title()} in Participants With "
                       f"{CONDITIONS[disease]}",
        brief_summary=summary, summary="", modality=MODALITY.get(drug, "bispecific"
                                                                   if drug.endswith("mab")
                                                                   else "other"),
        drugs=(drug,), diseases=(disease,), conditions=(CONDITIONS[disease],),
        interventions=(drug, "azacitidine") if n % 2 else (drug,), phases=phases,
        status=STATUSES[n % len(STATUSES)],
        start_date={"value": start.isoformat(), "kind": "ACTUAL"},
        primary_completion_date={"value": primary.strftime("%Y-%m"), "kind": "ESTIMATED"
                                 if primary > dt.date(2026, 12, 1) else "ACTUAL"},
        enrollment=20 + rng.randrange(0, 800), enrollment_kind="ACTUAL",
        sponsor=SPONSORS[n % len(SPONSORS)], has_results=n % 7 == 0,
        last_update_posted=(start + dt.timedelta(days=400)).isoformat(),
        last_synced_at=SYNCED_AT, registry_state="found", outcomes=outcomes,
    )


def make_realistic_library(folder: Path, count: int, seed: int = 4) -> list[str]:
    """Write DIR/library.sqlite3 with `count` realistic trials; return their ids."""
    rng = random.Random(seed)
    library = Library(folder / LIBRARY_FILE_NAME)
    library.meta.set("curated", "off")  # only these trials: the counts must be exact
    for start in range(0, count, 5000):
        library.trials.insert(realistic_trial(n, rng) for n in range(start, min(count,
                                                                               start + 5000)))
    _add_history_and_notes(library, count)
    # as after its first start: the app maps conditions to its disease vocabulary once, when
    # it first opens a library (writing ~45 MB for 10,000 trials at 100k); a benchmark of
    # ordinary starts must not pay that one-time upgrade on its first run only
    apply_disease_vocabulary(library)
    library.close()
    (folder / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0.2}))
    return trial_ids(count)


def _add_history_and_notes(library: Library, count: int) -> None:
    """Each trial's first status in the change log, a primary-completion slip on one in ten
    (a major change in the last sync), and a note on one in a hundred."""
    ids = trial_ids(count)
    changes = [FieldChange(trial_id=trial_id, field="overall_status", new=STATUSES[n % 5].value,
                           significance=Significance.INITIAL, registry_date="2025-06-01",
                           seen_at=SYNCED_AT) for n, trial_id in enumerate(ids)]
    changes += [FieldChange(trial_id=ids[n], field="primary_completion", old="2026-03",
                            new="2027-05", detail="+14 months", significance=Significance.MAJOR,
                            registry_date="2026-11-20", seen_at=SYNCED_AT)
                for n in range(0, count, 10)]
    library.changes.add(changes)
    library.meta.set("last_sync_at", to_text(SYNCED_AT))
    for n in range(0, count, 100):
        library.notes.add(ids[n], f"Discussed at journal club; compare with the real-world "
                                  f"cohort ({n}). Check the MRD data at the next cut.")


def build_in_subprocess(folder: Path, count: int) -> list[str]:
    """Build the library in a child process, so the benchmark process stays small: a child's
    peak memory (ru_maxrss) starts from its parent's size at fork, and a parent that had built
    100,000 trials would lend every measured command its own ~180 MB."""
    subprocess.run([sys.executable, "-m", "benchmarks.realistic", str(folder), str(count)],
                   check=True, stdout=subprocess.DEVNULL)
    return trial_ids(count)


def main() -> None:
    folder, count = Path(sys.argv[1]), int(sys.argv[2])
    folder.mkdir(parents=True, exist_ok=True)
    make_realistic_library(folder, count)
    library = Library(folder / LIBRARY_FILE_NAME)
    found = library.trials.count()
    library.close()
    size = (folder / LIBRARY_FILE_NAME).stat().st_size / 1e6
    print(f"{found:,} trials, {size:.1f} MB in {folder}")
    if found != count:
        raise SystemExit(f"asked for {count} trials, the library holds {found}")


if __name__ == "__main__":
    main()
