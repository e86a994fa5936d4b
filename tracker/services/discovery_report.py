"""What a check of saved searches and an accept say: per search, per round, per study."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from tracker.domain.inbox_updates import InboxUpdate, updates_line, updates_summary
from tracker.domain.searches import OPEN_SCOPE_TEXT
from tracker.domain.words import listed, plural
from tracker.services.sync_report import library_left_text
from tracker.store.discovery import CheckTally


@dataclass
class SearchCheck:
    """How one search's check went."""

    name: str
    first: bool
    requests: int = 0
    found: int = 0
    total: int | None = None
    tally: CheckTally | None = None  # None: nothing was stored
    capped: str = ""  # why not every matching study was taken
    error: str = ""
    skipped_records: int = 0  # malformed studies the registry sent
    skipped_ids: list[str] = field(default_factory=list)  # theirs, where a record named one
    fatal: bool = False  # the registry itself failed (not this search's parameters)
    open_scope: bool = False  # the search names no statuses: open studies only
    since: dt.date | None = None  # the last-update window it asked for (None: first check)
    #: inbox studies it found again whose records changed
    updates: list[InboxUpdate] = field(default_factory=list)


@dataclass
class CheckReport:
    searches: list[SearchCheck] = field(default_factory=list)
    cancelled: bool = False
    inbox_count: int = 0
    stopped: int = 0  # searches left unchecked because the registry could not be used
    #: inbox studies no search found this round, asked for by id, whose records changed
    updates: list[InboxUpdate] = field(default_factory=list)
    refresh_error: str = ""
    #: the library file was moved, deleted or replaced during the check (SQLite went on
    #: writing to the old file): one sentence saying so and what to do; "" when it was not
    library_left: str = ""

    @property
    def refreshed(self) -> int:
        """How many inbox records asked for by id changed."""
        return len(self.updates)

    @property
    def found_again_updates(self) -> list[InboxUpdate]:
        """The inbox studies the searches found again whose records changed, each once (a
        second search of the round found the record the first had stored)."""
        found = {u.nct_id: u for s in reversed(self.searches) for u in s.updates}
        return list(found.values())

    @property
    def new(self) -> int:
        return sum(s.tally.new for s in self.searches if s.tally)

    @property
    def ok(self) -> bool:
        return not self.cancelled and not self.library_left and not any(
            s.error for s in self.searches)

    def note_library_left(self, path: Path, gone: bool) -> None:
        self.library_left = library_left_text(path, gone, "checking saved searches",
                                              "this check's findings", "check again")

    def library_left_sentence(self) -> str:
        return self.library_left[:1].upper() + self.library_left[1:] + "."

    def headline(self, with_reason: bool = True, where_details: str = "") -> str:
        """One line for the status bar (with the first failure's reason, shortened): how
        many inbox studies changed, a new stop first (`updates_summary`), followed by
        `where_details` (the window: " (hover for details)"); a check whose library file
        left its path says that, and only that."""
        if self.library_left:
            return self.library_left_sentence()
        done = sum(1 for s in self.searches if s.tally)
        changed = updates_summary([*self.found_again_updates, *self.updates])
        text = (f"Checked {done} saved search{'es' if done != 1 else ''}: {self.new} new "
                f"in the inbox; " + (f"{changed}{where_details}; " if changed else "")
                + f"Inbox ({self.inbox_count})")
        failed = [s for s in self.searches if s.error]
        if failed:
            them = "it" if len(failed) == 1 else "them"
            text += f"; {len(failed)} failed, nothing changed for {them}"
            if with_reason:
                reason = f"{failed[0].name}: {failed[0].error}"
                text += f" ({reason if len(reason) <= 200 else reason[:199] + '…'})"
        if self.stopped:
            text += f"; {self.stopped} not checked (registry unavailable)"
        if self.cancelled:
            text += "; cancelled (unchecked searches keep their last-check date)"
        return text

    def lines(self) -> list[str]:
        out = []
        for s in self.searches:
            if s.error:
                out.append(f"{s.name}: failed, nothing changed: {s.error}")
            elif s.tally is None:
                out.append(f"{s.name}: not checked (cancelled)")
            else:
                t = s.tally
                kind = "first check" if s.first else "posted or updated since the last check"
                out.append(f"{s.name}: {s.found} found ({kind}, {s.requests} request"
                           f"{'s' if s.requests != 1 else ''}): {t.new} new, {t.again} already "
                           f"in the inbox, {t.in_library} in the library, {t.dismissed} dismissed")

            if s.capped:
                out.append(f"  {s.capped}")
            if s.skipped_records:
                named = f" ({listed(s.skipped_ids, 5)})" if s.skipped_ids else ""
                out.append(f"  {plural(s.skipped_records, 'malformed registry record')}"
                           f"{named} skipped; the last-check date was kept so the next check "
                           "asks for them again")
        if self.found_again_updates:
            out.append(updates_line(self.found_again_updates, found_again=True))
        if self.updates:
            out.append(updates_line(self.updates))
        if self.refresh_error:
            out.append(f"other inbox records not refreshed: {self.refresh_error}")
        if any(s.first and s.open_scope and s.tally for s in self.searches):  # said once
            out.append(f"A first check takes {OPEN_SCOPE_TEXT} unless the search names "
                       "statuses.")
        if self.library_left:  # said once, where errors go (`library_left_sentence`)
            return out
        return out + [self.headline(with_reason=False)]


@dataclass(frozen=True)
class AcceptResult:
    added: list[str]
    already: list[str]
    watchlist: str | None = None
    #: added from the inbox record, not from the registry: {id: why}; the next sync fetches them
    not_synced: dict[str, str] = field(default_factory=dict)

    def not_synced_text(self) -> str:
        """"NCT… not synced yet (why); the next sync fetches it", or ""."""
        if not self.not_synced:
            return ""
        ids = ", ".join(self.not_synced)
        reason = next(iter(self.not_synced.values()))
        it = "it" if len(self.not_synced) == 1 else "them"
        return (f"{ids} added from the inbox record, not synced yet ({reason}); "
                f"the next sync fetches {it}")
