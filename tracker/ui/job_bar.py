"""The status bar's part for long work: what runs, its progress, Cancel, and the last report."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel, QProgressBar, QPushButton, QStatusBar

from tracker.services.sync_report import SyncReport
from tracker.ui.resources import icon

ERROR_SHOWN_MS = 30_000  # a warning stays this long, then the bar says "Ready" again


class JobBar(QObject):
    cancel_requested = Signal()

    def __init__(self, status_bar: QStatusBar) -> None:
        super().__init__(status_bar)
        self.status_bar = status_bar
        self.label = QLabel("Ready")
        self.label.setObjectName("jobLabel")
        self.progress_bar = QProgressBar()
        self.progress_bar.setMaximumWidth(220)
        # the count is said in words in the label beside it ("12 of 88 trials"): text drawn
        # over the bar's fill was half unreadable
        self.progress_bar.setTextVisible(False)
        self._job_label = ""
        self._unit = ("trial", "trials")
        self.cancel_button = QPushButton(icon("cancel"), "Cancel")
        self.report_button = QPushButton("Last report…")
        status_bar.addWidget(self.label, 1)
        for widget in (self.progress_bar, self.cancel_button, self.report_button):
            status_bar.addPermanentWidget(widget)
        self.cancel_button.clicked.connect(self._on_cancel_clicked)
        self.report_button.clicked.connect(self.show_report)
        self.report: SyncReport | None = None
        self._warned_at = 0.0  # when the warning shown was raised (time.monotonic())
        self._clear_timer = QTimer(self)
        self._clear_timer.setSingleShot(True)
        self._clear_timer.timeout.connect(self._clear_stale_error)
        self._set_running(False)
        self.report_button.setVisible(False)

    def _set_running(self, running: bool) -> None:
        self.progress_bar.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        # beside Cancel, it would open the previous run's report as if it were this one's
        self.report_button.setEnabled(not running)
        self.report_button.setToolTip(
            "The report of the job running now opens here once it ends" if running
            else "What the last sync or add changed, checked and could not check")

    def start(self, label: str, _handle, unit: tuple[str, str] = ("trial", "trials")) -> None:
        """`unit`: what the job counts, singular and plural, for "12 of 88 trials"."""
        self._clear_timer.stop()
        self._job_label, self._unit = label, unit
        self.label.setText(f"{label}…")
        self.progress_bar.setRange(0, 0)
        self._set_running(True)

    def progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(done)
            if self.cancel_button.isEnabled():  # not while "Cancelling…" is said
                self.label.setText(f"{self._job_label}… {done} of {total} "
                                   f"{self._unit[0] if total == 1 else self._unit[1]}")

    def _on_cancel_clicked(self) -> None:
        self.cancel_button.setEnabled(False)
        self.label.setText("Cancelling…")
        self.cancel_requested.emit()

    def finish(self, report: SyncReport) -> None:
        self._set_running(False)
        self.report = report
        self.report_button.setVisible(True)
        self.label.setText(self.summary(report))
        self.label.setToolTip(report.stopped_text() if report.error else report.headline())
        # the whole line stays readable; Last report… and the tooltip keep every detail
        if report.error:
            self._clear_timer.start(ERROR_SHOWN_MS)  # "Last report…" keeps it afterwards

    def stop(self) -> None:
        self._set_running(False)

    def show_error(self, message: str) -> None:
        """Say what went wrong; a job that is still running keeps its progress and Cancel."""
        short = message if len(message) <= 220 else message[:217] + "…"
        self.label.setText(f"⚠ {short}")
        self.label.setToolTip(message)
        self._warned_at = time.monotonic()
        self._clear_timer.start(ERROR_SHOWN_MS)  # a stale warning must not stay forever

    def change_saved(self, asked: float) -> None:
        """A change asked for at `asked` (time.monotonic()) was saved: a warning shown
        before then is about an earlier attempt (a tag too long, a name taken) that the user
        has since corrected or moved on from, and goes; one raised since stays."""
        if self._warned_at <= asked:
            self._clear_stale_error()

    def _clear_stale_error(self) -> None:
        if self.label.text().startswith("⚠") and not self.cancel_button.isVisible():
            self.label.setText("Ready")
            self.label.setToolTip("")

    @staticmethod
    def summary(report: SyncReport) -> str:
        if report.error:
            from tracker.ui.failure_text import stopped_line

            return stopped_line(report)
        return report.headline()

    def show_report(self) -> None:
        if self.report is None:
            return
        from tracker.ui.dialogs.sync_report import SyncReportDialog

        dialog = SyncReportDialog(self.report, self.summary(self.report),
                                  self.status_bar.window())
        dialog.setModal(False)
        dialog.show()
