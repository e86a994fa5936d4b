"""The one-time notice, above the panes, naming the saved searches the upgrade to 'a search
without statuses follows open studies only' narrowed, and how to widen them again (the CLI
says the same once: tracker.cli.search_scope). Shown once per library: the fact is kept in
the library's meta as soon as it is shown."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from tracker.ui.notices import _NoticeBar

SEARCHES_LINK = "saved-searches"


def scope_notice_html(names: list[str]) -> str:
    """One line: which searches, what changed for them, where to widen them."""
    from tracker.domain.searches import OPEN_SCOPE_TEXT
    from tracker.domain.words import plural

    one = len(names) == 1
    quoted = ", ".join(f"“{escape(name)}”" for name in names)
    return (f"<b>{plural(len(names), 'saved search')} now {'follows' if one else 'follow'} "
            f"open studies only</b> {OPEN_SCOPE_TEXT.removeprefix('open studies only ')}: "
            f"saved before this version without statuses, {'it' if one else 'they'} followed "
            f"every status until now: {quoted}. To follow every status again, open "
            f"<a href='{SEARCHES_LINK}'>Saved searches…</a>, choose Edit and press All statuses "
            "(in a terminal: tracker searches edit NAME --all-statuses).")


class ScopeNotice(_NoticeBar):
    """Above the panes until dismissed; its link opens the Saved searches dialog."""

    searches_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("scopeNotice", "Dismiss", "Dismiss the saved-search notice", parent)
        self.setAccessibleName("Saved-search notice")
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.label.linkActivated.connect(lambda _link: self.searches_requested.emit())
        self.button.clicked.connect(self.hide)

    @classmethod
    def install(cls, window, service, on_error, open_searches) -> ScopeNotice:
        """Put the notice under the start-up notice and ask, on the database thread, whether
        it is due (`service()`: a DiscoveryService); once it is shown, the library remembers
        that it was."""
        notice = cls()
        layout = window.centralWidget().layout()
        layout.insertWidget(layout.indexOf(window.startup_notice) + 1, notice)
        notice.searches_requested.connect(open_searches)

        def shown(names: list[str]) -> None:
            if names:
                notice.label.setText(scope_notice_html(names))
                notice.show()
                window.runner.database("remember the saved-search notice",
                                       lambda: service().open_scope_notice_shown(),
                                       on_error=on_error)

        window.runner.database("saved-search notice",
                               lambda: service().narrowed_by_open_scope(),
                               on_result=shown, on_error=on_error)
        return notice
