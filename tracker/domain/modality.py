"""Modality of a trial: the rule, one table of name patterns, and the registry guess.

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
The registry does not say which drug is the backbone, so `guess_modality` classifies every
intervention by rules 3-4; curated data, which knows the backbone, is authoritative.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tracker.domain.enums import Modality

_BCL2 = re.compile(
    r"venetoclax|abt-?199|sonrotoclax|bgb-?11417|lisaftoclax|apg-?2575|navitoclax|"
    r"lp-?118|lp-?108|loxo-?338|s64315|mik665|amg[ -]?397|az?d-?0466|dt-?2216|obatoclax|"
    r"[a-z]+clax\b",  # -clax: the INN stem of BCL-2 family inhibitors (e.g. clezutoclax)
    re.IGNORECASE,
)
_CAR_T = re.compile(
    r"\bcar[- ]?t\b|chimeric antigen receptor(?! nk)|cabtagene|lecleucel|leucel|autoleucel|"
    r"vicleucel|maraleucel|ciloleucel|\bcar\b(?![- ]?(nk|m)\b)|\bucart|\bunicar|\bcyad-?\d+|"
    r"\bcta-?101\b",
    re.IGNORECASE,
)
_BISPECIFIC = re.compile(
    r"bispecific|blinatumomab|epcoritamab|glofitamab|mosunetuzumab|odronextamab|teclistamab|"
    r"elranatamab|talquetamab|linvoseltamab|cevostamab|etentamig|\bbite\b",
    re.IGNORECASE,
)
MODALITY_PATTERNS: tuple[tuple[re.Pattern[str], Modality], ...] = (
    (_BCL2, Modality.BCL2), (_CAR_T, Modality.CAR_T), (_BISPECIFIC, Modality.BISPECIFIC),
)


def regimen_modality(studied: Iterable[str], title: str = "") -> Modality:
    """The modality of the investigational agents `studied` (backbone drugs left out); the
    title decides only when no studied agent is named."""
    names = [name for name in studied if name.strip()]
    text = " ; ".join(names) if names else title
    for pattern, modality in MODALITY_PATTERNS:
        if pattern.search(text):
            return modality
    return Modality.OTHER


def guess_modality(interventions: list[str] | tuple[str, ...], title: str = "") -> Modality:
    """For registry trials, whose backbone is unknown: every intervention and the title."""
    return regimen_modality([*interventions, title])
