"""What the window does when the library tree, the filter boxes or a filter's result change
(mixed into MainWindow)."""

from __future__ import annotations


class WindowFilters:
    """Slots of the tree and the filter boxes; `self` is the MainWindow."""

    def _on_tree_filter_chosen(self, criteria: dict) -> None:
        """The "changed since the meeting" choice follows the list shown."""
        from tracker.domain import users_today

        shown = next((w for w in self._watchlists if w.id == criteria.get("watchlist_id")), None)
        behind = shown.meeting_behind(users_today()) if shown else None
        self.changed_box.set_meeting(shown.name if shown else None, behind,
                                     previous=bool(shown and behind != shown.meeting_date),
                                     upcoming=shown.meeting_date if shown else None)

    def _on_tree_menu(self, criteria: dict, position) -> None:
        if "tag" in criteria or criteria.get("section") == "Tags":
            self.tag_actions.tree_menu(criteria, position)
        else:
            self.list_actions.tree_menu(criteria, position)

    def _on_options_changed(self, *_args) -> None:
        from tracker.store.query import SortKey

        self.controller.set_options(phase=self.phase_box.currentData(),
                                    changed_since=self.changed_box.value(),
                                    near=self.near_box.near(
                                        self.context.preferences.home_location),
                                    sort=SortKey(self.sort_box.currentData()))

    def _on_filter_applied(self, shown: int, total: int) -> None:
        from tracker.ui.narrowing_words import count_text
        from tracker.ui.window_layout import narrowing

        narrowed = narrowing(self)  # the tree entries, search and boxes: say what is combined
        self.count_label.setText(count_text(shown, total, narrowed))
        self.count_label.setToolTip(count_text(shown, total, narrowed, short=False))
        self.remove_from_list_action.setEnabled(  # only a shown watch list has trials to remove
            not self.context.library.read_only
            and bool(self.tree.current_criteria.get("watchlist_name")))
        if shown == 0:
            from tracker.ui.window_layout import empty_watchlist_name

            self.empty_state.describe(narrowed, empty_watchlist_name(self))
        self.card_stack.setCurrentWidget(self.empty_state if shown == 0 else self.cards)
        self._timeline_stale = True
        self._refresh_timeline()

    def clear_search_and_filters(self) -> None:
        """Back to every trial: empty search, All trials, any phase, not only changed."""
        self._search_timer.stop()
        widgets = (self.search_box, self.phase_box, self.changed_box, self.near_box)
        for widget in widgets:
            widget.blockSignals(True)
        self.search_box.clear()
        self.phase_box.setCurrentIndex(0)
        self.changed_box.choose(None)
        self.near_box.setCurrentIndex(0)
        for widget in widgets:
            widget.blockSignals(False)
            widget.updateGeometry()  # a fitted box takes its chosen text's width again
        self.tree.choose({}, emit=False)
        from tracker.store.query import TrialQuery

        self.controller.query = TrialQuery(sort=self.controller.query.sort)
        self.controller.apply_query()
        self.cards.setFocus()
