"""F1's shortcut list has the inbox's own keys, named by the actions themselves (review s10
§3.6)."""

from __future__ import annotations


def test_f1_lists_the_inbox_keys(qtbot, window):
    box = window._on_shortcuts()
    text = " ".join(box.text().split())
    box.close()
    assert ("<td>Inbox</td><td>Accept the selected studies</td><td><b>Ctrl+Return</b></td>"
            in text)
    assert "<td>Inbox</td><td>Dismiss the selected studies</td><td><b>Del</b></td>" in text
