"""A curated figure the review printed wrong carries its print fault in the curated data,
beside its caveat (`print_fault`: kind, what a mislabel measures, why): checked by the loader,
kept by the Outcome and the store, and never written into a watch-list file (the previous
build refuses a key it does not know; every library ships the curated data)."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO_ROOT
from tracker.curated import CuratedDataError, load_curated_files, merge_curated
from tracker.domain.misprints import FaultKind, PrintFault

SOURCE = REPO_ROOT / "db" / "curated" / "004_1c3759fde8d02089.json"
WHY = "the review's figure is the median event-free survival"


def _load_with(tmp_path, fault: dict, *, caveat: str | None = "The review calls this ORR.",
               position: int = 6):
    """The real-world VEN-AZA file with `fault` on one outcome (6: ORR 85.7%, caveated)."""
    data = json.loads(SOURCE.read_text())
    outcome = data["trials"][0]["outcomes"][position]
    outcome["print_fault"] = fault
    if caveat is None:
        outcome.pop("caveat", None)
    else:
        outcome["caveat"] = caveat
    (tmp_path / "curated.json").write_text(json.dumps(data))
    return load_curated_files(tmp_path)


def test_the_loader_takes_a_mislabel_and_the_outcome_keeps_it(tmp_path):
    files = _load_with(tmp_path, {"kind": "mislabel", "measures": "CR/CRi", "why": WHY})
    [trial] = merge_curated(files)
    outcome = trial.outcomes[6]
    assert outcome.print_fault == PrintFault(FaultKind.MISLABEL, WHY, "CR/CRi")
    assert outcome.print_fault.marker(outcome.metric) == \
        "labelled ORR by the review; measures CR/CRi"
    assert not outcome.print_fault.withheld
    misprint = PrintFault(FaultKind.MISPRINT, WHY)
    assert misprint.withheld and misprint.marker("PFS") == "misprint in the review: see caveat"


@pytest.mark.parametrize(("fault", "caveat", "message"), [
    ({"kind": "misprint", "why": WHY}, None, "a print fault needs a caveat"),
    ({"kind": "mislabel", "why": WHY}, "x" * 20, "names what the figure measures"),
    ({"kind": "misprint", "measures": "EFS", "why": WHY}, "x" * 20, "`measures` is for a mislabel"),
    ({"kind": "mislabel", "measures": "Survival", "why": WHY}, "x" * 20,
     "a mislabel measures one of OS, PFS, EFS"),
    ({"kind": "mislabel", "measures": "ORR", "why": WHY}, "x" * 20, "already names ORR"),
    ({"kind": "typo", "why": WHY}, "x" * 20, "misprint"),
    ({"kind": "misprint", "why": "short"}, "x" * 20, "at least 10 characters"),
    ({"kind": "misprint", "why": WHY, "note": "x"}, "x" * 20, "Extra inputs"),
])
def test_the_loader_refuses_a_print_fault_that_does_not_fit(tmp_path, fault, caveat, message):
    with pytest.raises(CuratedDataError, match=message):
        _load_with(tmp_path, fault, caveat=caveat)


def test_a_watch_list_file_carries_no_print_fault_and_still_imports(seeded_library, tmp_path):
    from tracker.domain import Outcome, Source
    from tracker.services.exports import export_bytes
    from tracker.services.importer import import_file
    from tracker.services.library import open_library

    cll14 = seeded_library.trials.get("NCT02242942")
    faulted = Outcome(metric="PFS", value="76.2%", caveat="Misprint: a median in months.",
                      source=Source(file="000_50fe522fa3562aed.txt", locator="Table 3"),
                      print_fault=PrintFault(FaultKind.MISPRINT, "a median printed as a rate"))
    seeded_library.trials.update_curated(cll14.id, cll14.model_copy(
        update={"outcomes": (faulted,)}))
    seeded_library.watchlists.create("CLL club")
    seeded_library.watchlists.add("CLL club", [cll14.id])
    data = export_bytes(seeded_library, "CLL club", "json")
    outcomes = [o for trial in json.loads(data)["trials"] for o in trial["outcomes"]]
    assert outcomes and all("print_fault" not in o for o in outcomes)
    (tmp_path / "club.json").write_bytes(data)
    colleague = open_library(tmp_path / "colleague")
    try:
        import_file(colleague, tmp_path / "club.json")
        assert colleague.watchlists.get("CLL club").trial_ids == (cll14.id,)
    finally:
        colleague.close()
