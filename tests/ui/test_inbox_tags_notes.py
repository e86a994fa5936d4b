"""An inbox study is not in the library: the pane's Tags field is disabled and says how to tag
it, and the Notes tab says how to write notes on it (review s10 §3.3)."""

from __future__ import annotations

from tests.ui.conftest import select_trial
from tests.ui.test_inbox_window import check, inbox_window, registry  # noqa: F401 - fixtures


def test_an_inbox_study_says_how_to_tag_it_and_write_notes(qtbot, request):
    window = request.getfixturevalue("inbox_window")
    check(qtbot, window)
    window.inbox.show_page()
    view = window.inbox.view
    view.cards.setCurrentIndex(view.model.index(view.model.row_of("NCT06200001")))
    qtbot.waitUntil(lambda: "NCT06200001" in window.detail.browser.toPlainText(),
                    timeout=5_000)
    tags = window.detail.tags_edit
    assert not tags.isEnabled()
    assert tags.placeholderText() == "Accept the study into the library to tag it"
    assert tags.toolTip() == "Accept the study into the library to tag it"
    assert (window.detail.notes.editor.placeholderText()
            == "Accept this study into the library to write notes on it.")
    window.tabs.setCurrentIndex(0)  # back to the library: a trial's tags are editable again
    select_trial(qtbot, window, "NCT02993523")
    assert tags.isEnabled() and tags.toolTip() == ""
    assert tags.placeholderText() == "tags, separated by commas (press Enter)"
