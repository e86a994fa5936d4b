"""Cite a trial's registry record: AMA and NLM (Vancouver) styles, and RIS for reference managers."""

from __future__ import annotations

import datetime as dt

from tracker.domain import Trial
from tracker.services.safe_text import one_line

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"]


def _title(trial: Trial) -> str:
    title = (trial.official_title or trial.brief_title or trial.id).rstrip(".")
    if trial.acronym and trial.acronym not in title:
        title = f"{title} ({trial.acronym})"
    return title


def _author(trial: Trial) -> str:
    return (trial.sponsor or "ClinicalTrials.gov").rstrip(".")


def _ama_date(iso: str) -> str:
    parts = [int(p) for p in iso.split("-")]
    if len(parts) == 3:
        return f"{_MONTHS[parts[1] - 1]} {parts[2]}, {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[parts[1] - 1]} {parts[0]}"
    return str(parts[0])


def _nlm_date(day: dt.date | str) -> str:
    """"2024 Mar 5" from a date or an ISO date ("2024-03" gives "2024 Mar")."""
    parts = [int(p) for p in (day.isoformat() if isinstance(day, dt.date) else day).split("-")]
    words = [str(parts[0])]
    if len(parts) > 1:
        words.append(_MONTHS[parts[1] - 1][:3])
    if len(parts) > 2:
        words.append(str(parts[2]))
    return " ".join(words)


def ama_citation(trial: Trial, accessed: dt.date | None = None) -> str:
    """AMA 11th edition style reference to the registry record."""
    accessed = accessed or dt.date.today()
    if not trial.registry_url:
        return f"{_author(trial)}. {_title(trial)}. Not registered on ClinicalTrials.gov."
    updated = f" Updated {_ama_date(trial.last_update_posted)}." if trial.last_update_posted else ""
    return (f"{_author(trial)}. {_title(trial)}. ClinicalTrials.gov identifier: {trial.id}."
            f"{updated} Accessed {_ama_date(accessed.isoformat())}. {trial.registry_url}")


#: When ClinicalTrials.gov went online: the database's date of publication in an NLM citation.
_CTGOV_ONLINE = "2000 Feb 29"


def nlm_citation(trial: Trial, accessed: dt.date | None = None) -> str:
    """NLM / Vancouver style (Citing Medicine, part of a database on the Internet) for a
    ClinicalTrials.gov record: the database's date of publication, then the record version
    cited and the access date, "2000 Feb 29 - [updated 2024 Mar 5; cited 2026 Nov 26]" (only
    "[cited …]" for a record never synced, whose version is unknown)."""
    accessed = accessed or dt.date.today()
    if not trial.registry_url:
        return f"{_author(trial)}. {_title(trial)}. Not registered on ClinicalTrials.gov."
    dates = f"cited {_nlm_date(accessed)}"
    if trial.last_update_posted:
        dates = f"updated {_nlm_date(trial.last_update_posted)}; {dates}"
    return (f"{_author(trial)}. {_title(trial)}. In: ClinicalTrials.gov [Internet]. Bethesda (MD): "
            f"National Library of Medicine (US); {_CTGOV_ONLINE} - [{dates}]. Available from: "
            f"{trial.registry_url}. ClinicalTrials.gov Identifier: {trial.id}.")


def _record_dates(trial: Trial) -> list[tuple[str, str]]:
    if trial.last_update_posted:
        return [("PY", trial.last_update_posted[:4]),
                ("DA", trial.last_update_posted.replace("-", "/"))]
    if trial.start_date is not None:
        return [("PY", trial.start_date.value[:4])]
    return []


def ris_record(trial: Trial, accessed: dt.date | None = None, *,
               tags: tuple[str, ...] | list[str] = ()) -> str:
    """One RIS record; lines end with CRLF as RIS expects, every value on one line.

    Zotero reads an `AU` value without a comma as one institutional name, so the sponsor is
    written comma-free ("Janssen Research & Development LLC"), never split into a person.
    PY and DA are dates the record has: the record version cited (last update posted), else
    only the year the study started (PY); a record with neither has no PY or DA (never the
    year of the export, which is the access date, Y2). A local study is a generic record
    (TY GEN) with no registry database, accession number or link. User tags and the drugs and diseases are
    keywords; the acronym is the short title; the curated summary is the abstract.
    """
    accessed = accessed or dt.date.today()
    lines = [("TY", "DBASE" if trial.is_registered else "GEN"), ("TI", _title(trial))]
    if trial.sponsor:  # no sponsor known: no author, rather than the registry as one
        lines.append(("AU", trial.sponsor.rstrip(".").replace(",", "")))
    if trial.acronym:
        lines.append(("ST", trial.acronym))
    if trial.is_registered:
        lines += [("DB", "ClinicalTrials.gov"), ("PB", "National Library of Medicine (US)"),
                  ("AN", trial.id), ("UR", trial.registry_url or "")]
    else:
        lines.append(("N1", f"Not registered on ClinicalTrials.gov (local study id {trial.id})"))
    lines += [*_record_dates(trial), ("Y2", accessed.strftime("%Y/%m/%d"))]
    if trial.summary or trial.brief_summary:
        lines.append(("AB", trial.summary or trial.brief_summary or ""))
    keywords = dict.fromkeys((*tags, *trial.diseases, *trial.drugs))
    lines += [("KW", keyword) for keyword in keywords]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {one_line(value)}\r\n" for tag, value in lines)
