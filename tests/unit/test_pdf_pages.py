"""How the PDF handout is cut into pages: every trial present once, sections kept whole,
long text broken between lines (nothing clipped, nothing printed twice), table cells whole."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest

from tracker.domain import Trial
from tracker.services.exports import export_watchlist
from tracker.services.library import refresh_curated

NOW = dt.datetime(2026, 11, 26, 9, 30, tzinfo=dt.UTC)


@pytest.fixture
def long_list(empty_library):
    """60 trials shaped like synced ones (450-character summaries, the curated outcomes)."""
    refresh_curated(empty_library)
    templates = [t for t in empty_library.trials.list() if t.outcomes]
    clones = [Trial(id=f"NCT{91000000 + n:08d}", acronym=f"Clone {n}",
                    brief_title=templates[n % len(templates)].brief_title,
                    summary=(templates[n % len(templates)].summary * 3)[:450],
                    modality=templates[n % len(templates)].modality,
                    status="RECRUITING", sponsor="A sponsor", enrollment=40 + n,
                    outcomes=templates[n % len(templates)].outcomes)
              for n in range(60)]
    empty_library.trials.insert(clones)
    empty_library.watchlists.create("Long")
    empty_library.watchlists.add("Long", [t.id for t in clones])
    return empty_library, [t.id for t in clones]


def _pages(library, name, tmp_path) -> list[str]:
    from pypdf import PdfReader

    from tracker.ui.pdf import render_pdf

    path = export_watchlist(library, name, "pdf", tmp_path / "handout.pdf", now=NOW,
                            pdf_renderer=render_pdf, include_notes=True)
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return ["".join(page.extract_text().split()) for page in reader.pages]


def test_every_trial_once_and_each_section_whole_on_one_page(qapp, long_list, tmp_path):
    library, ids = long_list
    pages = _pages(library, "Long", tmp_path)
    assert len(pages) > 10
    assert all(f"Page{n}of{len(pages)}" in page for n, page in enumerate(pages, 1))
    for trial_id in ids:
        headings = [n for n, page in enumerate(pages) if f"({trial_id})" in page]
        links = [n for n, page in enumerate(pages) if f"study/{trial_id}" in page]
        assert len(headings) == 1 and links == headings, trial_id  # once, with its facts
        # the table row, the section heading and the registry link; nothing hidden twice
        assert sum(page.count(trial_id) for page in pages) == 3, trial_id
    for page in pages:  # a section ends with its changes line: none is cut off
        assert page.count("(NCT91") == page.count("Changessince"), page[:80]


def test_a_section_longer_than_a_page_breaks_between_lines_and_loses_none(qapp, long_list,
                                                                          tmp_path):
    library, ids = long_list
    note = "\n".join(f"line-{n:03d} of a long protocol note" for n in range(150))
    library.notes.add(ids[3], note, when=NOW)
    pages = _pages(library, "Long", tmp_path)
    where = {n: [p for p, page in enumerate(pages) if f"line-{n:03d}of" in page]
             for n in range(150)}
    assert all(len(found) == 1 for found in where.values())  # every line once: none clipped
    spread = sorted({found[0] for found in where.values()})
    assert len(spread) >= 2 and spread == list(range(spread[0], spread[-1] + 1))
    assert [where[n][0] for n in range(150)] == sorted(where[n][0] for n in range(150))


def test_table_cells_with_many_wrapped_lines_are_painted_whole(qapp, tmp_path):
    from pypdf import PdfReader
    from PySide6.QtCore import QBuffer, QIODevice
    from PySide6.QtGui import QPainter, QPdfWriter

    from tracker.services.exports.comparison_grid import Grid
    from tracker.ui.pdf_grid import GridPainter

    words = [f"word{n:03d}" for n in range(120)]
    long_cell = [("title", " ".join(words[:40])), ("small", " ".join(words[40:80])),
                 ("italic", " ".join(words[80:]))]
    rows = [[long_cell, [("value", f"ORR{n}% [1]"), ("small", "12 months")]] for n in range(30)]
    grid = Grid(["Trial", "ORR"], [0.3, 0.7], rows)
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(96)
    painter = QPainter(writer)
    grid_painter = GridPainter(painter, grid, 600)
    pages, _end = grid_painter.paginate(0, 900)
    for number, page in enumerate(pages):
        if number:
            writer.newPage()
        page.paint()
    painter.end()
    del writer
    reader = PdfReader(io.BytesIO(bytes(buffer.data())))
    text = "".join("".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) == len(pages) > 1
    for word in words:  # every wrapped line of every row is there, once per row
        assert text.count(word) == 30, word
    assert [int(n) for n in re.findall(r"ORR(\d+)%\[1\]", text)] == list(range(30))
    assert text.count("Trial") == len(pages)  # the header row on every page


def _ink(grid, width: float) -> int:
    """Dark pixels left by the grid's text painted `width` pixels wide (grey rules excluded)."""
    from PySide6.QtGui import QColor, QImage, QPainter

    from tracker.ui.pdf_grid import GridPainter

    image = QImage(int(width) + 20, 400, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    pages, _end = GridPainter(painter, grid, width).paginate(0, 400)
    pages[0].paint()
    painter.end()
    return sum(1 for y in range(image.height()) for x in range(image.width())
               if image.pixelColor(x, y).lightness() < 100)


def test_a_word_wider_than_its_column_is_broken_not_clipped(qapp):
    from tracker.services.exports.comparison_grid import Grid

    row = [[("title", "CARTITUDE-1")], [("value", "responses [2]"), ("small", "months")]]
    narrow = _ink(Grid(["Trial", "ORR"], [0.85, 0.15], [row]), 240)  # ORR: 36 px wide
    wide = _ink(Grid(["Trial", "ORR"], [0.5, 0.5], [row]), 240)
    assert narrow > 0.9 * wide  # every letter painted: none cut off at the cell's edge


def test_text_is_written_without_ligatures_so_search_finds_efficacy(qapp, empty_library,
                                                                     tmp_path):
    empty_library.trials.insert([Trial(
        id="NCT04557098", acronym="MajesTEC-1", modality="bispecific",
        brief_title="Bispecific teclistamab efficacy in R/R myeloma",
        summary="Efficacy and safety of the first bispecific antibody; office workflow.")])
    empty_library.watchlists.create("Bispecifics")
    empty_library.watchlists.add("Bispecifics", ["NCT04557098"])
    text = "".join(_pages(empty_library, "Bispecifics", tmp_path))
    assert not re.search("[\ufb00-\ufb06]", text)  # ff, fi, fl, ffi, ffl ligature characters
    assert "Bispecificteclistamabefficacy" in text and "firstbispecific" in text
    assert "officeworkflow" in text


def test_plain_html_renders_with_the_default_title(qapp):
    from pypdf import PdfReader

    from tracker.ui.pdf import render_pdf

    reader = PdfReader(io.BytesIO(render_pdf("<p>Bispecific efficacy</p>")))
    assert reader.metadata.title == "Trial Tracker handout"
    assert "Bispecific efficacy" in " ".join(reader.pages[0].extract_text().split())
