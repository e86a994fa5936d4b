"""Remove a curated trial in the window and add it again: the question says what is lost and
what comes back, and Add trial brings back its review figures (loopback registry)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.fakes.studies import make_study
from tests.ui.conftest import select_trial
from tests.ui.helpers import answer_next_question
from tests.ui.test_sync_window import open_window

JULIET = "NCT02445248"


@pytest.fixture
def readd_window(qtbot, tmp_path, ctgov_server):
    ctgov_server.put_study(make_study(JULIET, status="COMPLETED", acronym="JULIET",
                                      interventions=("Tisagenlecleucel",)))
    window = open_window(qtbot, tmp_path / "library", ctgov_server)
    library = window.context.library
    library.notes.add(JULIET, "discuss at the tumour board")
    library.watchlists.create("Lymphoma")
    library.watchlists.add("Lymphoma", [JULIET])
    yield window
    window.close()
    window.context.close()


def _ask_remove(qtbot, window, answer: QMessageBox.StandardButton) -> str:
    seen: list[str] = []
    answer_next_question(answer, seen)
    window.remove_trial_action.trigger()  # Ctrl+Delete
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    return seen[0]


def test_readd_window_question_says_what_is_lost_and_add_trial_restores_the_figures(
        qtbot, readd_window):
    window = readd_window
    select_trial(qtbot, window, JULIET)
    asked = _ask_remove(qtbot, window, QMessageBox.StandardButton.No)
    assert asked == (
        f"Remove {JULIET} (JULIET) from the library? Its review figures come back if you add "
        "it again, with its registry data. Its 1 note goes to the recovery file "
        "(recovered-notes.txt in the data folder); its tags and history are deleted; it "
        "leaves its watch list 'Lymphoma'. An add brings none of these back.")
    assert window.context.library.trials.exists(JULIET)
    _ask_remove(qtbot, window, QMessageBox.StandardButton.Yes)
    qtbot.waitUntil(lambda: window.model.row_of(JULIET) is None, timeout=10_000)
    qtbot.waitUntil(lambda: "was removed" in window.detail.browser.toPlainText(), timeout=5_000)
    assert ("Adding it again brings back its registry data and, for a trial of the curated "
            "library, its review figures; not its notes, tags or watch lists."
            in " ".join(window.detail.browser.toPlainText().split()))

    with qtbot.waitSignal(window.controller.job_finished, timeout=20_000) as blocker:
        window.controller.add_trials([JULIET])  # what Add trial's OK does
    assert blocker.args[0].restored == [JULIET]
    qtbot.waitUntil(lambda: window.model.row_of(JULIET) is not None, timeout=10_000)
    select_trial(qtbot, window, JULIET)
    qtbot.waitUntil(lambda: "CR 40%" in window.detail.browser.toPlainText(), timeout=10_000)
    assert "OS 49%" in window.detail.browser.toPlainText()
