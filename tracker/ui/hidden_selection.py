"""Why the selected trial left the results, asked of the library and told in the detail pane.

The search, the library tree's choice (watch list, tag, modality, disease, status) and each
filter box are asked of the one trial on the database thread (`browse.hidden_by`), so the
pane names only what hides it: a trial in the watch list shown is "in the watch list … but
hidden by the filter “changed since the last sync”", never "not in this watch list".
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracker.domain.hidden_trial import HiddenBy
from tracker.services import browse
from tracker.ui.window_layout import active_filter_names, filter_box_names, tree_filter_names

if TYPE_CHECKING:
    from tracker.ui.main_window import MainWindow


def explain_hidden(window: MainWindow, trial_id: str, title: str) -> None:
    """Ask what hides `trial_id` and show it in the detail pane once the answer comes, unless
    the trial was selected again or a newer result asked again meanwhile."""
    controller = window.controller
    window.hidden_asks += 1
    ask = window.hidden_asks
    window.detail.show_leaving(trial_id, title)  # nothing of it stays shown meanwhile

    def tell(hiders: tuple[str, ...] | None) -> None:
        if ask == window.hidden_asks and controller.hidden_id == trial_id \
                and controller.selected_id is None:
            window.detail.show_filtered_out(trial_id, title, hidden_words(window, hiders))

    window.runner.database("hidden by", browse.hidden_by, controller.library,
                           controller.query, trial_id, on_result=tell,
                           on_error=lambda _error: tell(None))


def hidden_words(window: MainWindow, hiders: tuple[str, ...] | None) -> HiddenBy:
    """`browse.hidden_by`'s parts as the phrases the window shows them by; None (the library
    could not say): the search and every active filter, as what hides it, without claiming
    the trial is outside the tree's choice (it may be in it)."""
    search = window.controller.query.search
    tree = tuple(tree_filter_names(window))
    if hiders is None:
        return HiddenBy(search=search, filters=tuple(active_filter_names(window)))
    boxes = filter_box_names(window)
    hidden_by_tree = "tree" in hiders
    return HiddenBy(search=search if "search" in hiders else None,
                    not_in=(tree or ("the list shown",)) if hidden_by_tree else (),
                    filters=tuple(boxes[part] for part in hiders if boxes.get(part)),
                    listed_in=() if hidden_by_tree else tree)
