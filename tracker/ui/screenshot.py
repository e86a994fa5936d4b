"""Render the main window offscreen to PNG files (for the README and for reviewing UI changes).

    python -m tracker.ui.screenshot OUT_DIR [--data-dir DIR] [--select NCT…] [--search TEXT]
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser(prog="python -m tracker.ui.screenshot")
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--data-dir", type=Path)
    parser.add_argument("--select", default="NCT02993523")
    parser.add_argument("--search", default="")
    parser.add_argument("--size", default="1500x900")
    parser.add_argument("--palette", choices=("system", "light", "dark"), default="system")
    parser.add_argument("--prefix", default="", help="prefix of the PNG file names")
    parser.add_argument("--demo-registry", action="store_true",
                        help="sync first against the loopback test registry (source checkout)")
    args = parser.parse_args(argv)
    from tracker.context import build_context
    from tracker.ui.app import make_application, wait_until_loaded
    from tracker.ui.main_window import MainWindow

    app = make_application()
    if args.palette != "system":
        from tracker.ui.resources import apply_palette

        apply_palette(app, dark=args.palette == "dark")
    folder = args.data_dir or Path(tempfile.mkdtemp(prefix="tracker-shot-"))
    context = build_context(folder)
    if args.demo_registry:
        _demo_sync(context)
    window = MainWindow(context)
    width, height = (int(v) for v in args.size.split("x"))
    window.resize(width, height)
    window.show()
    wait_until_loaded(window)
    _select(app, window, args.select)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    out = args.out_dir
    window.grab().save(str(out / f"{args.prefix}main-window.png"))
    if not args.prefix:
        _grab_detail(app, window, out)
    if args.search:
        window.search_box.setText(args.search)
        _settle(app, 800)
        window.grab().save(str(out / f"{args.prefix}search.png"))
    window.tabs.setCurrentIndex(1)
    _settle(app, 300)
    window.grab().save(str(out / f"{args.prefix}timeline.png"))
    window.close()
    context.close()
    return 0


def _demo_sync(context) -> None:
    """Give the screenshot realistic registry data: statuses, dates, one status change."""
    from tests.fakes.server import FakeCtgov
    from tests.fakes.studies import make_study
    from tracker.ctgov import CtgovClient
    from tracker.services.sync import SyncService

    statuses = ("RECRUITING", "ACTIVE_NOT_RECRUITING", "COMPLETED", "RECRUITING",
                "NOT_YET_RECRUITING", "TERMINATED", "COMPLETED", "ACTIVE_NOT_RECRUITING")
    trials = context.library.trials.list(with_outcomes=False)
    studies = []
    changes = {"NCT02993523": ("ACTIVE_NOT_RECRUITING", "COMPLETED"),
               "NCT06073821": ("RECRUITING", "ACTIVE_NOT_RECRUITING")}
    for n, trial in enumerate(t for t in trials if t.is_registered):
        start = 2015 + n % 9
        status = changes.get(trial.id, (statuses[n % len(statuses)],))[0]
        studies.append(make_study(
            trial.id, status=status, acronym=trial.acronym, phases=trial.phases or ("PHASE2",),
            title=trial.brief_title, start=(f"{start}-{1 + n % 12:02d}", "ACTUAL"),
            primary_completion=(f"{start + 3 + n % 4}-{1 + (n * 5) % 12:02d}",
                                "ESTIMATED" if start + 3 + n % 4 >= 2026 else "ACTUAL"),
            conditions=tuple(trial.diseases) or ("Hematologic Malignancy",),
            interventions=tuple(d.title() for d in trial.drugs) or ("Venetoclax",)))
    with FakeCtgov(studies) as server:
        client = CtgovClient(server.base_url, pace_seconds=0)
        SyncService(context.library, client).sync()
        for trial_id, (_before, after) in changes.items():
            server.set_status(trial_id, after)
        _demo_record_changes(server, "NCT02993523")
        SyncService(context.library, client).sync()
        client.close()
    if not context.library.notes.for_trial("NCT02993523"):
        context.library.notes.add("NCT02993523", "Journal club 10 Dec: compare OS with the "
                                  "real-world VEN-AZA cohort; ask pharmacy about dose holds.")
        context.library.tags.add("NCT02993523", ["AML", "journal club"])


def _grab_detail(app, window, out_dir: Path) -> None:
    """The detail pane alone: its top (outcomes, registry results) and its Changes section."""
    pane = window.detail
    sizes, size = window.splitter.sizes(), window.size()
    window.resize(max(size.width(), 1700), max(size.height(), 980))
    _settle(app, 200)
    window.splitter.setSizes([200, 700, 800])
    _settle(app, 300)
    pane.browser.verticalScrollBar().setValue(0)
    _settle(app, 200)
    pane.grab().save(str(out_dir / "detail-view.png"))
    for key in ("outcomes", "results", "overview"):
        pane.open_sections.discard(key)
    pane.set_home("Berlin")
    pane.toggle_section("sites")
    _settle(app, 200)
    pane.browser.scrollToAnchor("section-sites")
    _settle(app, 200)
    pane.grab().save(str(out_dir / "detail-changes.png"))
    pane.open_sections.update({"outcomes", "results", "overview"})
    pane.toggle_section("sites")
    pane.set_home(window.context.preferences.home_location)
    window.resize(size)
    window.splitter.setSizes(sizes)


def _demo_record_changes(server, trial_id: str) -> None:
    """Demo registry changes for one trial: a date slip, a site, posted results, a paper."""
    from tests.fakes.demo_records import with_demo_results

    server.put_study(with_demo_results(server.study(trial_id)))


def _select(app, window, trial_id: str) -> None:
    row = window.model.row_of(trial_id)
    if row is not None:
        window.cards.setCurrentIndex(window.model.index(row))
        window.cards.scrollTo(window.model.index(row))
    _settle(app, 600)


def _settle(app, ms: int) -> None:
    from PySide6.QtCore import QEventLoop, QTimer

    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


if __name__ == "__main__":
    raise SystemExit(main())
