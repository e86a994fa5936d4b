"""Read every curated file and merge trials that several reviews discuss into one Trial each."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from pydantic import ValidationError

from tracker.curated.format import CuratedFile, CuratedTrial
from tracker.domain import Outcome, RegistryState, Source, TrackerError, Trial
from tracker.domain.diseases import normalize


class CuratedDataError(TrackerError):
    """A curated file that does not follow `db/curated.schema.json`."""


def load_curated_files(folder: Path) -> list[CuratedFile]:
    files = []
    for path in sorted(folder.glob("*.json")):
        try:
            files.append(CuratedFile.model_validate_json(path.read_bytes()))
        except ValidationError as error:
            raise CuratedDataError(f"{path.name}: {error}") from error
    return files


def merge_curated(files: Iterable[CuratedFile]) -> list[Trial]:
    """One Trial per id: union of drugs, diseases and outcomes; first non-empty scalar wins."""
    merged: dict[str, dict] = {}
    for curated_file in files:
        for entry in curated_file.trials:
            outcomes = [_outcome(curated_file.source.file, o) for o in entry.outcomes]
            if entry.id not in merged:
                merged[entry.id] = _first_sighting(entry, outcomes)
            else:
                _fold_in(merged[entry.id], entry, outcomes)
    return [Trial.model_validate(data) for data in merged.values()]


def _outcome(seed_file: str, curated) -> Outcome:
    return Outcome(
        metric=curated.metric,
        value=curated.value,
        arm=curated.arm,
        population=curated.population,
        timepoint=curated.timepoint,
        unit=curated.unit,
        source=Source(file=seed_file, locator=curated.source),
        quote=curated.quote,
        caveat=curated.caveat,
        kind=curated.kind,
        print_fault=curated.print_fault.as_domain() if curated.print_fault else None,
    )


def _first_sighting(entry: CuratedTrial, outcomes: list[Outcome]) -> dict:
    state = RegistryState.NO_REGISTRY_RECORD if entry.id_provenance == "local" else None
    return {
        "id": entry.id,
        "id_provenance": entry.id_provenance,
        "acronym": entry.acronym,
        "brief_title": entry.title,
        "summary": entry.summary,
        "modality": entry.modality,
        "drugs": list(entry.drugs),
        "diseases": list(normalize(entry.diseases, keep_unknown=True)),
        "phases": list(entry.phases),
        "comparator": entry.comparator,
        "outcomes": outcomes,
        "registry_state": state or RegistryState.NEVER_SYNCED,
    }


def _fold_in(data: dict, entry: CuratedTrial, outcomes: list[Outcome]) -> None:
    diseases = normalize(entry.diseases, keep_unknown=True)
    for key, values in (("drugs", entry.drugs), ("diseases", diseases), ("phases", entry.phases)):
        data[key] += [v for v in values if v not in data[key]]
    data["acronym"] = data["acronym"] or entry.acronym
    data["comparator"] = data["comparator"] or entry.comparator
    if entry.summary and entry.summary not in data["summary"]:
        data["summary"] = f"{data['summary']} {entry.summary}"
    data["outcomes"] += outcomes
    if data["id_provenance"] == "curator" and entry.id_provenance == "seed":
        data["id_provenance"] = "seed"
