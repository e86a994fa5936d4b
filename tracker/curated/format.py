"""Pydantic models of one curated file; `db/curated.schema.json` is generated from them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from tracker.domain import Modality, OutcomeKind, Phase
from tracker.domain.ids import is_local_id, is_nct_id
from tracker.domain.misprints import FaultKind, PrintFault, fault_problem

FORMAT_TAG = "trial-tracker-curated/1"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


class CuratedSource(_Strict):
    file: str = Field(pattern=r"^[0-9]{3}_[0-9a-f]+\.txt$", description="seed file name")
    title: str | None = None
    citation: str | None = None


class CuratedPrintFault(_Strict):
    """The review printed the figure wrong (tracker/domain/misprints.py); its caveat tells
    the reader, this classes it for the tables that set figures side by side."""

    kind: FaultKind = Field(
        description="'misprint': the number is not what the trial reported (withheld from "
                    "comparison tables); 'mislabel': the trial's figure for another measure "
                    "than its label names (shown under what it measures)")
    measures: str | None = Field(
        default=None, min_length=2,
        description="for a mislabel only: what the figure really measures, a metric of the "
                    "vocabulary in tracker/domain/metrics.py (e.g. 'EFS', 'DOR')")
    why: str = Field(
        min_length=10,
        description="the curator's reason in a few words, checked against the primary report")

    def as_domain(self) -> PrintFault:
        return PrintFault(kind=self.kind, why=self.why, measures=self.measures)


class CuratedOutcome(_Strict):
    metric: str = Field(min_length=1)
    value: str = Field(min_length=1, description="exactly as printed in the seed")
    arm: str | None = None
    population: str | None = None
    timepoint: str | None = None
    unit: str | None = Field(
        default=None, min_length=1,
        description="for a value printed as a bare number, the unit its table prints once in the "
                    "column header (e.g. 'months'); shown after the value")
    source: str = Field(min_length=3, description="table or passage of the seed file")
    quote: str = Field(
        min_length=3, max_length=400,
        description="the sentence or table row the value was read from, verbatim (white space "
                    "folded); `python -m tracker.curated.verify` checks it against the review")
    caveat: str | None = Field(
        default=None, min_length=10,
        description="curator's note a reader must see, e.g. a misprint in the review")
    kind: OutcomeKind = Field(
        default=OutcomeKind.RESULT,
        description="'result' for a trial's own figure; 'context' for a class-level or background "
                    "statement the review attaches to the trial (never a headline or comparison)")
    print_fault: CuratedPrintFault | None = Field(
        default=None,
        description="set when the review printed the figure wrong (a misprint, a mislabel); "
                    "its caveat says so to the reader")

    @model_validator(mode="after")
    def _value_is_in_quote(self) -> CuratedOutcome:
        if " ".join(self.value.split()) not in " ".join(self.quote.split()):
            raise ValueError(f"value {self.value!r} does not occur in its quote {self.quote!r}")
        return self

    @model_validator(mode="after")
    def _print_fault_fits(self) -> CuratedOutcome:
        """A print fault has a caveat to point to, and a mislabel measures another metric of
        the vocabulary than its label names (the domain's rule)."""
        if self.print_fault is None:
            return self
        if not self.caveat:
            raise ValueError(f"{self.metric} {self.value}: a print fault needs a caveat that "
                             "tells the reader")
        problem = fault_problem(self.print_fault.as_domain(), self.metric)
        if problem:
            raise ValueError(f"{self.metric} {self.value}: {problem}")
        return self


class CuratedTrial(_Strict):
    id: str = Field(max_length=64, pattern=r"^(NCT[0-9]{8}|LOCAL-[A-Z0-9]+(-[A-Z0-9]+)*)$")
    id_provenance: Literal["seed", "curator", "local"]
    acronym: str | None = None
    title: str = Field(min_length=3)
    drugs: list[str]
    backbone: list[str] = Field(
        default_factory=list,
        description="drugs of `drugs` that are the backbone or partners the studied agent is "
                    "given with; they never set the modality (tracker/domain/modality.py)")
    modality: Modality
    diseases: list[str]
    phases: list[Phase]
    comparator: str | None = Field(
        default=None, min_length=3,
        description="for a randomised (controlled) trial: the arm the studied treatment is "
                    "compared with, as the title names it ('standard of care'), whether or not "
                    "the review prints a figure for it; figures of the other arm are then "
                    "labelled as one arm's, never read as a single-arm trial's")
    summary: str = Field(min_length=20)
    outcomes: list[CuratedOutcome]

    @model_validator(mode="after")
    def _backbone_is_among_the_drugs(self) -> CuratedTrial:
        stray = [drug for drug in self.backbone if drug not in self.drugs]
        if stray:
            raise ValueError(f"{self.id}: backbone drugs not listed in drugs: {stray}")
        return self

    @model_validator(mode="after")
    def _provenance_matches_id(self) -> CuratedTrial:
        if is_local_id(self.id) != (self.id_provenance == "local"):
            raise ValueError(f"{self.id}: local ids and only local ids have provenance 'local'")
        if is_nct_id(self.id) is False and not is_local_id(self.id):
            raise ValueError(f"{self.id}: not an NCT id or local id")
        return self


class CuratedFile(_Strict):
    format: Literal["trial-tracker-curated/1"]
    source: CuratedSource
    trials: list[CuratedTrial]

    @model_validator(mode="after")
    def _unique_ids(self) -> CuratedFile:
        seen: set[str] = set()
        for trial in self.trials:
            if trial.id in seen:
                raise ValueError(f"trial {trial.id} appears twice in one file")
            seen.add(trial.id)
        return self


def json_schema_text() -> str:
    """The JSON Schema of a curated file, as committed in `db/curated.schema.json`."""
    import json

    schema = CuratedFile.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://trial-tracker.invalid/schemas/curated-1.json"
    return json.dumps(schema, indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":  # regenerate: python -m tracker.curated.format > db/curated.schema.json
    print(json_schema_text(), end="")
