"""The saved searches a fresh library ships with: the reviews' fields, as plain data.

Created once, by the schema migration that adds saved searches (so a default the user deleted
never comes back). Each is an ordinary saved search afterwards: edit, pause or delete it.
Interventional studies only; text uses the registry's search syntax.
"""

from __future__ import annotations

_INTERVENTIONAL = "INTERVENTIONAL"
_BCL2 = "venetoclax OR sonrotoclax OR lisaftoclax OR BGB-11417 OR APG-2575 OR ABT-199"
_CAR_T = '("CAR T" OR CAR-T OR "chimeric antigen receptor")'


def _bcl2(key: str, name: str, condition: str) -> dict:
    return {"key": key, "name": name,
            "criteria": {"intervention": _BCL2, "condition": condition,
                         "study_type": _INTERVENTIONAL}}


def _car_t(target: str) -> dict:
    return {"key": f"car-t-{target.lower()}", "name": f"CAR-T: {target}",
            "criteria": {"term": f"{target} AND {_CAR_T}", "study_type": _INTERVENTIONAL}}


def _bispecific(key: str, name: str, drugs: str, targets: str) -> dict:
    return {"key": key, "name": name,
            "criteria": {"term": f"{drugs} OR ({targets} AND bispecific)",
                         "study_type": _INTERVENTIONAL}}


DEFAULT_SEARCHES: tuple[dict, ...] = (
    _bcl2("bcl2-cll", "BCL-2 inhibitors: CLL/SLL",
          '"chronic lymphocytic leukemia" OR "small lymphocytic lymphoma"'),
    _bcl2("bcl2-aml", "BCL-2 inhibitors: AML", '"acute myeloid leukemia"'),
    _bcl2("bcl2-mm", "BCL-2 inhibitors: myeloma", '"multiple myeloma"'),
    _bcl2("bcl2-lymphoma", "BCL-2 inhibitors: lymphoma", "lymphoma"),
    _car_t("CD19"),
    _car_t("BCMA"),
    _car_t("GPRC5D"),
    _car_t("CD22"),
    _car_t("CD7"),
    _bispecific("bispecific-cd20-cd3", "Bispecifics: CD20×CD3",
                "glofitamab OR epcoritamab OR mosunetuzumab OR odronextamab", "CD20 AND CD3"),
    _bispecific("bispecific-bcma-cd3", "Bispecifics: BCMA×CD3",
                "teclistamab OR elranatamab OR linvoseltamab OR etentamig OR ABBV-383 OR "
                "alnuctamab", "BCMA AND CD3"),
    _bispecific("bispecific-gprc5d-cd3", "Bispecifics: GPRC5D×CD3",
                "talquetamab OR forimtamig", "GPRC5D AND CD3"),
    _bispecific("bispecific-cd19-cd3", "Bispecifics: CD19×CD3", "blinatumomab",
                "CD19 AND CD3"),
)
