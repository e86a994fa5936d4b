"""Fixtures for window tests: a real window on a temporary, seeded library."""

from __future__ import annotations

import pytest

from tracker.context import build_context


@pytest.fixture(autouse=True)
def _outside_checks_on_demand(monkeypatch):
    """Tests set their scene by writing to the library from their own connection, which the
    window would take for another program's change on its 5-second check and reload under
    the test's feet: the slow timer waits 10 minutes here. Activation still checks, and
    tests/ui/test_outside_changes.py fires the timer itself."""
    monkeypatch.setattr("tracker.ui.outside_changes.CHECK_EVERY_MS", 600_000)


@pytest.fixture
def context(tmp_path):
    context = build_context(tmp_path / "library", api_url="http://127.0.0.1:9/api/v2")
    yield context
    context.close()


@pytest.fixture
def window(qtbot, context):
    from tracker.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.controller.shown_request > 0, timeout=10_000)
    yield window
    window.close()


def select_trial(qtbot, window, trial_id: str) -> None:
    row = window.model.row_of(trial_id)
    assert row is not None, f"{trial_id} is not shown"
    window.cards.setCurrentIndex(window.model.index(row))
    qtbot.waitUntil(lambda: window.detail.trial_id == trial_id, timeout=5_000)


def wait_hidden_reason(qtbot, window) -> None:
    """Until the pane says what hides the selected trial: it is cleared at once and the
    reason follows from the database thread (tracker.ui.hidden_selection)."""
    qtbot.waitUntil(lambda: window.detail.trial_id is None and "Select a trial from the "
                    "results" in window.detail.browser.toPlainText(), timeout=5_000)


def new_watchlist_item(qtbot, window, name: str):
    """Create watch list `name` through the controller and return its item in the tree."""
    from tracker.services import watchlists as lists

    window.controller.change_lists(lists.create_list, name)
    qtbot.waitUntil(lambda: any(w.name == name for w in window.watchlists()), timeout=5_000)
    found = next(w for w in window.watchlists() if w.name == name)
    criteria = {"watchlist_id": found.id, "watchlist_name": name}
    qtbot.waitUntil(lambda: window.tree.item_for(criteria) is not None, timeout=5_000)
    return window.tree.item_for(criteria)
