"""The comparison table as a grid of plain paragraphs for a renderer that paints tables itself
(the PDF: Qt's rich-text tables lay out 1,000 rows in seconds), and how wide each column is.

Each metric column first gets room for its longest figure on one line and its header, then
the rest in proportion to its longest cell; more than `PORTRAIT_METRIC_COLUMNS` metric
columns go on landscape pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.domain.headline_labels import with_unit
from tracker.services.exports.comparison import Comparison, reference_number
from tracker.services.safe_text import plain

#: A bold figure character's share of the page's text width (8 pt figures on a portrait A4
#: page; a landscape page's text is LANDSCAPE_WIDTH times as wide).
_SHARE_PER_CHARACTER = 0.0085
_ONE_LINE_FIGURE = 16  # "14.7 months [1]" on one line; longer text values wrap
#: More metric columns than this leave each under ~25 mm of a portrait A4 page (nine gave
#: 13 mm: "respon-ses" broken inside the word): the table then goes on landscape pages.
PORTRAIT_METRIC_COLUMNS = 5
LANDSCAPE_WIDTH = 273 / 186  # A4's text width across over its width down (12 mm margins)
#: The trial column's share: on landscape pages a smaller share is still a wider column.
_TRIAL_SHARE, _TRIAL_SHARE_LANDSCAPE = 0.24, 0.2


@dataclass(frozen=True)
class Grid:
    """The comparison table as plain paragraphs, for a renderer that paints tables itself
    (Qt's rich-text tables lay out 1,000 rows in seconds; the PDF paints this instead).

    Each cell is a list of (style, text) paragraphs; styles: title, value, small, italic.
    `widths` are the columns' shares of the page width; `landscape`: the table is too wide
    for a portrait page and is printed across landscape pages.
    """

    headers: list[str]
    widths: list[float]
    rows: list[list[list[tuple[str, str]]]]
    landscape: bool = False


def comparison_grid(comparison: Comparison) -> Grid:
    metrics = comparison.metrics
    rows = []
    for row in comparison.rows:
        versus = row.intervention + (f" vs {row.comparator}" if row.comparator else "")
        trial = [("title", row.title), ("small", row.facts)]
        trial += [("small", row.population)] if row.population else []
        trial += [("italic", versus)] if versus else []
        cells = [trial]
        for metric in metrics:
            cell: list[tuple[str, str]] = []
            for figure in row.cells.get(metric.key, []):
                source = reference_number(figure.source)
                cell.append(("italic", f"{figure.pointer} {source}") if figure.withheld else
                            ("value", f"{with_unit(figure.outcome)}{figure.marker} {source}"))
                if figure.detail:
                    cell.append(("small", figure.detail))
            cells.append(cell)
        if not row.has_figures and metrics:
            cells[1] = [("italic", row.item.no_figure_words)]
        rows.append([[(style, plain(text)) for style, text in cell] for cell in cells])
    headers = ["Trial", *(m.label for m in metrics)]
    with_figures = [cells for cells, row in zip(rows, comparison.rows, strict=True)
                    if row.has_figures]
    landscape = len(metrics) > PORTRAIT_METRIC_COLUMNS
    trial = (_TRIAL_SHARE_LANDSCAPE if landscape else _TRIAL_SHARE) if metrics else 1.0
    shares = _metric_shares(headers[1:], with_figures, 1.0 - trial,
                            LANDSCAPE_WIDTH if landscape else 1.0)
    return Grid(headers, [trial, *shares], rows, landscape)


def _metric_shares(headers: list[str], rows: list, total: float,
                   page_width: float = 1.0) -> list[float]:
    """Each metric column's share of `total`: first room for its longest figure on one line
    ("14.7 months [1]") and its header, then the rest in proportion to the column's longest
    cell with its details (a PFS column of medians with arms and timepoints needs more room
    than a CR/CRi column holding one "62%"). When the figures alone do not fit, each column
    gets its part of `total` in proportion to what it needed. `page_width`: the page's text
    width over a portrait page's (a character takes a smaller share of a wider page)."""
    if not headers:
        return []
    needed = [len(header) for header in headers]
    demand = [len(header) for header in headers]
    for cells in rows:
        for column, cell in enumerate(cells[1:]):
            values = [min(len(text), _ONE_LINE_FIGURE) for style, text in cell if style == "value"]
            words = [min(len(word), _ONE_LINE_FIGURE) * 0.8 for _style, text in cell
                     for word in text.split()]  # details are smaller: whole words, no breaks
            needed[column] = max(needed[column], *values, *words, 0)
            demand[column] = max(demand[column], sum(len(text) for _style, text in cell))
    room = [count * _SHARE_PER_CHARACTER / page_width for count in needed]
    if sum(room) >= total:
        return [total * r / sum(room) for r in room]
    weights = [d ** 0.75 for d in demand]
    spare = total - sum(room)
    return [r + spare * weight / sum(weights) for r, weight in zip(room, weights, strict=True)]