"""The journal-club handout as Markdown and as one self-contained, printable HTML file.

All registry and user text is escaped: notes may contain anything, including `<script>`.
"""

from __future__ import annotations

from html import escape

from tracker.domain import StatusChange
from tracker.domain.enums import phase_label
from tracker.services.exports.handout import Handout, HandoutTrial

_CSS = """
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10.5pt; color: #222;
       margin: 2em; }
h1 { font-size: 18pt; margin-bottom: 0; } h2 { font-size: 13pt; margin-top: 1.4em; }
table { border-collapse: collapse; }
th, td { border: 1px solid #bbb; padding: 3px 5px; text-align: left; vertical-align: top; }
th { background: #eee; } .muted { color: #666; } .note { white-space: pre-wrap; }
section.trial { page-break-before: always; }
@media print { body { margin: 0; } }
"""


def _md(text: str | None) -> str:
    """Inline Markdown text: HTML-escaped (so `<script>` stays text) and table-safe."""
    if not text:
        return ""
    safe = escape(text, quote=False).replace("|", "\\|")
    for char in "*_`[]#":
        safe = safe.replace(char, "\\" + char)
    return safe


def _md_block(text: str) -> str:
    return "\n".join("> " + _md(line) if line.strip() else ">" for line in text.splitlines())


def _change_text(change: StatusChange) -> str:
    old = change.old_status.label if change.old_status else "first seen"
    return f"{change.seen_at:%Y-%m-%d}: {old} → {change.new_status.label}"


def _status(item: HandoutTrial) -> str:
    trial = item.trial
    return trial.status.label if trial.status else trial.registry_state.value.replace("_", " ")


def _design(item: HandoutTrial) -> str:
    trial = item.trial
    parts = [phase_label(trial.phases), trial.modality.label]
    if trial.enrollment is not None:
        parts.append(f"enrollment {trial.enrollment}"
                     + (f" ({trial.enrollment_kind.lower()})" if trial.enrollment_kind else ""))
    if trial.sponsor:
        parts.append(f"sponsor {trial.sponsor}")
    return ", ".join(parts)


def render_markdown(handout: Handout) -> str:
    wl = handout.watchlist
    lines = [f"# {_md(wl.name)}", ""]
    if wl.meeting_date:
        lines += [f"Meeting date: {wl.meeting_date.isoformat()}", ""]
    if wl.description:
        lines += [_md(wl.description), ""]
    lines += ["| Trial | NCT id | Status | Phase | Key outcome |", "|---|---|---|---|---|"]
    for item in handout.trials:
        t = item.trial
        first = f"{t.outcomes[0].metric} {t.outcomes[0].value}" if t.outcomes else ""
        lines.append(f"| {_md(t.display_title)} | {t.id} | {_md(_status(item))} | "
                     f"{phase_label(t.phases)} | {_md(first)} |")
    for item in handout.trials:
        lines += ["", *_markdown_section(item, handout)]
    return "\n".join(lines) + "\n"


def _markdown_section(item: HandoutTrial, handout: Handout) -> list[str]:
    t = item.trial
    lines = [f"## {_md(t.display_title)} ({t.id})", "", _md(t.brief_title), "",
             f"- Status: {_md(_status(item))}", f"- Design: {_md(_design(item))}"]
    if t.registry_url:
        lines.append(f"- Registry: <{t.registry_url}>")
    if item.details.tags:
        lines.append(f"- Tags: {_md(', '.join(item.details.tags))}")
    if t.outcomes:
        lines += ["", "Key outcomes:", ""]
        lines += [f"- {_md(o.metric)}: **{_md(o.value)}**"
                  + (f" ({_md(o.arm)})" if o.arm else "") + f" — source: {_md(o.source.display())}"
                  for o in t.outcomes]
    changes = [_md(_change_text(c)) for c in item.changes_since]
    lines += ["", f"Changes since {handout.since_label}: "
              + ("; ".join(changes) if changes else "none recorded")]
    if handout.include_notes and item.details.notes:
        lines += ["", "Notes:", ""]
        for note in item.details.notes:
            who = f"{_md(note.author)}, " if note.author else ""
            lines += [f"*{who}{note.updated_at:%Y-%m-%d}*", "", _md_block(note.body), ""]
    return lines


def render_html(handout: Handout, *, for_print: bool = False) -> str:
    wl = handout.watchlist
    head = (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
            f"<title>{escape(wl.name)}</title><style>{_CSS}</style></head><body>")
    meta = f"<p>Meeting date: {wl.meeting_date.isoformat()}</p>" if wl.meeting_date else ""
    description = f"<p>{escape(wl.description)}</p>" if wl.description else ""
    rows = "".join(
        f"<tr><td>{escape(i.trial.display_title)}</td><td>{i.trial.id}</td>"
        f"<td>{escape(_status(i))}</td><td>{phase_label(i.trial.phases)}</td>"
        f"<td>{escape(_first_outcome(i))}</td></tr>" for i in handout.trials)
    table = ("<table width='100%' border='1' cellspacing='0' cellpadding='3'><tr><th>Trial</th>"
             "<th>NCT id</th><th>Status</th><th>Phase</th>"
             f"<th>Key outcome</th></tr>{rows}</table>")
    generated = (f"<p class='muted'>{len(handout.trials)} trials · generated "
                 f"{handout.generated_at:%Y-%m-%d} by Trial Tracker</p>")
    sections = "".join(_html_section(i, handout) for i in handout.trials)
    return (f"{head}<h1>{escape(wl.name)}</h1>{meta}{description}{generated}{table}"
            f"{sections}</body></html>")


def _first_outcome(item: HandoutTrial) -> str:
    outcomes = item.trial.outcomes
    return f"{outcomes[0].metric} {outcomes[0].value}" if outcomes else ""


def _html_section(item: HandoutTrial, handout: Handout) -> str:
    t = item.trial
    link = (f"<a href='{escape(t.registry_url)}'>{escape(t.registry_url)}</a>"
            if t.registry_url else "not registered")
    facts = (f"<p><b>Status:</b> {escape(_status(item))}<br><b>Design:</b> "
             f"{escape(_design(item))}<br><b>Registry:</b> {link}</p>")
    outcomes = ""
    if t.outcomes:
        rows = "".join(f"<tr><td>{escape(o.metric)}</td><td><b>{escape(o.value)}</b></td>"
                       f"<td>{escape(o.arm or '')}</td>"
                       f"<td><small>{escape(o.source.display())}</small></td></tr>"
                       for o in t.outcomes)
        outcomes = ("<h3>Key outcomes</h3><table width='100%' border='1' cellspacing='0' "
                    "cellpadding='3'><tr><th>Metric</th><th>Value</th><th>Arm</th>"
                    f"<th>Source</th></tr>{rows}</table>")
    changes = "".join(f"<li>{escape(_change_text(c))}</li>" for c in item.changes_since)
    changed = (f"<h3>Changes since {escape(handout.since_label)}</h3>"
               f"{'<ul>' + changes + '</ul>' if changes else '<p>None recorded.</p>'}")
    notes = ""
    if handout.include_notes and item.details.notes:
        notes = "<h3>Notes</h3>" + "".join(
            f"<p class='note'><i>{escape(n.author + ', ' if n.author else '')}"
            f"{n.updated_at:%Y-%m-%d}</i><br>{escape(n.body).replace(chr(10), '<br>')}</p>" for n in item.details.notes)
    return (f"<section class='trial'><h2 style='page-break-before: always'>"
            f"{escape(t.display_title)} ({t.id})</h2>"
            f"<p>{escape(t.brief_title)}</p>{facts}{outcomes}{changed}{notes}</section>")
