"""The controller's long registry jobs, sync and add: one at a time, each on its own thread
with its own registry client, reporting progress, cancellable. Mixed into
`LibraryController`, whose signals, model and selection they update.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tracker.ui.tasks import TaskHandle


class RegistryJobs:
    def sync(self, trial_ids: list[str] | None = None, *, asked: bool = True
             ) -> TaskHandle | None:
        """Start a sync; `asked` is False for the sync on start (its failure is only told
        in the status bar, not in a dialog the user did not ask for)."""
        from tracker.services.sync import SyncService

        return self._start_job(asked, "Syncing with ClinicalTrials.gov", lambda client, **kw:
                               SyncService(self.library, client).sync(trial_ids, **kw))

    def add_trials(self, ids: list[str]) -> TaskHandle | None:
        from tracker.services.registry import RegistryService

        return self._start_job(True, "Adding trials", lambda client, **kw:
                               RegistryService(self.library, client).add(ids, **kw))

    def _with_client(self, call):
        """A job body: its own registry client for the job's thread, closed afterwards."""
        def run(progress, cancel):
            client = self.context.make_client()
            try:
                return call(client, progress=progress, cancel=cancel)
            finally:
                client.close()

        return run

    def _start_job(self, asked: bool, label: str, fn) -> TaskHandle | None:
        if self.job is not None:
            self.error_raised.emit("Another sync is still running; wait for it or cancel it.")
            return None
        self._job_asked = asked
        self.job = self.runner.long_job(label, self._with_client(fn),
                                        on_result=self._on_job_result,
                                        on_error=self._on_job_error,
                                        on_progress=self.job_progressed.emit)
        self.job.signals.finished.connect(self._on_job_done)
        self.job_started.emit(label, self.job)
        return self.job

    def _on_job_result(self, report) -> None:
        self.job = None  # the work is over; a new sync may start from a job_finished slot
        self.last_report = report
        changed = {line.trial_id for line in report.changed}
        self.model.set_highlighted(changed | set(report.added))
        self.reload()
        renamed = dict(report.rekeyed)
        if renamed:
            self.trials_rekeyed.emit(renamed)
        if self.hidden_id:  # hidden by a filter under its old id: still the same trial
            self.hidden_id = renamed.get(self.hidden_id, self.hidden_id)
        if self.selected_id:
            self.select(renamed.get(self.selected_id, self.selected_id))
        self.job_finished.emit(report)
        if report.error and self._job_asked:
            self._tell_stopped_job(report)

    def _tell_stopped_job(self, report) -> None:
        from tracker.ui.failure_text import stopped_details, stopped_message, stopped_outcome

        title, text = stopped_message(report)
        self.action_failed.emit(title, text, stopped_outcome(report), stopped_details(report))
        if report.kind == "add":
            self.add_interrupted.emit([*report.not_checked, *report.failed])

    def _on_job_error(self, error: Exception) -> None:
        self.job = None
        if self._job_asked:
            self.failed("Sync failed", "The sync stopped before it saved anything more; "
                        "your notes, tags and watch lists are untouched.")(error)
        else:
            self._report_error(error)

    def _on_job_done(self) -> None:
        self.job = None
        self.job_ended.emit()

    def cancel_job(self) -> None:
        if self.job is not None:
            self.job.cancel()
