"""An inbox entry: a study a saved search found that is not in the library yet."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.enums import Modality, Phase, RegistryStatus


@dataclass(frozen=True)
class InboxItem:
    nct_id: str
    title: str
    acronym: str | None
    phases: tuple[Phase, ...]
    status: RegistryStatus | None
    sponsor: str | None
    first_posted: str | None  # YYYY-MM-DD as the registry gives it
    conditions: tuple[str, ...]
    interventions: tuple[str, ...]
    searches: tuple[str, ...]  # names of the saved searches that found it
    proposed_modality: Modality
    evidence: str  # "venetoclax in interventions", "" when nothing matched
    modality: Modality  # the proposal, or what the user changed it to
    found_at: str  # UTC timestamp of the check that first found it
    reason: str = ""  # "first-check", "posted", "updated:YYYY-MM-DD" ("" before it was kept)

    def found_because(self) -> str:
        """Why the study is here, in words: "newly posted 2026-12-01", "now matches: updated
        2026-12-02", "found by the first check"; "" when the check did not record it."""
        if self.reason == "posted":
            return f"newly posted {self.first_posted}" if self.first_posted else "newly posted"
        if self.reason.startswith("updated:"):
            return f"now matches: updated {self.reason.removeprefix('updated:')}"
        if self.reason == "first-check":
            return "found by the first check"
        return ""
