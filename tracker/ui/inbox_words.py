"""What the inbox says in words: the outcome of Accept, and the right-hand pane beside it."""

from __future__ import annotations

from html import escape

from tracker.domain.words import listed, named_trial

_MOST_NAMED = 3


def _names(ids: list[str], titles: dict[str, str]) -> str:
    return listed([named_trial(i, titles.get(i)) for i in ids], _MOST_NAMED)


def accepted_sentence(result, titles: dict[str, str]) -> str:
    """"Added CLL14 (NCT…) to the library and to “AML club”. NCT… was already in the
    library. Both left the inbox." Every accepted study is named in what happened to it."""
    added, already = list(result.added), list(result.already)
    where = f"“{result.watchlist}”" if result.watchlist else ""
    parts = []
    if added:
        parts.append(f"Added {_names(added, titles)} to the library"
                     + (f" and to {where}." if where else "."))
    if already:
        verb = "was" if len(already) == 1 else "were"
        filed = f"; now also in {where}" if where else ""
        parts.append(f"{_names(already, titles)} {verb} already in the library{filed}.")
    if result.not_synced:
        parts.append(f"{_names(list(result.not_synced), titles)} not synced yet "
                     f"({next(iter(result.not_synced.values()))}): the next sync fetches "
                     f"{'it' if len(result.not_synced) == 1 else 'them'}.")
    count = len(added) + len(already)
    gone = "It is" if count == 1 else ("Both are" if count == 2 else f"All {count} are")
    parts.append(f"{gone} out of the inbox.")
    return " ".join(parts)


def detail_pane_html(nct_id: str | None, title: str, count: int) -> str:
    """The right-hand pane while the inbox is shown: it describes the inbox selection (or
    says there is none), never a library trial that is not selected."""
    grey = "style='color:gray'"
    if not count:
        return (f"<p {grey}>Nothing new from your saved searches.</p>"
                f"<p {grey}>Choose All trials (or the Cards tab) to see your library.</p>")
    if not nct_id:
        return (f"<p {grey}>Select a study in the inbox; its interventions and conditions "
                "are shown under the list.</p>")
    name = escape(named_trial(nct_id, title))
    return (f"<p {grey}>{name} is an inbox study, not in the library yet; its details are "
            "under the inbox list.</p><p style='color:gray'>Accept adds it to the library, "
            "where its full record is shown here.</p>")
