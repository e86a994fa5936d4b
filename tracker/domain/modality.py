"""Propose a trial's modality from its registry record: one documented table of drugs and words.

Each rule names a modality, what the user sees as evidence ("venetoclax") and a pattern.
Modalities are tried in table order; for each, the interventions are searched first, then the
titles, then the conditions; the first hit wins and is reported ("venetoclax in
interventions"). BCL-2
inhibitors come first (the app's focus: a venetoclax + CAR-T study is filed under BCL-2), then
CAR-T, then bispecifics. No hit leaves the trial `other`; the user can change it.

| modality   | matched by                                                                      |
|------------|---------------------------------------------------------------------------------|
| BCL-2      | venetoclax (ABT-199, GDC-0199), sonrotoclax (BGB-11417), lisaftoclax (APG-2575), |
|            | navitoclax (ABT-263), LP-118, LP-108, LOXO-338, S64315/MIK665, AMG 397, AZD0466, |
|            | DT2216, obatoclax, and "BCL-2 inhibitor"                                          |
| CAR-T      | "-cel" products (tisa-cel, axi-cel, cilta-cel…), "-cabtagene"/"-leucel" names,    |
|            | "CAR-T"/"CAR T", "chimeric antigen receptor", and the bare word "CAR" in capitals |
| bispecific | blinatumomab, epcoritamab, glofitamab, mosunetuzumab, odronextamab, teclistamab,  |
|            | elranatamab, talquetamab, linvoseltamab, cevostamab, etentamig (ABBV-383),        |
|            | forimtamig, alnuctamab, "-tamig" names, "bispecific", "BiTE", "×CD3"/"xCD3"       |
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracker.domain.enums import Modality

_I = re.IGNORECASE


@dataclass(frozen=True)
class ModalityRule:
    modality: Modality
    label: str  # what the evidence calls the match when the pattern is a family of names
    pattern: re.Pattern[str]
    name_match: bool = True  # evidence shows the matched text itself (a drug name)


def _rule(modality: Modality, label: str, pattern: str, flags: int = _I,
          name_match: bool = True) -> ModalityRule:
    return ModalityRule(modality, label, re.compile(pattern, flags), name_match)


MODALITY_RULES: tuple[ModalityRule, ...] = (
    _rule(Modality.BCL2, "venetoclax", r"\bvenetoclax\b|\babt-?199\b|\bgdc-?0199\b"),
    _rule(Modality.BCL2, "sonrotoclax", r"\bsonrotoclax\b|\bbgb-?11417\b"),
    _rule(Modality.BCL2, "lisaftoclax", r"\blisaftoclax\b|\bapg-?2575\b"),
    _rule(Modality.BCL2, "navitoclax", r"\bnavitoclax\b|\babt-?263\b"),
    _rule(Modality.BCL2, "BCL-2 family inhibitor",
          r"\blp-?118\b|\blp-?108\b|\bloxo-?338\b|\bs64315\b|\bmik665\b|\bamg[ -]?397\b|"
          r"\baz?d-?0466\b|\bdt-?2216\b|\bobatoclax\b"),
    _rule(Modality.BCL2, "BCL-2 inhibitor", r"\bbcl-?2 inhibit", name_match=False),
    _rule(Modality.CAR_T, "-cel product", r"\b[a-z]{3,}-cel\b"),
    _rule(Modality.CAR_T, "CAR-T product", r"\b\w*cabtagene(?:\s+\w*leucel)?\b|\b\w*leucel\b"),
    _rule(Modality.CAR_T, "CAR-T", r"\bcar[- ]?t\b|\bcar-?nk\b", name_match=False),
    _rule(Modality.CAR_T, "chimeric antigen receptor", r"chimeric antigen receptor",
          name_match=False),
    _rule(Modality.CAR_T, "CAR", r"\bCAR\b", flags=0, name_match=False),
    _rule(Modality.BISPECIFIC, "named bispecific",
          r"\bblinatumomab\b|\bepcoritamab\b|\bglofitamab\b|\bmosunetuzumab\b|"
          r"\bodronextamab\b|\bteclistamab\b|\belranatamab\b|\btalquetamab\b|"
          r"\blinvoseltamab\b|\bcevostamab\b|\betentamig\b|\babbv-?383\b|\bforimtamig\b|"
          r"\balnuctamab\b|\b\w+tamig\b"),
    _rule(Modality.BISPECIFIC, "bispecific", r"\bbi-?specific", name_match=False),
    _rule(Modality.BISPECIFIC, "BiTE", r"\bBiTE\b", flags=0, name_match=False),
    _rule(Modality.BISPECIFIC, "×CD3", r"[×x]\s?CD3\b", name_match=False),
)


@dataclass(frozen=True)
class ModalityProposal:
    modality: Modality
    evidence: str  # "venetoclax in interventions"; "" when nothing matched


def propose_modality(interventions: list[str] | tuple[str, ...], title: str = "",
                     conditions: list[str] | tuple[str, ...] = ()) -> ModalityProposal:
    """Modalities in table order; for each, the interventions first, then the titles, then
    the conditions; there, the first rule that matches."""
    places = (("interventions", " ; ".join(interventions)), ("title", title),
              ("conditions", " ; ".join(conditions)))
    for modality in dict.fromkeys(rule.modality for rule in MODALITY_RULES):
        for where, text in places:
            for rule in (r for r in MODALITY_RULES if r.modality is modality and text):
                match = rule.pattern.search(text)
                if match:
                    shown = match.group(0) if rule.name_match else rule.label
                    return ModalityProposal(modality, f"{shown} in {where}")
    return ModalityProposal(Modality.OTHER, "")


def guess_modality(interventions: list[str] | tuple[str, ...], title: str = "") -> Modality:
    """BCL-2 inhibitors first (the app's focus), then CAR-T, then bispecifics, else other."""
    return propose_modality(interventions, title).modality
