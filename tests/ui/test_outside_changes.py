"""The window notices what another program (the `tracker` CLI) changed in the same library:
on activation (and on a slow timer) it reloads cards, tree counts, inbox and the selected
trial's details, keeping the selection, the scroll position and the note being typed."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication

from tests.ui.conftest import select_trial

VIALE_A = "NCT02993523"


def _activate(window) -> None:
    QApplication.sendEvent(window, QEvent(QEvent.Type.WindowActivate))


def _cli(context, *args: str) -> None:
    done = subprocess.run([sys.executable, "-m", "tracker", "--data-dir", str(context.data_dir),
                           *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr


def test_a_cli_tag_and_note_reach_the_tree_the_card_and_the_details(qtbot, window, context):
    select_trial(qtbot, window, VIALE_A)
    facets = []
    window.controller.facets_loaded.connect(facets.append)
    window.cards.scrollToBottom()
    scrolled = window.cards.verticalScrollBar().value()
    window.detail.notes.editor.setPlainText("typing, not saved yet")

    _cli(context, "tag", VIALE_A, "AML", "journal club")
    _cli(context, "note", "NCT02348216", "from the CLI")
    _activate(window)

    qtbot.waitUntil(lambda: bool(facets) and "journal club" in facets[-1].tags, timeout=10_000)
    qtbot.waitUntil(lambda: "journal club" in window.detail.tags_edit.text(), timeout=10_000)
    qtbot.waitUntil(lambda: window.model.card("NCT02348216").has_notes, timeout=10_000)
    assert window.controller.selected_id == VIALE_A
    assert window.detail.notes.editor.toPlainText() == "typing, not saved yet"
    assert window.cards.verticalScrollBar().value() == scrolled


def test_a_trial_found_again_by_another_program_leaves_not_in_registry(qtbot, window, context):
    trial = "NCT03361748"  # KarMMa
    path = context.library.database.path
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("UPDATE trials SET registry_state = 'not_found' WHERE id = ?", (trial,))
    _activate(window)
    qtbot.waitUntil(lambda: window.model.card(trial).registry_state == "not_found",
                    timeout=10_000)

    other.execute("UPDATE trials SET registry_state = 'found', status = 'COMPLETED' "
                  "WHERE id = ?", (trial,))
    other.close()
    window.outside_changes.timer.timeout.emit()  # the slow timer, not only activation
    qtbot.waitUntil(lambda: window.model.card(trial).registry_state == "found", timeout=10_000)
    assert window.model.card(trial).status == "COMPLETED"


def test_nothing_is_read_again_when_nothing_changed(qtbot, window):
    facets = []
    window.controller.facets_loaded.connect(facets.append)
    checks = window.outside_changes
    _activate(window)
    assert checks._asking  # the question went to the database thread
    qtbot.waitUntil(lambda: not checks._asking, timeout=5_000)
    qtbot.wait(200)
    assert not window.controller.loading
    assert facets == []


def test_a_tag_list_being_typed_is_not_overwritten(qtbot, window, context):
    select_trial(qtbot, window, VIALE_A)
    window.activateWindow()
    tags = window.detail.tags_edit
    tags.setFocus()
    qtbot.waitUntil(tags.hasFocus, timeout=5_000)
    qtbot.keyClicks(tags, "half typed")
    facets = []
    window.controller.facets_loaded.connect(facets.append)

    _cli(context, "tag", VIALE_A, "from the CLI")
    _activate(window)
    qtbot.waitUntil(lambda: bool(facets) and "from the CLI" in facets[-1].tags, timeout=10_000)
    qtbot.wait(200)
    assert tags.text() == "half typed"

    tags.setModified(False)  # done typing (Enter saved it, or it was cleared)
    window.outside_changes.check()
    qtbot.waitUntil(lambda: "from the CLI" in tags.text(), timeout=10_000)
