"""Trial ids: ClinicalTrials.gov NCT numbers and local ids for studies with no registry record."""

from __future__ import annotations

import re

from tracker.domain.errors import InvalidTrialIdError, SeveralTrialIdsError

# ASCII only: `\d` would also take Arabic-Indic or full-width digits ("NCT٠٢٩٩٣٥٢٣"), which
# the registry rejects; re.ASCII keeps `\b`, `\s` and IGNORECASE to ASCII as well.
NCT_PATTERN = re.compile(r"^NCT[0-9]{8}$", re.ASCII)
LOCAL_PATTERN = re.compile(r"^LOCAL-[A-Z0-9]+(?:-[A-Z0-9]+)*$", re.ASCII)
_NCT_ANYWHERE = re.compile(r"\bnct\s*([0-9]{8})\b", re.IGNORECASE | re.ASCII)
_STUDY_URL = re.compile(r"clinicaltrials\.gov/(?:study|ct2/show)/(NCT[0-9]{8})",
                        re.IGNORECASE | re.ASCII)


def is_nct_id(text: str) -> bool:
    return bool(NCT_PATTERN.fullmatch(text))  # fullmatch: "$" would accept a final newline


LOCAL_ID_MAX_CHARS = 64  # the longest curated local id has 47


def is_local_id(text: str) -> bool:
    return len(text) <= LOCAL_ID_MAX_CHARS and bool(LOCAL_PATTERN.fullmatch(text))


def _without_format_characters(text: str) -> str:
    """`text` without invisible format characters (Unicode Cf: zero-width space, soft hyphen,
    BOM, LRM/RLM…), which an id copied from a web page or a PDF can carry; an NCT id is ASCII,
    so dropping them can never turn it into another trial's id."""
    if text.isascii():
        return text
    import unicodedata

    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def parse_nct_id(text: str) -> str:
    """Accept `NCT04277637`, `nct04277637`, ` NCT 04277637 ` or a study URL; return `NCT04277637`.
    Spaces and invisible format characters inside (a pasted zero-width space) are dropped."""
    cleaned = text.strip()
    visible = _without_format_characters(cleaned)
    url_match = _STUDY_URL.search(visible)
    if url_match:
        return url_match.group(1).upper()
    compact = re.sub(r"\s+", "", visible).upper()  # Unicode spaces go; Unicode digits stay wrong
    if NCT_PATTERN.fullmatch(compact):
        return compact
    raise InvalidTrialIdError(cleaned)


def parse_trial_id(text: str) -> str:
    """Like `parse_nct_id`, but also accept a local curated id such as `LOCAL-VENAZA-CHINA-RW`."""
    upper = _without_format_characters(text.strip()).upper()
    if is_local_id(upper):
        return upper
    if upper.startswith("NCT") or "clinicaltrials.gov" in text.lower():
        return parse_nct_id(text)
    try:
        return parse_nct_id(text)
    except InvalidTrialIdError:
        raise InvalidTrialIdError(
            text.strip(), "NCT followed by 8 digits, or a local id like LOCAL-NAME of at most 64 characters"
        ) from None


_LIST_SEPARATORS = re.compile(r"[,;]")
# "NCT 07000002", as some papers print an id: the prefix and its digits are one id
_SPACED_ID = re.compile(r"\b(NCT)[ \t\u00a0]+(\d{8})\b", re.IGNORECASE)


def join_spaced_ids(text: str) -> str:
    """`text` with every "NCT 07000002" written as one id, "NCT07000002", so a list split at
    spaces keeps it whole."""
    return _SPACED_ID.sub(r"\1\2", text)


def split_id_list(texts: list[str]) -> list[str]:
    """The ids in what was typed or pasted: "NCT02993523,NCT02242942" or "NCT02993523;
    NCT02242942 NCT02005471" are several ids. A part that is one id as it is (" NCT 02993523",
    a study URL) stays whole, and so does a whole text that is one id (a study URL whose query
    has a comma: "…/NCT04277637?locStr=Boston,%20MA"); empty parts (a trailing comma) are
    dropped."""
    parts = []
    for text in texts:
        if _is_one_id(text) and len(find_nct_ids(text)) <= 1:
            parts.append(text)
            continue
        for piece in _LIST_SEPARATORS.split(text):
            if not piece.strip():
                continue
            parts += [piece] if _is_one_id(piece) else join_spaced_ids(piece).split()
    return parts


def split_typed_ids(texts: list[str]) -> list[str]:
    """`split_id_list` of what was typed for a command that takes several ids; text that holds
    no id at all (only commas or spaces) is refused rather than taken as no ids."""
    parts = split_id_list(texts)
    if texts and not parts:
        raise InvalidTrialIdError(" ".join(texts))
    return parts


def parse_single_trial_id(text: str) -> str:
    """`parse_trial_id` for a command about one trial: a pasted list of several valid ids is
    refused as such, so the message says why rather than calling the ids malformed."""
    try:
        return parse_trial_id(text)
    except InvalidTrialIdError:
        parts = split_id_list([text])
        if len(parts) > 1 and all(_is_one_id(part) for part in parts):
            raise SeveralTrialIdsError(text.strip(), len(parts)) from None
        raise


def _is_one_id(text: str) -> bool:
    try:
        parse_trial_id(text)
    except InvalidTrialIdError:
        return False
    return True


def parse_nct_ids(texts: list[str]) -> list[str]:
    """`parse_nct_id` of each text; every malformed one is named in one error."""
    ids, bad = [], []
    for text in texts:
        try:
            ids.append(parse_nct_id(text))
        except InvalidTrialIdError:
            bad.append(text.strip())
    if bad:
        raise InvalidTrialIdError(bad[0], others=tuple(bad[1:]))
    return ids


def find_nct_ids(text: str) -> list[str]:
    """Every NCT id mentioned in free text, in order, without duplicates."""
    seen: dict[str, None] = {}
    for match in _NCT_ANYWHERE.finditer(text):
        seen.setdefault(f"NCT{match.group(1)}", None)
    return list(seen)
