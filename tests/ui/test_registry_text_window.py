"""The reviewer's hostile study in the window (offscreen): the library card, the detail header
and the inbox card read the clean title left to right, with no override, escape or
zero-width character, and the sponsor reads "not stated". Data comes from the loopback
registry through the app's own add and inbox check."""

from __future__ import annotations

import copy
import json

import pytest
import shiboken6

from tests.fakes.clients import fast_client
from tests.fakes.filters import posted_study
from tests.fakes.hostile_text import CLEAN_TITLE, HIDDEN, HOSTILE_ID, hostile_study
from tests.ui.conftest import select_trial
from tracker.context import build_context
from tracker.domain.searches import SavedSearch, SearchCriteria
from tracker.services.discovery import DiscoveryService
from tracker.services.registry import RegistryService
from tracker.ui.trial_model import TrialRole

INBOX_ID = "NCT06900013"  # the same hostile text, found by a saved search


@pytest.fixture
def hostile_window(qtbot, tmp_path, ctgov_server):
    from tracker.ui.main_window import MainWindow

    other = copy.deepcopy(hostile_study())
    other["protocolSection"]["identificationModule"]["nctId"] = INBOX_ID
    ctgov_server.put_studies([posted_study(hostile_study(), "2026-11-20"),
                              posted_study(other, "2026-11-21")])
    data_dir = tmp_path / "library"
    data_dir.mkdir()
    (data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    context = build_context(data_dir, api_url=ctgov_server.base_url)
    client = fast_client(ctgov_server)
    try:
        assert RegistryService(context.library, client).add([HOSTILE_ID]).added
        service = DiscoveryService(context.library, client)
        for search in service.searches.all():
            service.searches.remove(search.name)
        service.searches.add(SavedSearch(name="BCMA", criteria=SearchCriteria(term="BCMA")))
        service.check()
    finally:
        client.close()
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitUntil(lambda: window.controller.shown_request > 0, timeout=10_000)
    yield window
    if shiboken6.isValid(window):
        qtbot.waitUntil(lambda: not window.runner.running, timeout=10_000)
        window.close()
    context.close()


def _clean(text: str) -> bool:
    return not set(text) & set(HIDDEN) and "[31m" not in text


def test_library_card_and_detail_show_the_clean_title(qtbot, hostile_window, tmp_path):
    window = hostile_window
    window.search_box.setText("BCMA")
    qtbot.waitUntil(lambda: window.model.row_of(HOSTILE_ID) is not None, timeout=10_000)
    index = window.model.index(window.model.row_of(HOSTILE_ID))
    title_line = index.data(TrialRole.TITLE_TEXT)
    assert title_line.startswith("BCMA CAR-T study RED") and _clean(title_line)
    assert index.data(TrialRole.CARD).title == CLEAN_TITLE
    select_trial(qtbot, window, HOSTILE_ID)
    shown = window.detail.browser.toPlainText()
    assert shown.lstrip().startswith("BCMA CAR-T study RED") and _clean(shown)
    assert "Sponsor\tnot stated" in shown or "Sponsor not stated" in " ".join(shown.split())
    from PySide6.QtGui import QFontMetrics

    from tracker.ui.timeline_view import row_labels

    [label] = row_labels([index.data(TrialRole.CARD)], QFontMetrics(window.font()), 200)
    assert label.startswith("BCMA CAR-T") and _clean(label)  # the timeline's row label
    window.cards.grab().save(str(tmp_path / "library-card.png"))
    window.detail.grab().save(str(tmp_path / "detail.png"))


def test_inbox_card_shows_the_clean_title(qtbot, hostile_window, tmp_path):
    window = hostile_window
    window.inbox.show_page()
    view = window.inbox.view
    qtbot.waitUntil(lambda: view.model.row_of(INBOX_ID) is not None, timeout=10_000)
    index = view.model.index(view.model.row_of(INBOX_ID))
    card = index.data(TrialRole.CARD)
    assert card.title == CLEAN_TITLE and card.sponsor == "" and _clean(card.subtitle)
    assert _clean(index.data(TrialRole.TITLE_TEXT))
    view.cards.setCurrentIndex(index)
    info = view.info.text()
    assert "<b>Sponsor:</b> not stated ·" in info and _clean(info)
    view.cards.grab().save(str(tmp_path / "inbox-card.png"))
