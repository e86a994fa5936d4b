"""The outcome-metric vocabulary and the headline rule, one table each.

Every layer that has to know what an outcome measures (the card, the detail view, every
export) asks `classify_metric` instead of testing strings of its own. A curated label is
matched against the table's patterns in order; the first match wins, so the more specific
patterns (CR/CRi, sCR, hazard ratios) come before the broader ones (CR, OS).

Headline rule (`headline_outcomes`): efficacy figures only, never enrollment, follow-up or
other context; ordered by the metric's `rank` (OS, PFS, EFS/RFS, DOR, CR family, ORR, MRD,
then other efficacy); within a metric the randomised comparison (a hazard ratio or a value
printed "vs") comes before a single arm's figure; otherwise the curated order is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.domain.models import Outcome


class MetricKind(StrEnum):
    EFFICACY = "efficacy"
    SAFETY = "safety"
    CONTEXT = "context"  # enrollment, follow-up, age, statistics that are not results


@dataclass(frozen=True)
class Metric:
    key: str
    label: str  # short column heading
    name: str  # what it means, for legends
    kind: MetricKind
    rank: int  # headline order; lower first
    in_comparison: bool = True  # gets a column group in the comparison table


_E, _S, _C = MetricKind.EFFICACY, MetricKind.SAFETY, MetricKind.CONTEXT

# (pattern on the normalised label, metric); first match wins.
_TABLE: list[tuple[str, Metric]] = [
    (r"\bp[ -]?value\b|\b95% ci\b|\bconfidence interval\b",
     Metric("STAT", "Statistic", "a test statistic (reported with its figure)", _C, 90, False)),
    (r"^(patients|enrollment|enrolment|n|sample size|median age|age)\b|follow[- ]?up|\bmtd\b"
     r"|maximum tolerated|bridged to|proceeded to",
     Metric("CONTEXT", "Context", "enrollment, follow-up and other context", _C, 99, False)),
    (r"\bcrs\b|cytokine release",
     Metric("CRS", "CRS ≥3", "cytokine release syndrome", _S, 60)),
    (r"\bicans\b|neurotox",
     Metric("ICANS", "ICANS ≥3", "immune effector cell-associated neurotoxicity", _S, 61)),
    (r"grade ?[345]|\bneutropenia\b|\binfection|\badverse\b|\btoxicit",
     Metric("SAFETY", "Other safety", "other adverse events", _S, 62, False)),
    (r"\bmrd\b|\bumrd\b|minimal residual|measurable residual",
     Metric("MRD", "MRD−", "measurable residual disease negativity", _E, 7)),
    (r"^(os|overall survival)\b|\brisk of death\b|\bhr \(os\)|\bos hr\b",
     Metric("OS", "OS", "overall survival", _E, 1)),
    (r"^(pfs|progression[- ]free)\b|\bpfs hr\b|\bhr \(pfs\)",
     Metric("PFS", "PFS", "progression-free survival", _E, 2)),
    (r"^(efs|event[- ]free)\b",
     Metric("EFS", "EFS", "event-free survival", _E, 3)),
    (r"^(rfs|relapse[- ]free|dfs|disease[- ]free)\b",
     Metric("RFS", "RFS", "relapse-free survival", _E, 3)),
    (r"^(dor|duration of (response|remission))\b",
     Metric("DOR", "DOR", "duration of response", _E, 4)),
    (r"^scr\b|stringent complete",
     Metric("SCR", "sCR", "stringent complete response", _E, 5)),
    (r"^cr ?[/+] ?cr[ih]\b|^cr ?[/+] ?crp\b|complete remission with (incomplete|partial)",
     Metric("CR_CRI", "CR/CRi", "complete remission with or without full count recovery", _E, 5)),
    (r"^cri\b|incomplete (count|hematologic)",
     Metric("CRI", "CRi", "complete remission with incomplete count recovery", _E, 5)),
    (r"^(cr|complete (response|remission))\b|\bbone marrow remission\b",
     Metric("CR", "CR", "complete response / remission", _E, 5)),
    (r"^(orr|overall response|objective response|response rate|best overall response)\b",
     Metric("ORR", "ORR", "overall (objective) response rate", _E, 6)),
    (r"^(pr|vgpr|partial response)\b",
     Metric("PR", "PR", "partial response", _E, 8, False)),
]
_COMPILED = [(re.compile(pattern), metric) for pattern, metric in _TABLE]
OTHER_EFFICACY = Metric("OTHER", "Other", "other efficacy figure", _E, 9, False)
METRICS: tuple[Metric, ...] = tuple(dict.fromkeys(m for _, m in _TABLE)) + (OTHER_EFFICACY,)
COMPARISON_ORDER = ("ORR", "CR", "CR_CRI", "CRI", "SCR", "MRD", "PFS", "OS", "EFS", "RFS",
                    "DOR", "CRS", "ICANS")


def _normalise(label: str) -> str:
    return " ".join(label.lower().replace("≥", ">=").split())


@lru_cache(maxsize=4096)  # a library has a few hundred distinct labels
def classify_metric(label: str) -> Metric:
    """The vocabulary entry a curated metric label means (`OTHER` efficacy if none fits)."""
    text = _normalise(label)
    for pattern, metric in _COMPILED:
        if pattern.search(text):
            return metric
    return OTHER_EFFICACY


def metric_by_key(key: str) -> Metric:
    for metric in METRICS:
        if metric.key == key:
            return metric
    raise KeyError(key)


def is_comparison(outcome: Outcome) -> bool:
    """A randomised comparison: a hazard ratio, or a figure or arm printed 'A vs B'."""
    text = f"{outcome.metric} {outcome.value} {outcome.arm or ''}".lower()
    return bool(re.search(r"\bvs\.?\b|\bversus\b|\bhr\b|hazard ratio", text))


def headline_outcomes(outcomes: Iterable[Outcome], limit: int | None = None) -> list[Outcome]:
    """Efficacy outcomes in headline order (see the module docstring); [] when none."""
    ranked = []
    for position, outcome in enumerate(outcomes):
        metric = classify_metric(outcome.metric)
        if metric.kind is not MetricKind.EFFICACY:
            continue
        ranked.append((metric.rank, not is_comparison(outcome), position, outcome))
    ranked.sort(key=lambda entry: entry[:3])
    found = [entry[3] for entry in ranked]
    return found if limit is None else found[:limit]


NO_EFFICACY_TEXT = "no efficacy figure reported"
