"""The modality rule (tracker/domain/modality.py): investigational agent, not the backbone."""

from __future__ import annotations

import pytest

from tracker.domain import Modality
from tracker.domain.modality import guess_modality, regimen_modality


@pytest.mark.parametrize(("studied", "modality"), [
    (["durvalumab"], Modality.OTHER),  # added to an acalabrutinib + venetoclax backbone
    (["venetoclax"], Modality.BCL2),
    (["mirzotamab clezutoclax"], Modality.BCL2),  # -clax: a BCL-XL inhibitor payload
    (["venetoclax", "CD19 CAR-T cells"], Modality.BCL2),  # combined classes: bcl2 first
    (["ucart19"], Modality.CAR_T), (["UniCAR02-T", "TM123"], Modality.CAR_T),
    (["CYAD-01"], Modality.CAR_T), (["CTA101"], Modality.CAR_T),
    (["cd19 car-nk cells"], Modality.OTHER), (["epcoritamab"], Modality.BISPECIFIC),
])
def test_the_studied_agents_decide(studied, modality):
    assert regimen_modality(studied) == modality


def test_the_title_decides_only_when_no_studied_agent_is_named():
    title = "Impact of targeted therapies on CAR-T cell generation in CLL"
    assert regimen_modality([], title) == Modality.CAR_T
    assert regimen_modality(["durvalumab"], "Acalabrutinib, venetoclax and durvalumab") == \
        Modality.OTHER


def test_the_registry_guess_sees_every_intervention_because_the_backbone_is_unknown():
    assert guess_modality(["Durvalumab", "Venetoclax", "Acalabrutinib"]) == Modality.BCL2
    assert guess_modality(["Cord blood CAR-NK cells"]) == Modality.OTHER
    assert guess_modality([], "Tisagenlecleucel in r/r DLBCL") == Modality.CAR_T
