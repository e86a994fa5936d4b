"""Moves data between the services and the widgets; every service call runs as a task.

Filter and search results are tagged with a request number so an answer to an older
keystroke is dropped; the detail pane is driven by trial id, never by a stored index.
"""

from __future__ import annotations

import dataclasses
import gc
import logging
import time
import traceback
from functools import partial

from PySide6.QtCore import QObject, Signal

from tracker.context import AppContext
from tracker.domain import Note
from tracker.domain.words import plural, word_for
from tracker.services import browse
from tracker.services.details import TrialDetails, load_details
from tracker.store import SortKey, TrialQuery
from tracker.ui.registry_jobs import RegistryJobs
from tracker.ui.tasks import TaskHandle, TaskRunner
from tracker.ui.trial_model import TrialListModel

log = logging.getLogger(__name__)
_EXPORT_FAILED = "Export failed"
_EXPORT_UNCHANGED = ("No file was written (an existing file of that name is unchanged); "
                     "your library is unchanged.")


class LibraryController(QObject, RegistryJobs):
    facets_loaded = Signal(object)  # Facets
    filter_applied = Signal(int, int)  # shown, total
    details_loaded = Signal(object)  # TrialDetails
    add_interrupted = Signal(list)  # ids an Add did not get to: offered again in the dialog
    note_saved = Signal(str, str, object)  # trial id, draft, Note | None
    note_save_failed = Signal(str, object, str, str, str, bool)  # id, note id, draft, text,
    #                                                              message, worth retrying
    job_started = Signal(str, object)  # label, TaskHandle
    job_progressed = Signal(int, int)
    job_finished = Signal(object)  # SyncReport
    job_ended = Signal()  # finished, failed or cancelled
    trials_rekeyed = Signal(dict)  # old id -> new id
    # the selected trial left the library (removed here or by another program): its id, its
    # title, and where its notes were written ("" when not known or none)
    selected_removed = Signal(str, str, str)
    trials_removed = Signal(list)  # ids removed from the library by this window
    # another program (the `tracker` CLI, a second window) committed to the library: cards,
    # counts and the selected trial are being read again; the inbox reads itself again
    changed_elsewhere = Signal()
    error_raised = Signal(str)
    # a change the user asked for (tags, a watch list) was saved: when it was asked
    # (time.monotonic()); a warning shown before then is stale
    change_saved = Signal(float)
    # an action the user asked for failed: title, message, what was (not) changed, details
    action_failed = Signal(str, str, str, str)

    def __init__(self, context: AppContext, runner: TaskRunner, model: TrialListModel,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.runner = runner
        self.model = model
        self.query = TrialQuery()
        self._request = 0
        self.shown_request = 0
        self.selected_id: str | None = None
        #: selected, then hidden by the search or a filter: selected again when shown again
        self.hidden_id: str | None = None
        self._drafts = browse.NoteDrafts(context.library)
        self.index = None  # title order of the loaded cards, for fast searches
        self.job: TaskHandle | None = None
        self._job_asked = False  # the running job was started by the user (not on start)
        self.last_report = None
        self.loading = False  # a reload of every card is on its way

    @property
    def library(self):
        return self.context.library

    @property
    def seen_version(self) -> int | None:
        """`PRAGMA data_version` of the database thread's connection when the cards shown
        were read (None until then): another connection's commit changes it."""
        return self.index.data_version if self.index is not None else None

    # -- loading and filtering ---------------------------------------------------------------
    def reload(self) -> None:
        if self.index is None and not self.model.rowCount() and self.query == TrialQuery():
            # first load: a screenful first, so a large library shows cards at once
            self.runner.database("first cards", browse.load_first_cards, self.library,
                                 on_result=self._on_first_cards, on_error=self._report_error)
        self.loading = True
        self.runner.database("load library", browse.load_snapshot, self.library,
                             on_result=self._on_snapshot_loaded, on_error=self._on_load_failed)

    def _on_load_failed(self, error: Exception) -> None:
        self.loading = False
        self._report_error(error)

    def reload_changed_elsewhere(self, *, details: bool = True) -> None:
        """Another program changed the library: read the cards, the tree's counts and (unless
        `details` is False: a tag being typed there) the selected trial's details again, as
        after a sync. The selection, the scroll position and the note being typed stay."""
        self.reload()
        if details:
            self.reload_details()
        self.changed_elsewhere.emit()

    def reload_details(self) -> None:
        if self.selected_id:
            self._load_details(self.selected_id)

    def _on_first_cards(self, cards: list) -> None:
        if self.index is None and self.query == TrialQuery():  # the whole library not here yet
            self.model.set_cards({card.id: card for card in cards})

    def _on_snapshot_loaded(self, snapshot: browse.Snapshot) -> None:
        self.loading = False
        self.index = snapshot.index
        for chosen in (self.selected_id, self.hidden_id):
            if chosen and chosen not in snapshot.cards:  # removed by another program
                self._forget_removed(chosen, "")
        self.model.set_cards(snapshot.cards, order=self.model.visible_ids())
        self.model.set_distinctions(snapshot.distinctions)
        # The cards live as long as the window: keep the cyclic garbage collector from
        # walking them on every full collection, which otherwise stalls every thread for
        # tens of milliseconds at 100,000 cards (seen as GUI hiccups during a sync).
        gc.freeze()
        self.facets_loaded.emit(snapshot.facets)
        self.apply_query()

    def refresh_facets(self) -> None:
        self.runner.database("count", browse.load_facets, self.library,
                             on_result=self.facets_loaded.emit, on_error=self._report_error)

    def set_filter(self, criteria: dict) -> None:
        fields = {k: v for k, v in criteria.items() if k in TrialQuery.__dataclass_fields__}
        self.query = TrialQuery(search=self.query.search, sort=self.query.sort,
                                changed_since=self.query.changed_since,
                                near=self.query.near,
                                phase=self.query.phase, **fields)
        self.apply_query()

    def set_search(self, text: str) -> None:
        self.query = dataclasses.replace(self.query, search=text.strip() or None)
        self.apply_query()

    def set_options(self, *, phase: str | None = None, changed_since: str | None = None,
                    near: tuple[float, float, float] | None = None,
                    sort: SortKey = SortKey.TITLE) -> None:
        self.query = dataclasses.replace(self.query, phase=phase, changed_since=changed_since,
                                         near=near, sort=sort)
        self.apply_query()

    def apply_query(self) -> None:
        self._request += 1
        request = self._request
        self.runner.database(
            "filter", browse.match, self.library, self.query, self.index,
            on_result=lambda matches: self._on_ids_matched(request, matches.ids,
                                                           matches.from_loaded_cards),
            on_error=self._report_error)

    def _on_ids_matched(self, request: int, ids: list[str], loaded: bool = False) -> None:
        """`loaded`: every id is a loaded card (from the card index: no check needed)."""
        if request != self._request:
            return  # an older keystroke's answer: a newer one is on its way
        self.model.show_only(ids, all_loaded=loaded)
        self.shown_request = request
        self.filter_applied.emit(len(ids), len(self.model.all_cards()))

    # -- the selected trial ------------------------------------------------------------------
    def select(self, trial_id: str | None) -> None:
        self.selected_id = trial_id
        self.hidden_id = None
        if trial_id:
            self._load_details(trial_id)

    def _load_details(self, trial_id: str) -> None:
        self.runner.database("details", load_details, self.library, trial_id,
                             on_result=self._on_details_loaded,
                             on_error=lambda error: self._on_details_failed(trial_id, error))

    def _on_details_failed(self, trial_id: str, error: Exception) -> None:
        from tracker.domain import TrialNotFoundError

        if isinstance(error, TrialNotFoundError) and trial_id == self.selected_id:
            self._forget_removed(trial_id, "")  # removed by another program meanwhile
        else:
            self._report_error(error)

    def _forget_removed(self, trial_id: str, kept_in: str) -> None:
        """The selected (or hidden selected) trial is gone: nothing is selected any more."""
        card = self.model.card(trial_id)
        title = self.model.title_text(card) if card is not None else ""
        self.selected_id = None if self.selected_id == trial_id else self.selected_id
        self.hidden_id = None if self.hidden_id == trial_id else self.hidden_id
        self.selected_removed.emit(trial_id, title, kept_in)

    def _on_details_loaded(self, details: TrialDetails) -> None:
        if details.trial.id == self.selected_id:
            self.details_loaded.emit(details)

    def save_note(self, trial_id: str, note_id: int | None, draft: str, text: str) -> None:
        self.runner.database(
            "save note", self._drafts.save, trial_id, note_id, draft, text,
            on_result=lambda note: self._on_note_saved(trial_id, draft, note),
            on_error=lambda error: self._on_note_failed(trial_id, note_id, draft, text, error))

    def _on_note_failed(self, trial_id: str, note_id: int | None, draft: str, text: str,
                        error: Exception) -> None:
        """Shown in the status bar; the editor keeps the text and tries again. A trial another
        program removed meanwhile is looked up again, so the pane says it was removed."""
        self._report_error(error)
        self.note_save_failed.emit(trial_id, note_id, draft, text, describe_error(error),
                                   getattr(error, "retry", True))
        if getattr(error, "trial_removed", False) and trial_id == self.selected_id:
            self._load_details(trial_id)

    def _on_note_saved(self, trial_id: str, draft: str, note: Note | None) -> None:
        self.note_saved.emit(trial_id, draft, note)
        self.refresh_cards([trial_id])

    def set_tags(self, trial_id: str, tags: list[str]) -> None:
        asked = time.monotonic()
        self.runner.database("tags", browse.set_tags, self.library, trial_id, tags,
                             on_result=lambda _tags: self._on_tags_set(trial_id, asked),
                             on_error=self._report_error)

    def _on_tags_set(self, trial_id: str, asked: float) -> None:
        self._load_details(trial_id)
        self.refresh_facets()  # the Tags branch counts
        self.change_saved.emit(asked)

    def refresh_cards(self, trial_ids: list[str]) -> None:
        self.runner.database("cards", browse.refresh_cards, self.library, trial_ids,
                             on_result=self.model.update_cards, on_error=self._report_error)

    # -- watch lists, export, import ---------------------------------------------------------
    def change_lists(self, fn, *args, on_done=None, on_error=None) -> None:
        """Run a watch-list change on the database thread, then refresh counts and the view
        (a failure goes to `on_error`, else to the status bar)."""
        asked = time.monotonic()

        def done(result) -> None:
            self.refresh_facets()
            self.apply_query()
            self.change_saved.emit(asked)
            if on_done:
                on_done(result)

        self.runner.database("watch list", fn, self.library, *args, on_result=done,
                             on_error=on_error or self._report_error)

    def export(self, name: str, fmt: str, path, *, since=None, include_notes=False,
               on_done=None) -> None:
        from tracker.services import exports

        options = {"since": since, "include_notes": include_notes}
        if fmt != "pdf":
            export = partial(exports.export_watchlist, self.library, name, fmt, path,
                             exported_by=self.context.preferences.author_name or None, **options)
            self.runner.database("export", export, on_result=on_done or (lambda _path: None),
                                 on_error=self.failed(_EXPORT_FAILED, _EXPORT_UNCHANGED))
            return
        # Qt paints PDF pages on the GUI thread: read the data off-thread, paint here, then
        # write the file and record the export off-thread, as every other format is
        self.runner.database(
            "export", partial(exports.prepare_pdf, self.library, name, destination=path,
                              **options),
            on_result=lambda pending: self._paint_pdf(pending, path, on_done),
            on_error=self.failed(_EXPORT_FAILED, _EXPORT_UNCHANGED))

    def _paint_pdf(self, pending, path, on_done) -> None:
        from tracker.services.exports import save_export
        from tracker.ui.pdf import render_pdf

        on_error = self.failed(_EXPORT_FAILED, _EXPORT_UNCHANGED)
        try:  # a slot: an exception here would reach only stderr, and the user nothing
            pages = render_pdf(pending.document)
        except Exception as error:  # noqa: BLE001 - said to the user, nothing written
            on_error(error)
            return
        self.runner.database("export", save_export, self.library, pending.made, path, pages,
                             on_result=on_done or (lambda _path: None), on_error=on_error)

    def import_file(self, path, on_done=None) -> None:
        from tracker.services.importer import import_file

        def done(report) -> None:
            self.reload()
            if on_done:
                on_done(report)

        failed = self.failed("Import failed", "Nothing was imported: your library, its "
                             "watch lists, notes and tags are exactly as they were.")
        self.runner.database("import", import_file, self.library, path, on_result=done,
                             on_error=lambda error: failed(_said_in_the_window(error)))

    def plan_removal(self, trial_ids: list[str], on_plan) -> None:
        """What removing the trials would delete and what an add brings back (a RemovalPlan
        for the question asked before removing)."""
        from tracker.services.removal_plan import plan_removal

        self.runner.database("plan removal", plan_removal, self.library, trial_ids,
                             on_result=on_plan,
                             on_error=self.failed("Remove failed", "No trial was removed."))

    def remove_trials(self, trial_ids: list[str]) -> None:
        """Remove trials (all or none); their notes go to the recovery file first."""
        from tracker.services.removal import remove_trials

        def done(removed: list) -> None:
            self.trials_removed.emit([r.trial_id for r in removed])
            for gone in removed:
                if gone.trial_id in (self.selected_id, self.hidden_id):
                    self._forget_removed(gone.trial_id, str(gone.recovery_path or ""))
            self.reload()
            kept = {str(r.recovery_path) for r in removed if r.recovery_path}
            whose = word_for(len(removed), "its")
            where = f"; {whose} notes are kept in {', '.join(sorted(kept))}" if kept else ""
            count = plural(len(removed), "trial")
            self.error_raised.emit(f"Removed {count} from the library{where}")

        self.runner.database("remove", remove_trials, self.library, trial_ids, on_result=done,
                             on_error=self.failed("Remove failed", "No trial was removed."))

    def change_tags(self, fn, *args, title: str, on_done=None) -> None:
        """Rename or delete a tag everywhere on the database thread, then refresh."""
        asked = time.monotonic()

        def done(result) -> None:
            self.refresh_facets()
            self.apply_query()
            if self.selected_id:
                self._load_details(self.selected_id)
            self.change_saved.emit(asked)
            if on_done:
                on_done(result)

        self.runner.database("tags", fn, self.library, *args, on_result=done,
                             on_error=self.failed(title, "No tag was changed."))

    def _report_error(self, error: Exception) -> None:
        log.debug("task failed: %s", error, exc_info=error)
        self.error_raised.emit(describe_error(error))

    def failed(self, title: str, outcome: str):
        """An error handler for an action the user asked for: a line in the status bar and a
        dialog with the message in full, what was (not) changed and the technical details."""
        def handle(error: Exception) -> None:
            self._report_error(error)
            details = "".join(traceback.format_exception(error)).strip()
            self.action_failed.emit(title, describe_error(error), outcome, details)

        return handle


#: How a watch-list file is made in the window (the CLI's messages give its command).
EXPORT_IN_THE_WINDOW = "File › Export…, format JSON"


def _said_in_the_window(error: Exception) -> Exception:
    """An import refusal that tells how to export a list file, told as the window does it."""
    from tracker.services.importer import ImportFileError

    if not isinstance(error, ImportFileError):
        return error
    said = ImportFileError(error.told_to_export_with(EXPORT_IN_THE_WINDOW))
    said.__cause__, said.__traceback__ = error.__cause__, error.__traceback__
    return said


def describe_error(error: Exception) -> str:
    """Words for the status bar: a validation error becomes its first message."""
    from pydantic import ValidationError

    if isinstance(error, ValidationError):
        first = error.errors()[0]
        return first["msg"].removeprefix("Value error, ")
    return str(error) or error.__class__.__name__

