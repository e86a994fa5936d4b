"""While a sync or add runs, "Last report…" beside Cancel does not open the previous run's
report as if it were this one's (review s10 §3.4): it is disabled in place (the bar does not
shift) and enabled again when the job ends."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from tracker.services.sync_report import SyncReport


def test_last_report_is_disabled_while_a_job_runs(qtbot, window):
    bar = window.job_bar
    bar.finish(SyncReport(requested=88, first_seen=[f"NCT{n:08d}" for n in range(88)]))
    assert bar.report_button.isVisible() and bar.report_button.isEnabled()
    bar.start("Syncing", None)
    assert bar.report_button.isVisible() and not bar.report_button.isEnabled()
    assert "once it ends" in bar.report_button.toolTip()
    bar.report_button.click()
    assert not any(w.isVisible() and w.windowTitle().startswith("Last")
                   for w in QApplication.topLevelWidgets())
    bar.finish(SyncReport(requested=88, unchanged=[f"NCT{n:08d}" for n in range(88)]))
    assert bar.report_button.isEnabled()
