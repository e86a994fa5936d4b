"""A comparison table with many metric columns (a whole-library export) is printed across
landscape pages, with its notes, so its figures are read whole; the trials' sections and a
short list's narrow table stay on portrait pages."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import Counter

from tracker.services.exports import export_watchlist
from tracker.services.exports.comparison import build_comparison
from tracker.services.exports.comparison_grid import PORTRAIT_METRIC_COLUMNS, comparison_grid
from tracker.services.exports.handout import build_handout
from tracker.services.library import refresh_curated

NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)


def _export(library, name, tmp_path):
    from pypdf import PdfReader

    from tracker.ui.pdf import render_pdf

    path = export_watchlist(library, name, "pdf", tmp_path / f"{name}.pdf", now=NOW,
                            pdf_renderer=render_pdf)
    return PdfReader(io.BytesIO(path.read_bytes())).pages


def _landscape(page) -> bool:
    return page.mediabox.width > page.mediabox.height


def _words(text: str) -> list[str]:
    return [part for word in text.split() for part in re.split(r"(?<=-)", word) if part]


def _header(grid) -> str:
    return "".join(grid.headers)  # the table's header row, as the page's text has it


def test_a_table_with_many_metric_columns_goes_landscape_a_short_one_stays_portrait(
        qapp, empty_library, tmp_path):
    refresh_curated(empty_library)  # the curated library, as the app seeds it
    ids = [trial.id for trial in empty_library.trials.list()]
    empty_library.watchlists.create("Library")
    empty_library.watchlists.add("Library", ids)
    grid = comparison_grid(build_comparison(build_handout(empty_library, "Library", now=NOW)))
    assert len(grid.headers) - 1 > PORTRAIT_METRIC_COLUMNS  # ORR, CR, ... DOR: 11 here

    pages = _export(empty_library, "Library", tmp_path)
    texts = [page.extract_text() for page in pages]
    flat = ["".join(text.split()) for text in texts]
    table = [n for n, text in enumerate(flat) if _header(grid) in text]
    landscape = [n for n, page in enumerate(pages) if _landscape(page)]
    trials = next(n for n, text in enumerate(texts) if "Trials" in text.splitlines())
    legend = next(n for n, text in enumerate(flat) if "Figuresasprintedinthereviews" in text)
    assert table == list(range(len(table))) and len(table) > 1  # the table first, whole
    assert landscape == list(range(len(landscape)))  # the table's pages ...
    assert set(table) | {legend} <= set(landscape)  # ... with its notes and legend
    assert len(landscape) <= trials < len(pages)  # the trials follow on portrait pages
    assert all(f"Page{n}of{len(pages)}" in text for n, text in enumerate(flat, 1))

    # every word of every figure is painted whole (portrait pages broke "respon ses" and
    # "mont hs" inside the word); a line may end after a hyphen ("MRD-" / "negative")
    printed = Counter(word for n in table for word in _words(texts[n]))
    figures = Counter(word for row in grid.rows for cell in row[1:]
                      for style, text in cell if style == "value" for word in _words(text))
    broken = {word: count for word, count in figures.items() if printed[word] < count}
    assert broken == {}

    # a short list's table fits a portrait page: the whole handout stays portrait
    empty_library.watchlists.create("CLL")
    empty_library.watchlists.add("CLL", ["NCT02242942"])  # CLL14: MRD and PFS only
    grid = comparison_grid(build_comparison(build_handout(empty_library, "CLL", now=NOW)))
    assert 0 < len(grid.headers) - 1 <= PORTRAIT_METRIC_COLUMNS and not grid.landscape
    pages = _export(empty_library, "CLL", tmp_path)
    assert not any(_landscape(page) for page in pages)
    assert _header(grid) in "".join(pages[0].extract_text().split())
