"""The disease vocabulary: one controlled list of codes in a hierarchy, with synonyms.

Curated diseases and registry conditions are both mapped through it, so the library stores
only these codes, the tree shows them as a tree, and a filter on a group finds every trial
filed under any of its members.

Grouping decisions (clinical):
- Lymphoblastic leukaemia and lymphoblastic lymphoma are one disease in the WHO and ICC
  classifications (B- or T-lymphoblastic leukaemia/lymphoma), so "LBL" sits under "ALL";
  ETP-ALL is a subtype of T-ALL.
- CLL and SLL are one disease with two presentations: one code, "CLL/SLL". Richter
  transformation is filed under it because the trials enrol patients from CLL/SLL.
- "LBCL" (large B-cell lymphoma) is the umbrella the current classifications and the CAR-T
  labels use: DLBCL NOS, high-grade B-cell lymphoma, PMBCL and transformed indolent lymphoma.
  A trial recorded as "LBCL" stays at that level; one recorded as "DLBCL" sits beneath it, so
  the LBCL count includes every DLBCL trial and nothing is merged that a reader would separate.
- "NHL" is a group (B-NHL and T-NHL); a trial only known to enrol "NHL" stays at that level.
- Basket trials across several blood cancers are "Mixed hematologic malignancies".
- MDS and MPN are myeloid neoplasms outside the acute leukaemias; their group is called
  "Myeloid neoplasms" (members MDS, MPN) so it promises no MPN trial it may not hold; the tree
  shows a trial filed at a group only (e.g. "ALL" with no subtype) as "ALL, unspecified".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

#: Change when a code is renamed, moved or added, or its names or synonyms change, so stored
#: libraries are mapped again and their search index learns the new words ("2": the index
#: holds each disease's names, so "acute myeloid" or "leukaemia" finds trials filed "AML").
VOCABULARY_VERSION = "2"


@dataclass(frozen=True)
class Disease:
    code: str  # what the library stores and the cards show
    name: str  # the full name
    parent: str | None
    synonyms: tuple[str, ...] = ()  # full names and phrases, matched by their words
    abbreviations: tuple[str, ...] = ()  # matched only as the whole condition


def _d(code: str, name: str, parent: str | None, synonyms: tuple[str, ...] = (),
       abbreviations: tuple[str, ...] = ()) -> Disease:
    return Disease(code, name, parent, synonyms, abbreviations)


#: Parents come before their children; this order is the tree's order.
DISEASES: tuple[Disease, ...] = (
    _d("Leukemia", "Leukemia", None, ("leukemia", "leukaemia")),
    _d("AML", "Acute myeloid leukemia", "Leukemia",
       ("acute myeloid leukemia", "acute myeloid leukaemia", "acute myelogenous leukemia",
        "acute myeloblastic leukemia", "acute non lymphocytic leukemia")),
    _d("ALL", "Acute lymphoblastic leukemia / lymphoblastic lymphoma", "Leukemia",
       ("acute lymphoblastic leukemia", "acute lymphoblastic leukaemia",
        "acute lymphocytic leukemia", "acute lymphoid leukemia"), ()),
    _d("B-ALL", "B-cell acute lymphoblastic leukemia", "ALL",
       ("b cell acute lymphoblastic leukemia", "b acute lymphoblastic leukemia",
        "precursor b cell lymphoblastic leukemia lymphoma", "b lymphoblastic leukemia",
        "philadelphia chromosome positive acute lymphoblastic leukemia"),
       ("B-ALL", "Ph+ ALL", "BCP-ALL")),
    _d("T-ALL", "T-cell acute lymphoblastic leukemia", "ALL",
       ("t cell acute lymphoblastic leukemia", "t acute lymphoblastic leukemia",
        "precursor t cell lymphoblastic leukemia lymphoma", "t lymphoblastic leukemia"),
       ("T-ALL", "T-ALL/LBL")),
    _d("ETP-ALL", "Early T-cell precursor ALL", "T-ALL",
       ("early t cell precursor acute lymphoblastic leukemia",), ("ETP-ALL",)),
    _d("LBL", "Lymphoblastic lymphoma", "ALL",
       ("lymphoblastic lymphoma",), ("LBL", "T-LBL", "B-LBL")),
    _d("CLL/SLL", "Chronic lymphocytic leukemia / small lymphocytic lymphoma", "Leukemia",
       ("chronic lymphocytic leukemia", "chronic lymphocytic leukaemia",
        "small lymphocytic lymphoma", "b cell chronic lymphocytic leukemia"),
       ("CLL", "SLL", "B-CLL")),
    _d("Richter", "Richter transformation", "CLL/SLL",
       ("richter transformation", "richter syndrome", "richter s syndrome",
        "richter s transformation")),
    _d("CML", "Chronic myeloid leukemia", "Leukemia",
       ("chronic myeloid leukemia", "chronic myelogenous leukemia"), ("CML",)),
    _d("BPDCN", "Blastic plasmacytoid dendritic cell neoplasm", "Leukemia",
       ("blastic plasmacytoid dendritic cell neoplasm",), ("BPDCN",)),
    _d("Lymphoma", "Lymphoma", None, ("lymphoma",)),
    _d("NHL", "Non-Hodgkin lymphoma", "Lymphoma",
       ("non hodgkin lymphoma", "non hodgkin s lymphoma", "non hodgkins lymphoma"), ("NHL",)),
    _d("B-NHL", "B-cell non-Hodgkin lymphoma", "NHL",
       ("b cell non hodgkin lymphoma", "b cell lymphoma", "b cell malignancies",
        "b cell malignancy", "b cell non hodgkin s lymphoma"), ("B-NHL",)),
    _d("LBCL", "Large B-cell lymphoma", "B-NHL",
       ("large b cell lymphoma", "high grade b cell lymphoma", "transformed follicular lymphoma",
        "primary mediastinal b cell lymphoma", "primary mediastinal large b cell lymphoma"),
       ("LBCL", "HGBL", "PMBCL", "tFL")),
    _d("DLBCL", "Diffuse large B-cell lymphoma", "LBCL",
       ("diffuse large b cell lymphoma", "lymphoma large b cell diffuse"), ("DLBCL",)),
    _d("FL", "Follicular lymphoma", "B-NHL", ("follicular lymphoma",), ("FL",)),
    _d("MCL", "Mantle cell lymphoma", "B-NHL", ("mantle cell lymphoma",), ("MCL",)),
    _d("MZL", "Marginal zone lymphoma", "B-NHL",
       ("marginal zone lymphoma", "malt lymphoma", "mucosa associated lymphoid tissue lymphoma"),
       ("MZL",)),
    _d("WM", "Waldenström macroglobulinemia", "B-NHL",
       ("waldenstrom macroglobulinemia", "waldenström macroglobulinemia",
        "lymphoplasmacytic lymphoma"), ("WM", "LPL")),
    _d("Burkitt", "Burkitt lymphoma", "B-NHL", ("burkitt lymphoma", "burkitt s lymphoma")),
    _d("T-NHL", "T-cell lymphoma", "NHL",
       ("t cell lymphoma", "peripheral t cell lymphoma", "cutaneous t cell lymphoma",
        "t cell non hodgkin lymphoma"), ("PTCL", "CTCL", "T-NHL")),
    _d("HL", "Hodgkin lymphoma", "Lymphoma",
       ("hodgkin lymphoma", "hodgkin s lymphoma", "hodgkin disease", "hodgkins lymphoma",
        "classical hodgkin lymphoma"), ("HL", "cHL")),
    _d("Plasma cell", "Plasma cell neoplasms", None, ("plasma cell neoplasm",)),
    _d("MM", "Multiple myeloma", "Plasma cell",
       ("multiple myeloma", "plasma cell myeloma", "myeloma"), ("MM", "RRMM", "NDMM")),
    _d("AL amyloidosis", "AL amyloidosis", "Plasma cell",
       ("al amyloidosis", "light chain amyloidosis", "immunoglobulin light chain amyloidosis")),
    _d("Myeloid", "Myeloid neoplasms", None, (), ()),
    _d("MDS", "Myelodysplastic syndromes", "Myeloid",
       ("myelodysplastic syndrome", "myelodysplastic syndromes", "myelodysplastic neoplasm"),
       ("MDS", "HR-MDS")),
    _d("CMML", "Chronic myelomonocytic leukemia", "Myeloid",
       ("chronic myelomonocytic leukemia",), ("CMML",)),
    _d("MPN", "Myeloproliferative neoplasms", "Myeloid",
       ("myeloproliferative neoplasm", "myeloproliferative neoplasms", "myelofibrosis"),
       ("MPN", "MF")),
    _d("Heme malignancies", "Heme malignancies, mixed", None,
       ("hematologic malignancies", "hematologic malignancy", "haematological malignancies",
        "hematological malignancies", "hematologic neoplasms", "hematologic cancer",
        "blood cancer")),
    _d("Solid tumors", "Solid tumors", None, ("solid tumors", "solid tumor", "solid tumours",
                                              "advanced solid tumors")),
)

BY_CODE: dict[str, Disease] = {d.code: d for d in DISEASES}


def _words(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"[a-z0-9]+", text.lower().replace("ö", "o")))


@cache
def _lookup() -> tuple[dict[str, str], list[tuple[frozenset[str], str]]]:
    exact: dict[str, str] = {}
    phrases: list[tuple[frozenset[str], str]] = []
    for disease in DISEASES:
        for key in (disease.code, *disease.abbreviations):
            exact[key.lower()] = disease.code
        exact[disease.name.lower()] = disease.code
        for phrase in (disease.name, *disease.synonyms):
            phrases.append((_words(phrase), disease.code))
    # the most specific phrase (most words) wins; deeper codes break ties
    phrases.sort(key=lambda p: (-len(p[0]), -len(ancestors(p[1]))))
    return exact, phrases


def code_for(term: str) -> str | None:
    """The vocabulary code for a curated disease or registry condition, or None."""
    text = " ".join(term.split())
    if not text:
        return None
    exact, phrases = _lookup()
    if text.lower() in exact:
        return exact[text.lower()]
    words = _words(text)
    return next((code for phrase, code in phrases if phrase and phrase <= words), None)


def normalize(terms: Iterable[str], *, keep_unknown: bool = False) -> tuple[str, ...]:
    """Codes for `terms`, in first-seen order, without duplicates. Unknown terms are dropped
    (registry conditions carry noise such as "Relapse" or "Healthy"), or kept as they are
    with `keep_unknown` (curated data, where nothing may be lost)."""
    codes: list[str] = []
    for term in terms:
        code = code_for(term) or (" ".join(term.split()) if keep_unknown else None)
        if code and code not in codes:
            codes.append(code)
    return tuple(codes)


def ancestors(code: str) -> tuple[str, ...]:
    """Parent, grandparent… of `code` (nearest first); empty for a root or an unknown code."""
    chain: list[str] = []
    disease = BY_CODE.get(code)
    while disease is not None and disease.parent is not None:
        chain.append(disease.parent)
        disease = BY_CODE.get(disease.parent)
    return tuple(chain)


def children(code: str | None) -> tuple[str, ...]:
    return tuple(d.code for d in DISEASES if d.parent == code)


def subtree(code: str) -> tuple[str, ...]:
    """`code` and every code beneath it."""
    found = [code]
    for child in children(code):
        found += subtree(child)
    return tuple(found)


#: British spellings a search may use for a word of the vocabulary's names.
_SPELLINGS = {"leukemia": "leukaemia", "tumors": "tumours", "hematologic": "haematologic"}


def search_words(code: str) -> str:
    """The words a free-text search finds a trial filed under `code` by: the codes and names
    the tree shows for it and for each group above it ("MM" -> "MM Multiple myeloma Plasma
    cell Plasma cell neoplasms"), with British spellings. So a trial the reviews file as "MM"
    is found by "myeloma", one filed "AML" by "acute myeloid" or "leukaemia". A group named
    by what it is not ("Non-Hodgkin lymphoma") gives its code alone, or "Hodgkin" would find
    every DLBCL trial; a name joining two ("Acute lymphoblastic leukemia / lymphoblastic
    lymphoma") gives its first, or "lymphoma" would find every ALL trial (a trial filed "LBL"
    has its own name). Synonyms are left out: they map registry conditions onto a code, and
    some name a neighbour ("transformed follicular lymphoma" is filed LBCL). Empty for a code
    outside the vocabulary (curated text kept as written)."""
    if code not in BY_CODE:
        return ""
    seen: dict[str, str] = {}  # lower case -> as written, each word once
    for depth, disease in enumerate((BY_CODE[code], *(BY_CODE[a] for a in ancestors(code)))):
        name = disease.name.split(" / ")[0].replace(",", "")
        if depth and "non-" in name.lower():
            name = ""
        for word in f"{disease.code} {name}".split():
            seen.setdefault(word.lower(), word)
            spelled = _SPELLINGS.get(word.lower())
            if spelled:
                seen.setdefault(spelled, spelled)
    return " ".join(seen.values())


def resolve(text: str) -> str | None:
    """A code typed by a user or a CLI flag ("aml", "Lymphoma") -> the vocabulary code."""
    lowered = text.strip().lower()
    return next((d.code for d in DISEASES if d.code.lower() == lowered), None) or code_for(text)


def rolled_up_counts(trial_codes: Iterable[Iterable[str] | tuple[Iterable[str], int]]
                     ) -> dict[str, int]:
    """How many trials sit at or beneath each code; a trial counts once per code even when
    several of its diseases share that ancestor. Unknown codes count as themselves. Items are
    one trial's codes, or (codes, number of trials with exactly these codes)."""
    counts: dict[str, int] = {}
    for item in trial_codes:
        codes, weight = item if isinstance(item, tuple) and len(item) == 2 \
            and isinstance(item[1], int) else (item, 1)
        reached: set[str] = set()
        for code in codes:
            reached.add(code)
            reached.update(ancestors(code))
        for code in reached:
            counts[code] = counts.get(code, 0) + weight
    return counts


def unspecified_counts(trial_codes: Iterable[Iterable[str] | tuple[Iterable[str], int]]
                       ) -> dict[str, int]:
    """Per group code (one with members), how many trials are filed at the group only, with
    none of its members: the tree's "ALL, unspecified" child, so a group's children add up."""
    counts: dict[str, int] = {}
    for item in trial_codes:
        codes, weight = item if isinstance(item, tuple) and len(item) == 2 \
            and isinstance(item[1], int) else (item, 1)
        codes = set(codes)
        for code in codes:
            if children(code) and not codes & set(subtree(code)[1:]):
                counts[code] = counts.get(code, 0) + weight
    return counts
