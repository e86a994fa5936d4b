"""The window says what an UNKNOWN status was last known to be, and when it was verified."""

from __future__ import annotations

from PySide6.QtCore import Qt

from tests.fakes.clients import fast_client
from tests.fakes.studies import real_studies
from tests.ui.conftest import select_trial
from tracker.context import build_context
from tracker.services.registry import RegistryService
from tracker.ui.card_delegate import marker_line

UNKNOWN_ID = "NCT04175379"
STALE_ID = "NCT05531279"
TERMINATED_ID = "NCT01126879"  # whyStopped: "Closed due to low accrual"


def test_detail_header_card_tooltip_and_line_give_the_status_context(qtbot, tmp_path,
                                                                      ctgov_server):
    from tracker.ui.main_window import MainWindow

    ctgov_server.put_studies(real_studies())
    context = build_context(tmp_path / "library", api_url=ctgov_server.base_url)
    client = fast_client(ctgov_server)
    RegistryService(context.library, client).add([UNKNOWN_ID, STALE_ID, TERMINATED_ID])
    client.close()
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    try:
        qtbot.waitUntil(lambda: window.model.row_of(UNKNOWN_ID) is not None, timeout=10_000)
        select_trial(qtbot, window, UNKNOWN_ID)
        qtbot.waitUntil(lambda: "last known" in window.detail.browser.toPlainText(),
                        timeout=5_000)
        text = window.detail.browser.toPlainText()
        assert "Unknown (last known: Enrolling by invitation; last verified 2019-12)" in \
            " ".join(text.split())
        index = window.model.index(window.model.row_of(UNKNOWN_ID))
        assert index.data(Qt.ItemDataRole.ToolTipRole).endswith(
            "Status: Unknown (last known: Enrolling by invitation; last verified 2019-12)")
        assert marker_line(window.model.card(UNKNOWN_ID)).startswith(
            "last known: Enrolling by invitation")
        stale = window.model.index(window.model.row_of(STALE_ID))
        assert stale.data(Qt.ItemDataRole.ToolTipRole).endswith(
            "Status: Recruiting (last verified 2022-09)")
        assert "why stopped" not in marker_line(window.model.card(STALE_ID))
        stopped = window.model.index(window.model.row_of(TERMINATED_ID))
        assert stopped.data(Qt.ItemDataRole.ToolTipRole).endswith(
            "Why stopped: Closed due to low accrual")
        assert marker_line(window.model.card(TERMINATED_ID)).startswith(
            "why stopped: Closed due to low accrual")
    finally:
        qtbot.waitUntil(lambda: not window.runner.running, timeout=10_000)
        window.close()
        context.close()
