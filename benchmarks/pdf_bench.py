"""PDF handout of a 1,000-trial watch list (issue 13: goal ≤ 2 s; 5.4 s and 1,025 pages before).

    python -m benchmarks.pdf_bench [--trials 1000] [--runs 3]

The library is realistic: the curated trials cloned to N registry-shaped trials (status,
dates, sponsor, enrollment, a ~450-character summary, the curated outcomes with their
sources, a status change each, notes on 1 % of them and tags on 10 %). Each run times the
whole export (read the list, build the handout, lay out and paint the PDF, write the file)
and, alternating with it in the same process, a bare baseline: Qt printing the same handout
as one HTML document with QTextDocument.print_ (its comparison table laid out by Qt's rich
text engine, as before; no footers, no kept-together sections, no charts). It then
checks what it made: the file is a PDF whose page count pypdf reads, and every one of the N
trial ids is in its text, once in the table, the section heading and the link
(so no hidden duplicates); every page is numbered 'Page n of N'. Prints goal / measured
min, median, max / PASS or MISS, and the machine's load.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import statistics
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 2.0
NOW = dt.datetime(2026, 12, 2, 12, 0, tzinfo=dt.UTC)
STATUSES = ["RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED", "NOT_YET_RECRUITING"]


def build_library(folder: Path, count: int):
    from tracker.domain import RegistryState, StatusChange, Trial
    from tracker.services.library import refresh_curated
    from tracker.store import LIBRARY_FILE_NAME, Library

    library = Library(folder / LIBRARY_FILE_NAME)
    refresh_curated(library)
    templates = [t for t in library.trials.list() if t.outcomes]
    clones = []
    for number in range(count):
        base = templates[number % len(templates)]
        summary = (base.summary * 3)[:450]
        clones.append(Trial(
            id=f"NCT{90000000 + number:08d}", acronym=f"{base.display_title[:18]}-{number}",
            brief_title=base.brief_title, summary=summary, modality=base.modality,
            drugs=base.drugs, diseases=base.diseases, phases=base.phases,
            status=STATUSES[number % 4], sponsor="Janssen Research & Development, LLC",
            enrollment=40 + number % 400, enrollment_kind="ACTUAL",
            start_date={"value": f"{2015 + number % 8}-0{1 + number % 9}", "kind": "ACTUAL"},
            primary_completion_date={"value": f"{2026 + number % 4}-06", "kind": "ESTIMATED"},
            completion_date={"value": f"{2027 + number % 4}-12-31", "kind": "ESTIMATED"},
            last_update_posted="2026-10-01", last_synced_at=NOW,
            registry_state=RegistryState.FOUND, outcomes=base.outcomes))
    library.trials.insert(clones, added_at=NOW)
    ids = [t.id for t in clones]
    for number, trial_id in enumerate(ids):
        library.history.record(StatusChange(trial_id=trial_id, old_status="RECRUITING",
                                            new_status="ACTIVE_NOT_RECRUITING",
                                            seen_at=NOW - dt.timedelta(days=number % 60)))
        if number % 100 == 0:
            note = "Discuss the comparator arm; 需要讨论对照组。"
            library.notes.add(trial_id, note, when=NOW)
        if number % 10 == 0:
            library.tags.add(trial_id, ["journal club"])
    library.watchlists.create("Big list", meeting_date=dt.date(2026, 12, 10))
    library.watchlists.add("Big list", ids)
    return library, ids


def _export(library, path: Path) -> float:
    from tracker.services.exports import export_watchlist
    from tracker.ui.pdf import render_pdf

    start = time.perf_counter()
    export_watchlist(library, "Big list", "pdf", path, pdf_renderer=render_pdf, now=NOW)
    return time.perf_counter() - start


def _bare(html: str, path: Path) -> float:
    from PySide6.QtGui import QPageSize, QPdfWriter, QTextDocument

    start = time.perf_counter()
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setResolution(96)
    document = QTextDocument()
    document.setHtml(html)
    document.print_(writer)
    del writer
    return time.perf_counter() - start


def _check(path: Path, ids: list[str], *, footers: bool) -> int:
    """Every trial id in the text; with `footers`, every page says "Page n of N" with N the
    real page count, and each id is printed exactly three times (table row, section
    heading, registry link): an id found more often is text written twice, hidden or not."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    pages = ["".join(page.extract_text().split()) for page in reader.pages]
    text = "".join(pages)
    missing = [i for i in ids if i not in text]
    if missing:
        raise SystemExit(f"FAIL: {len(missing)} of {len(ids)} trial ids missing from {path.name} "
                         f"(first: {missing[0]})")
    if footers:
        unnumbered = [n for n, page in enumerate(pages, 1)
                      if f"Page{n}of{len(pages)}" not in page]
        if unnumbered:
            raise SystemExit(f"FAIL: {len(unnumbered)} of {len(pages)} pages of {path.name} lack "
                             f"'Page n of {len(pages)}' (first: page {unnumbered[0]})")
        counts = {i: text.count(i) for i in ids}
        wrong = [i for i, count in counts.items() if count != 3]
        if wrong:
            raise SystemExit(f"FAIL: {len(wrong)} trial ids printed other than 3 times in "
                             f"{path.name} (first: {wrong[0]}, {counts[wrong[0]]} times)")
    return len(pages)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    from tracker.services.exports.documents import render_html
    from tracker.services.exports.handout import build_handout

    app = QGuiApplication.instance() or QGuiApplication([])  # noqa: F841 - Qt needs it
    with tempfile.TemporaryDirectory() as folder:
        library, ids = build_library(Path(folder), args.trials)
        html = render_html(build_handout(library, "Big list", now=NOW), for_print=True)
        ours, bare = [], []
        for run in range(args.runs):  # alternating pairs in the same process
            ours.append(_export(library, Path(folder) / f"ours{run}.pdf"))
            bare.append(_bare(html, Path(folder) / f"bare{run}.pdf"))
        pages = [_check(Path(folder) / f"ours{run}.pdf", ids, footers=True)
                 for run in range(args.runs)]
        bare_pages = _check(Path(folder) / "bare0.pdf", ids, footers=False)
        library.close()
    median = statistics.median(ours)
    verdict = "PASS" if median <= GOAL_SECONDS else "MISS"
    if len(set(pages)) != 1:
        raise SystemExit(f"FAIL: the runs made different page counts: {pages}")
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"PDF of a {args.trials}-trial list ({pages[0]} pages, each numbered 'Page n of "
          f"{pages[0]}'; every trial id in the text, each exactly 3 times)")
    print(f"  goal      ≤ {GOAL_SECONDS:.2f} s")
    print(f"  measured  min {min(ours):.2f} s, median {median:.2f} s, max {max(ours):.2f} s "
          f"over {args.runs} runs  -> {verdict}")
    bare_median = statistics.median(bare)
    print(f"  bare Qt print of the same handout HTML ({bare_pages} pages, Qt's table, no "
          f"footers/kept sections/charts): min {min(bare):.2f} s, median {bare_median:.2f} s, "
          f"max {max(bare):.2f} s; ratio {median / bare_median:.2f}x")
    print(f"  machine load (1, 5, 15 min) at the end: {load}; {os.cpu_count()} cores")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    raise SystemExit(main())
