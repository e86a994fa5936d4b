"""The detail pane's Changes section and the card after a sync that sees VIALE-A's posted
adverse events revised (the loopback registry; the window's own sync)."""

from __future__ import annotations

from tests.fakes.demo_safety import VEN
from tests.fakes.studies import set_last_update
from tests.ui import test_detail_sections as sections
from tests.ui.test_sync_window import _sync

registry, detail_window, _text, VIALE = (sections.registry, sections.detail_window,
                                         sections._text, sections.VIALE)


def _revise_tumour_lysis(registry) -> None:
    """The sponsor revises the venetoclax arm's serious tumour lysis count from 3 to 5."""
    study = registry.study(VIALE)
    events = study["resultsSection"]["adverseEventsModule"]["seriousEvents"]
    tls = next(e for e in events if e["term"] == "Tumour lysis syndrome")
    tls["stats"][0]["numAffected"] = 5
    set_last_update(study["protocolSection"]["statusModule"], "2026-11-02")
    registry.put_study(study)


def test_detail_changes_show_adverse_events_posted_then_revised(qtbot, detail_window, registry):
    changes = _text(detail_window).split("Changes", 1)[1]
    assert "adverse events posted: 2 arms, 14 serious and 14 other terms" in changes

    _revise_tumour_lysis(registry)
    _sync(qtbot, detail_window, [VIALE, sections.OTHER])
    revised = (f"serious adverse events revised: Tumour lysis syndrome, arm '{VEN}', "
               "3/283 → 5/283")
    qtbot.waitUntil(lambda: revised in _text(detail_window), timeout=5_000)
    changes = _text(detail_window).split("Changes", 1)[1]
    lines = changes.splitlines()
    at = next(number for number, line in enumerate(lines) if revised in line)
    assert lines[at - 1:at + 2] == ["major", revised, "registry update 2026-11-02"]
    assert changes.index(revised) < changes.index("adverse events posted"), "newest first"
    assert detail_window.model.card(VIALE).change_marker == "serious adverse events revised"
