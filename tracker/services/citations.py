"""Cite a trial's registry record: AMA and NLM (Vancouver) styles, and RIS for reference managers."""

from __future__ import annotations

import datetime as dt

from tracker.domain import Trial

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


def _nlm_date(day: dt.date) -> str:
    return f"{day.year} {_MONTHS[day.month - 1][:3]} {day.day}"


def ama_citation(trial: Trial, accessed: dt.date | None = None) -> str:
    """AMA 11th edition style reference to the registry record."""
    accessed = accessed or dt.date.today()
    if not trial.registry_url:
        return f"{_author(trial)}. {_title(trial)}. Not registered on ClinicalTrials.gov."
    updated = f" Updated {_ama_date(trial.last_update_posted)}." if trial.last_update_posted else ""
    return (f"{_author(trial)}. {_title(trial)}. ClinicalTrials.gov identifier: {trial.id}."
            f"{updated} Accessed {_ama_date(accessed.isoformat())}. {trial.registry_url}")


def nlm_citation(trial: Trial, accessed: dt.date | None = None) -> str:
    """NLM / Vancouver style, as the NLM recommends for ClinicalTrials.gov records."""
    accessed = accessed or dt.date.today()
    if not trial.registry_url:
        return f"{_author(trial)}. {_title(trial)}. Not registered on ClinicalTrials.gov."
    return (f"{_author(trial)}. {_title(trial)}. In: ClinicalTrials.gov [Internet]. Bethesda (MD): "
            f"National Library of Medicine (US); [cited {_nlm_date(accessed)}]. Available from: "
            f"{trial.registry_url} ClinicalTrials.gov Identifier: {trial.id}.")


def ris_record(trial: Trial, accessed: dt.date | None = None) -> str:
    """One RIS record (TY DBASE: a database entry); lines end with CRLF as RIS expects."""
    accessed = accessed or dt.date.today()
    lines = [("TY", "DBASE"), ("TI", _title(trial)), ("AU", _author(trial)),
             ("DB", "ClinicalTrials.gov"), ("PB", "National Library of Medicine (US)"),
             ("AN", trial.id), ("Y2", accessed.strftime("%Y/%m/%d"))]
    if trial.registry_url:
        lines.append(("UR", trial.registry_url))
    if trial.last_update_posted:
        lines.append(("DA", trial.last_update_posted.replace("-", "/")))
    if trial.start_date:
        lines.append(("PY", trial.start_date.value[:4]))
    lines += [("KW", keyword) for keyword in (*trial.diseases, *trial.drugs)]
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)
