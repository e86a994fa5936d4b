"""Guess a trial's modality from its intervention names (for trials added from the registry)."""

from __future__ import annotations

import re

from tracker.domain.enums import Modality

_BCL2 = re.compile(
    r"venetoclax|abt-?199|sonrotoclax|bgb-?11417|lisaftoclax|apg-?2575|navitoclax|"
    r"lp-?118|lp-?108|loxo-?338|s64315|mik665|amg[ -]?397|az?d-?0466|dt-?2216|obatoclax",
    re.IGNORECASE,
)
_CAR_T = re.compile(
    r"\bcar[- ]?t\b|chimeric antigen receptor|cabtagene|lecleucel|leucel|autoleucel|"
    r"vicleucel|maraleucel|ciloleucel|\bcar\b",
    re.IGNORECASE,
)
_BISPECIFIC = re.compile(
    r"bispecific|blinatumomab|epcoritamab|glofitamab|mosunetuzumab|odronextamab|teclistamab|"
    r"elranatamab|talquetamab|linvoseltamab|cevostamab|etentamig|\bbite\b",
    re.IGNORECASE,
)


def guess_modality(interventions: list[str] | tuple[str, ...], title: str = "") -> Modality:
    """BCL-2 inhibitors first (the app's focus), then CAR-T, then bispecifics, else other."""
    text = " ; ".join([*interventions, title])
    for pattern, modality in ((_BCL2, Modality.BCL2), (_CAR_T, Modality.CAR_T),
                              (_BISPECIFIC, Modality.BISPECIFIC)):
        if pattern.search(text):
            return modality
    return Modality.OTHER
