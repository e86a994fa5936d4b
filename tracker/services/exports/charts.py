"""Two pictures for the handout, as self-contained SVG (HTML inlines them; the PDF draws them).

- the timeline: one bar per dated trial from start to completion, the primary completion as
  a mark, estimated dates hatched lighter, today and the meeting as vertical lines;
- the outcome dot plot: one row per trial, its ORR and CR (percentages as printed) as points.

Either is None when the list has nothing to draw. Rows beyond `MAX_ROWS` are left out and
the caption says so, so a 1,000-trial list does not become a metre-long picture.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from tracker.domain.metrics import Metric, classify_metric
from tracker.services.exports.handout import Handout

MAX_ROWS = 40
WIDTH, LABEL, ROW, TOP = 680, 150, 15, 24
_FONT = "font-family='DejaVu Sans, Arial, sans-serif' font-size='9'"


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    caption: str
    width: int
    height: int


def _svg(width: int, height: int, body: list[str]) -> str:
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' "
            f"viewBox='0 0 {width} {height}'>{''.join(body)}</svg>")


def _cut(count: int) -> str:
    return f" The first {MAX_ROWS} of {count} are shown." if count > MAX_ROWS else ""


def timeline(handout: Handout) -> Chart | None:
    rows = []
    for item in handout.trials:
        t = item.trial
        dates = [d for d in (t.start_date, t.primary_completion_date, t.completion_date) if d]
        if len(dates) >= 2 or (dates and t.start_date):
            rows.append((t.display_title, t.start_date, t.primary_completion_date,
                         t.completion_date))
    if not rows:
        return None
    shown = rows[:MAX_ROWS]
    days = [d.earliest() for _, *ds in shown for d in ds if d]
    today = handout.generated_at.date()
    first = min([*days, today]).replace(month=1, day=1)
    last = max([*days, today]).replace(month=12, day=31)
    span = (last - first).days or 1
    plot = WIDTH - LABEL - 10

    def x(day: dt.date) -> float:
        return LABEL + plot * (day - first).days / span

    height = TOP + ROW * len(shown) + 8
    body = [f"<rect width='{WIDTH}' height='{height}' fill='white'/>"]
    for year in range(first.year, last.year + 1):
        left = x(dt.date(year, 1, 1))
        body.append(f"<line x1='{left:.1f}' y1='{TOP - 6}' x2='{left:.1f}' y2='{height - 6}' "
                    "stroke='#e3e3e3'/>")
        body.append(f"<text x='{left + 2:.1f}' y='{TOP - 10}' {_FONT} fill='#666'>{year}</text>")
    for number, (title, start, primary, end) in enumerate(shown):
        y = TOP + ROW * number
        body.append(f"<text x='{LABEL - 4}' y='{y + 10}' {_FONT} text-anchor='end'>"
                    f"{escape(title[:28])}</text>")
        begin = (start or primary or end).earliest()
        finish = (end or primary or start).earliest()
        estimated = any(d is not None and d.is_estimated for d in (primary, end))
        colour = "#9db8d9" if estimated else "#3d6fa8"
        width = max(x(finish) - x(begin), 2)
        body.append(f"<rect x='{x(begin):.1f}' y='{y + 3}' width='{width:.1f}'"
                    f" height='9' fill='{colour}' rx='2'/>")
        if primary is not None:
            px = x(primary.earliest())
            body.append(f"<rect x='{px - 1.5:.1f}' y='{y + 1}' width='3' height='13' "
                        "fill='#c0392b'/>")
    meeting = handout.watchlist.meeting_date
    for day, colour, name, anchor in ((today, "#2a9d48", "today", "start"),
                                      (meeting, "#8e44ad", "meeting", "end")):
        if day and first <= day <= last:  # labels on either side, so close dates stay legible
            label_x = x(day) + (2 if anchor == "start" else -2)
            body.append(f"<line x1='{x(day):.1f}' y1='{TOP - 4}' x2='{x(day):.1f}' "
                        f"y2='{height - 4}' stroke='{colour}' stroke-dasharray='3,2'/>")
            body.append(f"<text x='{label_x:.1f}' y='{height - 1}' {_FONT} fill='{colour}' "
                        f"text-anchor='{anchor}'>{name}</text>")
    caption = ("Bars run from start to completion (lighter: estimated dates); the red mark is "
               "the primary completion." + _cut(len(rows)))
    return Chart("Timeline", _svg(WIDTH, height, body), caption, WIDTH, height)


def _percent(outcomes, metric: Metric) -> float | None:
    for outcome in outcomes:
        if (classify_metric(outcome.metric) is metric and outcome.unit == "%"
                and outcome.number is not None and 0 <= outcome.number <= 100
                and not outcome.is_context and " vs" not in f" {outcome.value}".lower()):
            return outcome.number
    return None


def dot_plot(handout: Handout) -> Chart | None:
    rows = []
    for item in handout.trials:
        orr = _percent(item.trial.outcomes, Metric.ORR)
        cr = _percent(item.trial.outcomes, Metric.CR)
        if orr is not None or cr is not None:
            rows.append((item.trial.display_title, orr, cr))
    if not rows:
        return None
    shown = rows[:MAX_ROWS]
    plot = WIDTH - LABEL - 34
    height = TOP + ROW * len(shown) + 8

    def x(percent: float) -> float:
        return LABEL + plot * percent / 100

    body = [f"<rect width='{WIDTH}' height='{height}' fill='white'/>"]
    for tick in range(0, 101, 20):
        body.append(f"<line x1='{x(tick):.1f}' y1='{TOP - 6}' x2='{x(tick):.1f}' "
                    f"y2='{height - 6}' stroke='#e3e3e3'/>")
        body.append(f"<text x='{x(tick):.1f}' y='{TOP - 10}' {_FONT} fill='#666' "
                    f"text-anchor='middle'>{tick}%</text>")
    for number, (title, orr, cr) in enumerate(shown):
        y = TOP + ROW * number + 7
        body.append(f"<text x='{LABEL - 4}' y='{y + 3}' {_FONT} text-anchor='end'>"
                    f"{escape(title[:28])}</text>")
        if orr is not None and cr is not None:
            body.append(f"<line x1='{x(cr):.1f}' y1='{y}' x2='{x(orr):.1f}' y2='{y}' "
                        "stroke='#bbb'/>")
        if orr is not None:
            body.append(f"<circle cx='{x(orr):.1f}' cy='{y}' r='4' fill='#3d6fa8'/>")
        if cr is not None:
            body.append(f"<rect x='{x(cr) - 3.5:.1f}' y='{y - 3.5}' width='7' height='7' "
                        "fill='#e67e22'/>")
    caption = ("ORR (blue circles) and CR (orange squares), as printed in the reviews; "
               "single-arm and cross-trial figures are not comparable head to head."
               + _cut(len(rows)))
    return Chart("Responses: ORR and CR", _svg(WIDTH, height, body), caption, WIDTH, height)
