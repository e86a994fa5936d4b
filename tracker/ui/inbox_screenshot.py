"""Render the inbox offscreen for the README (source checkout: uses the loopback registry).

    python -m tracker.ui.inbox_screenshot docs/screenshots
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
from pathlib import Path

# Synthetic registry records shaped like the real API's (ids, sponsors and titles invented).
DEMO_STUDIES = (
    ("NCT06900101", "2025-01-13", ("Sonrotoclax", "Zanubrutinib"), ("Mantle Cell Lymphoma",),
     "Sonrotoclax Plus Zanubrutinib in Relapsed Mantle Cell Lymphoma", "BeiGene", "PHASE3",
     "RECRUITING"),
    ("NCT06900102", "2025-01-14", ("Anitocabtagene autoleucel",), ("Multiple Myeloma",),
     "BCMA CAR-T in First Relapse of Multiple Myeloma", "Arcellx", "PHASE3",
     "NOT_YET_RECRUITING"),
    ("NCT06900103", "2025-01-14", ("Talquetamab", "Teclistamab"), ("Multiple Myeloma",),
     "GPRC5D×CD3 and BCMA×CD3 Bispecifics Together in Myeloma", "Janssen", "PHASE2",
     "RECRUITING"),
    ("NCT06900104", "2025-01-15", ("Lisaftoclax", "Azacitidine"), ("Acute Myeloid Leukemia",),
     "Lisaftoclax With Azacitidine in Newly Diagnosed AML", "Ascentage Pharma", "PHASE3",
     "RECRUITING"),
    ("NCT06900105", "2025-01-15", ("Anti-CD7 cells",), ("T-cell Acute Lymphoblastic Leukemia",),
     "CD7-directed CAR-T Cells in Relapsed T-ALL", "Academic consortium", "PHASE1",
     "RECRUITING"),
    ("NCT06900106", "2025-01-16", ("ABC-3001",), ("Diffuse Large B-cell Lymphoma",),
     "ABC-3001 (CD20xCD3) in Relapsed DLBCL", "Example Bio", "PHASE1", "RECRUITING"),
)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    parser = argparse.ArgumentParser(prog="python -m tracker.ui.inbox_screenshot")
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    from tracker.context import build_context
    from tracker.ui.app import make_application
    from tracker.ui.main_window import MainWindow
    from tracker.ui.screenshot import _settle

    app = make_application()
    context = build_context(Path(tempfile.mkdtemp(prefix="tracker-inbox-shot-")))
    _demo_check(context)
    window = MainWindow(context)
    window.resize(1500, 900)
    window.show()
    _settle(app, 1200)
    window.inbox.show_page()
    view = window.inbox.view
    view.cards.setCurrentIndex(view.model.index(1))
    _settle(app, 400)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(args.out_dir / "inbox.png"))
    window.close()
    context.close()
    return 0


def _demo_check(context) -> None:
    from tests.fakes.filters import posted_study
    from tests.fakes.server import FakeCtgov
    from tests.fakes.studies import make_study
    from tracker.ctgov import CtgovClient
    from tracker.services.discovery import DiscoveryService

    studies = [posted_study(make_study(nct, interventions=drugs, conditions=conditions,
                                       title=title, sponsor=sponsor, phases=(phase,),
                                       status=status), posted)
               for nct, posted, drugs, conditions, title, sponsor, phase, status in DEMO_STUDIES]
    with FakeCtgov(studies) as server:
        client = CtgovClient(server.base_url, pace_seconds=0)
        DiscoveryService(context.library, client).check(today=dt.date(2025, 1, 16))
        client.close()


if __name__ == "__main__":
    raise SystemExit(main())
