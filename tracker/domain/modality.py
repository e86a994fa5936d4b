"""Modality of a trial: the rule, one documented table of name patterns, and the proposals.

The rule (also in db/README.md), used for curated trials and for trials added from the registry:
1. A trial's modality is the class of its *investigational* agent: what the trial tests, or what
   it adds on top of a backbone.
2. Backbone and partner drugs (the established regimen every arm receives, or the drugs the
   studied agent is given with) never set the modality, not even venetoclax. Durvalumab added to
   acalabrutinib + venetoclax (NCT05388006), nivolumab added to decitabine + venetoclax
   (NCT04277442) and pembrolizumab added to decitabine (± venetoclax) (NCT03969446) are `other`;
   the curated files list such drugs in `backbone`, and `drugs` still names venetoclax, so a
   search for venetoclax finds them.
3. When the investigational regimen combines several tracked classes (venetoclax + CAR-T),
   the order BCL-2 inhibitor > CAR-T > bispecific decides: the app's focus first.
4. CAR-T means CAR T-cell products; CAR-NK and other cell therapies are `other`.
The registry does not say which drug is the backbone, so `guess_modality` and
`propose_modality` (the inbox's proposal, with its evidence: "venetoclax in interventions")
classify every intervention by rules 3-4; curated data, which knows the backbone, is
authoritative. A proposal looks at the interventions first, then the titles, then the
conditions, for each class in the order of rule 3; nothing matched stays `other`.

| modality   | matched by (`MODALITY_RULES`)                                                    |
|------------|----------------------------------------------------------------------------------|
| BCL-2      | venetoclax (ABT-199, GDC-0199), sonrotoclax (BGB-11417), lisaftoclax (APG-2575),  |
|            | navitoclax (ABT-263), LP-118, LP-108, LOXO-338, S64315/MIK665, AMG 397, AZD0466,  |
|            | DT2216, obatoclax, any "-clax" (the INN stem), "BCL-2 inhibitor"                  |
| CAR-T      | "-cel" products (tisa-cel, axi-cel, cilta-cel…), "-cabtagene"/"-leucel" names,     |
|            | UCART, UniCAR, CYAD-nn, CTA101, "CAR-T"/"CAR T", "chimeric antigen receptor" and   |
|            | the word "CAR" (not CAR-NK, CAR-M)                                                |
| bispecific | blinatumomab, epcoritamab, glofitamab, mosunetuzumab, odronextamab, teclistamab,   |
|            | elranatamab, talquetamab, linvoseltamab, cevostamab, etentamig (ABBV-383),         |
|            | forimtamig, alnuctamab, "-tamig" names, "bispecific", "BiTE", "×CD3"/"xCD3"        |
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tracker.domain.enums import Modality

_I = re.IGNORECASE


@dataclass(frozen=True)
class ModalityRule:
    modality: Modality
    label: str  # what the evidence calls the match when it is a word, not a drug name
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
          r"\baz?d-?0466\b|\bdt-?2216\b|\bobatoclax\b|\b[a-z]+clax\b"),
    _rule(Modality.BCL2, "BCL-2 inhibitor", r"\bbcl-?2 inhibit", name_match=False),
    _rule(Modality.CAR_T, "-cel product", r"\b[a-z]{3,}-cel\b"),
    _rule(Modality.CAR_T, "CAR-T product",
          r"\b\w*cabtagene(?:\s+\w*leucel)?\b|\b\w*leucel\b|\bucart\w*|\bunicar[\w-]*|"
          r"\bcyad-?\d+|\bcta-?101\b"),
    _rule(Modality.CAR_T, "CAR-T", r"\bcar[- ]?t\b", name_match=False),
    _rule(Modality.CAR_T, "chimeric antigen receptor", r"chimeric antigen receptor(?! nk)",
          name_match=False),
    _rule(Modality.CAR_T, "CAR", r"\bcar\b(?![- ]?(nk|m)\b)", name_match=False),
    _rule(Modality.BISPECIFIC, "named bispecific",
          r"\bblinatumomab\b|\bepcoritamab\b|\bglofitamab\b|\bmosunetuzumab\b|"
          r"\bodronextamab\b|\bteclistamab\b|\belranatamab\b|\btalquetamab\b|"
          r"\blinvoseltamab\b|\bcevostamab\b|\betentamig\b|\babbv-?383\b|\bforimtamig\b|"
          r"\balnuctamab\b|\b\w+tamig\b"),
    _rule(Modality.BISPECIFIC, "bispecific", r"\bbi-?specific", name_match=False),
    _rule(Modality.BISPECIFIC, "BiTE", r"\bBiTE\b", flags=0, name_match=False),
    _rule(Modality.BISPECIFIC, "×CD3", r"[×x]\s?CD3\b", name_match=False),
)
_ORDER = tuple(dict.fromkeys(rule.modality for rule in MODALITY_RULES))  # rule 3


@dataclass(frozen=True)
class ModalityProposal:
    modality: Modality
    evidence: str  # "venetoclax in interventions"; "" when nothing matched


def _propose(places: Iterable[tuple[str, str]]) -> ModalityProposal:
    places = [(where, text) for where, text in places if text]
    for modality in _ORDER:
        for where, text in places:
            for rule in (r for r in MODALITY_RULES if r.modality is modality):
                match = rule.pattern.search(text)
                if match:
                    shown = match.group(0) if rule.name_match else rule.label
                    return ModalityProposal(modality, f"{shown} in {where}")
    return ModalityProposal(Modality.OTHER, "")


def propose_modality(interventions: list[str] | tuple[str, ...], title: str = "",
                     conditions: list[str] | tuple[str, ...] = ()) -> ModalityProposal:
    """A registry study's modality with the evidence for it (the inbox's proposal)."""
    return _propose((("interventions", " ; ".join(interventions)), ("title", title),
                     ("conditions", " ; ".join(conditions))))


def regimen_modality(studied: Iterable[str], title: str = "") -> Modality:
    """The modality of the investigational agents `studied` (backbone drugs left out); the
    title decides only when no studied agent is named."""
    names = [name for name in studied if name.strip()]
    place = ("studied agents", " ; ".join(names)) if names else ("title", title)
    return _propose([place]).modality


def guess_modality(interventions: list[str] | tuple[str, ...], title: str = "") -> Modality:
    """For registry trials, whose backbone is unknown: every intervention and the title."""
    return propose_modality(interventions, title).modality
