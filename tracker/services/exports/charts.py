"""Two pictures for the handout, as self-contained SVG (HTML inlines them; the PDF draws them).

- the timeline: one bar per dated trial from start to completion, the primary completion as
  a mark, estimated dates hatched lighter, today and the meeting as vertical lines;
- the outcome dot plot: one row per trial, its ORR and CR (percentages as printed) as points,
  each with its figure written beside it where there is room.

Rows are labelled by acronym, else by the title shortened with '…'; two rows never read the
same (chart_labels).

Either is None when the list has nothing to draw. Rows beyond `MAX_ROWS` are left out and
the caption says so, so a 1,000-trial list does not become a metre-long picture.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from tracker.domain.headline_labels import population_labels
from tracker.domain.metrics import Metric, classify_metric
from tracker.domain.timeline import bar_ends, year_step
from tracker.domain.words import plural, word_for
from tracker.services.exports.chart_labels import row_labels, text_width
from tracker.services.exports.handout import Handout
from tracker.services.safe_text import html_text as escape

MAX_ROWS = 40
WIDTH, LABEL, ROW, TOP = 680, 200, 15, 24
FONT_SIZE, VALUE_FONT_SIZE = 9, 8
LABEL_ROOM = LABEL - 8  # the label column, less the gap before the plot
LABEL_SPACING = 8  # the least room between the today and meeting labels on one line
_FONT = f"font-family='DejaVu Sans, Arial, sans-serif' font-size='{FONT_SIZE}'"
_VALUE_FONT = f"font-family='DejaVu Sans, Arial, sans-serif' font-size='{VALUE_FONT_SIZE}'"


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
            rows.append(t)
    if not rows:
        return None
    shown = rows[:MAX_ROWS]
    days = [d.earliest() for t in shown
            for d in (t.start_date, t.primary_completion_date, t.completion_date) if d]
    today = handout.day
    first = min([*days, today]).replace(month=1, day=1)
    last = max([*days, today]).replace(month=12, day=31)
    span = (last - first).days or 1
    plot = WIDTH - LABEL - 10

    def x(day: dt.date) -> float:
        return LABEL + plot * (day - first).days / span

    bottom = TOP + ROW * len(shown)
    meeting = handout.watchlist.meeting_date
    marks = [(x(day), name, colour) for day, name, colour in
             ((today, "today", "#2a9d48"), (meeting, "meeting", "#8e44ad"))
             if day and first <= day <= last]
    labels = marker_labels(marks, bottom + 7)
    height = max([bottom + 8, *(y + 3 for _, y, _ in labels)])  # room for descenders
    body = [f"<rect width='{WIDTH}' height='{height}' fill='white'/>"]
    # every year keeps its line; labels as often as they fit (DejaVu's "2026" is the widest)
    step = year_step(plot / (last.year - first.year + 1), text_width("2026", FONT_SIZE) + 2)
    for year in range(first.year, last.year + 1):
        left = x(dt.date(year, 1, 1))
        body.append(f"<line x1='{left:.1f}' y1='{TOP - 6}' x2='{left:.1f}' y2='{bottom + 2}' "
                    "stroke='#e3e3e3'/>")
        if (year - first.year) % step == 0:
            body.append(f"<text x='{left + 2:.1f}' y='{TOP - 10}' {_FONT} "
                        f"fill='#666'>{year}</text>")
    for number, (trial, label) in enumerate(zip(shown, row_labels(shown, LABEL_ROOM, FONT_SIZE))):
        y = TOP + ROW * number
        body.append(f"<text x='{LABEL - 4}' y='{y + 10}' {_FONT} text-anchor='end'>"
                    f"{escape(label)}</text>")
        start, primary, end = trial.start_date, trial.primary_completion_date, trial.completion_date
        begin, finish = (day.earliest() for day in bar_ends(start, primary, end))
        estimated = any(d is not None and d.is_estimated for d in (primary, end))
        colour = "#9db8d9" if estimated else "#3d6fa8"
        width = max(x(finish) - x(begin), 2)
        body.append(f"<rect x='{x(begin):.1f}' y='{y + 3}' width='{width:.1f}'"
                    f" height='9' fill='{colour}' rx='2'/>")
        if primary is not None:
            px = x(primary.earliest())
            body.append(f"<rect x='{px - 1.5:.1f}' y='{y + 1}' width='3' height='13' "
                        "fill='#c0392b'/>")
    for (mark_x, name, colour), (label_x, label_y, anchor) in zip(marks, labels):
        body.append(f"<line x1='{mark_x:.1f}' y1='{TOP - 4}' x2='{mark_x:.1f}' "
                    f"y2='{bottom + 4}' stroke='{colour}' stroke-dasharray='3,2'/>")
        body.append(f"<text x='{label_x:.1f}' y='{label_y}' {_FONT} fill='{colour}' "
                    f"text-anchor='{anchor}'>{name}</text>")
    caption = ("Bars run from start to completion (lighter: estimated dates); the red mark is "
               "the primary completion." + _cut(len(rows)))
    return Chart("Timeline", _svg(WIDTH, height, body), caption, WIDTH, height)


def marker_labels(marks: list[tuple[float, str, str]], baseline: int,
                  gap: float = 3) -> list[tuple[float, int, str]]:
    """(x, baseline, text-anchor) for each mark's label (marks: (x, name, colour)) under the
    plot: each right of its line (left of it when it would leave the picture), all on one
    line when they stay `LABEL_SPACING` apart, else one line each, so they never overlap or
    run together ('meeting today')."""
    widths = [text_width(name, FONT_SIZE) for _, name, _ in marks]

    def beside(mark_x: float, width: float, y: int) -> tuple[float, int, str]:
        right = (mark_x + gap, y, "start")
        return right if _inside(right, width) else (mark_x - gap, y, "end")

    one_line = [beside(mark_x, width, baseline) for (mark_x, _, _), width in zip(marks, widths)]
    spans = sorted(_span(label, width) for label, width in zip(one_line, widths))
    if all(left - right >= LABEL_SPACING for (_, right), (left, _) in zip(spans, spans[1:])):
        return one_line
    return [beside(mark_x, width, baseline + 10 * line)
            for line, ((mark_x, _, _), width) in enumerate(zip(marks, widths))]


def _span(label: tuple[float, int, str], width: float) -> tuple[float, float]:
    x, _, anchor = label
    left = x - width if anchor == "end" else x
    return left, left + width


def _inside(label: tuple[float, int, str], width: float) -> bool:
    left, right = _span(label, width)
    return 0 <= left and right <= WIDTH


def _plottable(outcomes, metric: Metric) -> list:
    return [o for o in outcomes
            if classify_metric(o.metric) is metric and o.unit == "%" and o.number is not None
            and 0 <= o.number <= 100 and not o.is_context
            and " vs" not in f" {o.value}".lower()]


def _responses(outcomes) -> tuple[float | None, float | None, str]:
    """A row's ORR and CR, and the population (or arm) they belong to when the trial
    reports responses of several: figures without a curator's caveat (a caveated one, a
    misprint or 'sCR, not CR', would be a bare dot, while the table prints it with its
    caveat), both from the group of the first such figure, so a row never joins one cohort's
    ORR to another's CR. The label says which group a row shows whenever the trial's figures
    span several, so a relapsed cohort's 52.4% is not read as the trial's result."""
    plottable = {metric: _plottable(outcomes, metric) for metric in (Metric.ORR, Metric.CR)}
    sound = [o for o in outcomes if not o.caveat
             and any(o is figure for figures in plottable.values() for figure in figures)]
    if not sound:
        return None, None, ""
    group = (sound[0].population, sound[0].arm)
    picked = {metric: next((o for o in figures if not o.caveat
                            and (o.population, o.arm) == group), None)
              for metric, figures in plottable.items()}
    shown = [o for o in picked.values() if o is not None]
    label = next((text for text in population_labels(
        shown, among=[o for figures in plottable.values() for o in figures]) if text), "")
    orr, cr = picked[Metric.ORR], picked[Metric.CR]
    return (orr.number if orr else None), (cr.number if cr else None), label


def _caveated(outcomes) -> int:
    """The trial's ORR/CR figures left out of the plot for their caveat."""
    return sum(1 for metric in (Metric.ORR, Metric.CR)
               for o in _plottable(outcomes, metric) if o.caveat)


def dot_plot(handout: Handout) -> Chart | None:
    rows = []
    left_out = 0
    for item in handout.trials:
        orr, cr, group = _responses(item.trial.outcomes)
        if orr is not None or cr is not None:
            rows.append((item.trial, orr, cr, group))
        left_out += _caveated(item.trial.outcomes)
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
    labels = row_labels([row[0] for row in shown], LABEL_ROOM, FONT_SIZE,
                        groups=[row[3] for row in shown])
    for number, ((_, orr, cr, _), label) in enumerate(zip(shown, labels)):
        y = TOP + ROW * number + 7
        body.append(f"<text x='{LABEL - 4}' y='{y + 3}' {_FONT} text-anchor='end'>"
                    f"{escape(label)}</text>")
        if orr is not None and cr is not None:
            body.append(f"<line x1='{x(cr):.1f}' y1='{y}' x2='{x(orr):.1f}' y2='{y}' "
                        "stroke='#bbb'/>")
        if orr is not None:
            body.append(f"<circle cx='{x(orr):.1f}' cy='{y}' r='4' fill='{ORR_COLOUR}'/>")
        if cr is not None:
            body.append(f"<rect x='{x(cr) - 3.5:.1f}' y='{y - 3.5}' width='7' height='7' "
                        f"fill='{CR_COLOUR}'/>")
        values = [(x(v), v, colour) for v, colour in ((orr, ORR_COLOUR), (cr, CR_TEXT_COLOUR))
                  if v is not None]
        body += [f"<text x='{vx:.1f}' y='{y + 3}' {_VALUE_FONT} fill='{colour}' "
                 f"text-anchor='{anchor}'>{text}</text>"
                 for vx, text, colour, anchor in value_labels(values)]
    caption = ("ORR (blue circles) and CR (orange squares), as printed in the reviews; "
               "single-arm and cross-trial figures are not comparable head to head."
               + (f" {plural(left_out, 'figure')} with a curator's caveat "
                  f"{word_for(left_out, 'is')} not plotted: the table gives "
                  f"{word_for(left_out, 'it', 'them')} with the caveat." if left_out else "")
               + _cut(len(rows)))
    return Chart("Responses: ORR and CR", _svg(WIDTH, height, body), caption, WIDTH, height)


ORR_COLOUR, CR_COLOUR, CR_TEXT_COLOUR = "#3d6fa8", "#e67e22", "#a85608"
_VALUE_GAP = 6  # from a dot's centre to its figure


def value_labels(values: list[tuple[float, float, str]]) -> list[tuple[float, str, str, str]]:
    """(x, text, colour, text-anchor) for a row's figures (values: (x, percent, colour)):
    the larger figure right of its dot, the smaller left of its own; a figure with no room
    there (near 0%, or between two close dots) is left out: the table prints it."""
    ordered = sorted(values, key=lambda v: v[0])
    found = []
    for rank, (dot_x, percent, colour) in enumerate(reversed(ordered)):
        text = f"{percent:g}%"
        width = text_width(text, VALUE_FONT_SIZE)
        if rank == 0:  # the rightmost: room up to the picture's edge (100% leaves enough)
            found.append((dot_x + _VALUE_GAP, text, colour, "start"))
            continue
        if dot_x - _VALUE_GAP - width >= LABEL:
            found.append((dot_x - _VALUE_GAP, text, colour, "end"))
        elif ordered[-1][0] - dot_x >= 2 * _VALUE_GAP + width:  # between the two dots
            found.append((dot_x + _VALUE_GAP, text, colour, "start"))
    return found
