"""The main window driven like a user would: search, filter, select, notes, tags, dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from tests.ui.conftest import select_trial


def test_window_shows_every_curated_trial_on_first_start(window):
    assert window.model.rowCount() == window.context.library.trials.count() >= 100
    assert "of" in window.count_label.text()
    image = window.grab()
    assert not image.isNull() and image.width() > 800


def test_search_box_filters_cards_after_typing(qtbot, window):
    qtbot.keyClicks(window.search_box, "KarMMa")
    qtbot.waitUntil(lambda: "NCT03361748" in window.model.visible_ids()
                    and window.model.rowCount() <= 3, timeout=5_000)
    window.search_box.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() > 100, timeout=5_000)


def test_results_of_an_older_keystroke_are_dropped(qtbot, window):
    controller = window.controller
    controller.set_search("venetoclax")
    controller.set_search("cilta")  # answered after the first; only this one may be shown
    qtbot.waitUntil(lambda: controller.shown_request == controller._request, timeout=5_000)
    shown = window.model.visible_ids()
    assert shown and all("venetoclax" not in window.model.card(i).title.lower() for i in shown)


def test_a_trial_removed_by_another_process_is_not_searched_into_view(qtbot, window, context):
    """The CLI removes a trial while the window shows the library: a search then answers
    from the library (not the window's stale index) and shows only cards it holds."""
    from tracker.store import Library

    controller = window.controller
    before = window.model.visible_ids()
    gone = before[-1]
    other = Library(context.library.path)
    try:
        other.trials.delete(gone)
    finally:
        other.close()
    for text in ("venetoclax", ""):  # a search, then back to every trial
        controller.set_search(text)
        qtbot.waitUntil(lambda: controller.shown_request == controller._request,
                        timeout=5_000)
    shown = window.model.visible_ids()
    assert shown == [trial_id for trial_id in before if trial_id != gone]


def test_searches_reuse_one_database_connection(qtbot, window, context):
    """Every task on the database thread uses that thread's one SQLite connection (Qt's
    pool threads once opened, and kept, a new connection per task: a file handle each)."""
    controller = window.controller
    for text in ("venetoclax", "cilta", "", "lymphoma", "") * 4:
        controller.set_search(text)
        qtbot.waitUntil(lambda: controller.shown_request == controller._request,
                        timeout=5_000)
    assert context.library.database.connection_count <= 2  # this thread's and the pool's


def test_tree_filters_by_modality(qtbot, window):
    item = window.tree.item_for({"modality": "bispecific"})
    window.tree.itemClicked.emit(item, 0)
    qtbot.waitUntil(lambda: window.model.rowCount() < 20, timeout=5_000)
    assert all(window.model.card(i).modality.value == "bispecific"
               for i in window.model.visible_ids())


def test_selecting_a_card_shows_outcomes_with_sources(qtbot, window):
    select_trial(qtbot, window, "LOCAL-VENAZA-CHINA-RW")
    text = window.detail.browser.toPlainText()
    assert "11.93 months" in text and "Scienmag report on Bai et al., BMC Cancer 2025" in text
    assert "Headline: Untreated: OS 11.93 months · EFS 9.87 months" in text
    assert ".txt" not in text  # the review's file name is never shown


def test_the_detail_shows_a_curators_caveat_and_keeps_context_apart(qtbot, window):
    select_trial(qtbot, window, "NCT02242942")
    text = window.detail.browser.toPlainText()
    assert "Curator's caveat: Misprint in the review" in text
    # the misprinted PFS pair never leads; the uMRD figure names its arm
    assert "Headline: uMRD (<10⁻⁶) 40% (venetoclax + obinutuzumab)\n" in text
    assert "76.2%" in text  # but is listed, with its caveat
    select_trial(qtbot, window, "NCT02445248")
    text = window.detail.browser.toPlainText()
    assert text.index("Context from the reviews") < text.index("about 60%")
    assert text.count("52%/40% 83%/49%(12mo) 14 10") == 1  # the table row, quoted once


def test_note_typed_in_the_editor_is_saved_and_marked_on_the_card(qtbot, window, context):
    select_trial(qtbot, window, "NCT02993523")
    editor = window.detail.notes.editor
    qtbot.keyClicks(editor, "Check 5-year OS before journal club")
    qtbot.waitUntil(lambda: [n.body for n in context.library.notes.for_trial("NCT02993523")]
                    == ["Check 5-year OS before journal club"], timeout=5_000)
    qtbot.keyClicks(editor, " <b>&amp;</b>")
    qtbot.waitUntil(lambda: context.library.notes.for_trial("NCT02993523")[0].body.endswith(
        "<b>&amp;</b>"), timeout=5_000)
    assert len(context.library.notes.for_trial("NCT02993523")) == 1  # updated, not duplicated
    qtbot.waitUntil(lambda: window.model.card("NCT02993523").has_notes, timeout=5_000)


def test_pending_note_is_saved_when_the_window_closes(qtbot, context):
    from tracker.ui.main_window import MainWindow

    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.controller.shown_request > 0, timeout=10_000)
    select_trial(qtbot, window, "NCT02435849")
    window.detail.notes.editor.setPlainText("typed right before closing")
    window.close()  # no wait for the debounce timer
    assert [n.body for n in context.library.notes.for_trial("NCT02435849")] == [
        "typed right before closing"]


def test_tags_edit_saves_tags(qtbot, window, context):
    select_trial(qtbot, window, "NCT02435849")
    window.detail.tags_edit.setText("pediatric, journal club")
    window.detail.tags_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: context.library.tags.for_trial("NCT02435849")
                    == ["journal club", "pediatric"], timeout=5_000)


def test_copy_puts_selected_nct_ids_on_the_clipboard(qtbot, window):
    select_trial(qtbot, window, "NCT02435849")
    window.copy_action.trigger()
    assert QGuiApplication.clipboard().text() == "NCT02435849"


def test_add_dialog_rejects_a_malformed_id_without_a_request(qtbot, window):
    from tracker.ui.dialogs.add_trial import AddTrialDialog, parse_id_list

    dialog = AddTrialDialog(window.context, window.runner, window)
    qtbot.addWidget(dialog)
    dialog.ids_edit.setPlainText("NCT04277637\nNCT123")
    dialog.buttons.accepted.emit()
    assert dialog.message.text() == "not an NCT id: NCT123 (expected NCT followed by 8 digits)"
    assert dialog.result() == 0 and dialog.chosen_ids == []
    assert parse_id_list("nct04277637, https://clinicaltrials.gov/study/NCT06073821") == [
        "NCT04277637", "NCT06073821"]
    assert parse_id_list("NCT 07000002\nNCT 04277637") == ["NCT07000002", "NCT04277637"]


def test_window_geometry_and_splitter_are_restored(qtbot, context):
    from tracker.ui.main_window import MainWindow

    first = MainWindow(context)
    qtbot.addWidget(first)
    first.resize(1101, 601)  # within the offscreen screen
    first.show()
    qtbot.waitExposed(first)
    first.splitter.setSizes([150, 500, 400])  # a shown splitter takes sizes as given
    sizes = first.splitter.sizes()
    assert sizes != MainWindow(context).splitter.sizes(), "not the sizes a new window has"
    first.close()
    second = MainWindow(context)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert (second.size().width(), second.size().height()) == (1101, 601)
    assert second.splitter.sizes() == sizes
    second.close()


def test_shortcuts_exist_for_the_main_actions(window):
    assert window.sync_action.shortcut().toString() == "Ctrl+R"
    assert window.add_action.shortcut().toString() == "Ctrl+N"
    assert window.copy_action.shortcutContext() == Qt.ShortcutContext.WidgetWithChildrenShortcut


def test_preferences_dialog_saves_and_rejects_a_bad_url(qtbot, window, context):
    from tracker.settings import load_preferences
    from tracker.ui.dialogs.preferences import PreferencesDialog

    dialog = PreferencesDialog(context, window)
    qtbot.addWidget(dialog)
    assert str(context.data_dir) in [w.text() for w in dialog.findChildren(type(dialog.error))]
    dialog.api_url.setText("not a url")
    dialog._on_save()
    assert dialog.error.text() == ("Not saved: “not a url” is not a web address: the API URL "
                                   "starts with https:// (or http://), for example "
                                   "https://clinicaltrials.gov/api/v2.")
    assert "Value error" not in dialog.error.text()
    dialog.api_url.setText("https://ada:s3cret@example.org/api/v2")
    dialog._on_save()
    assert "user name or password" in dialog.error.text()
    assert "s3cret" not in dialog.error.text()  # a password is never repeated on screen
    dialog.api_url.setText("http://127.0.0.1:8080/api/v2")
    dialog.pace.setValue(1.5)
    dialog.author_name.setText("Dr. Ada Example")
    dialog._on_save()
    saved = load_preferences(context.data_dir)
    assert saved.request_pace_seconds == 1.5 and saved.author_name == "Dr. Ada Example"
    assert saved.api_base == "http://127.0.0.1:8080/api/v2"


def test_preferences_say_which_registry_address_is_in_use_and_what_sets_it(
        qtbot, window, context, monkeypatch, tmp_path):
    """The field is the saved preference; --api-url or $TRACKER_API_URL overrides it, and the
    dialog says so, with the address in use (a reviewer edited the field to mend a failing
    sync while $TRACKER_API_URL chose another address)."""
    from tracker.context import build_context
    from tracker.ui.dialogs.preferences import PreferencesDialog

    dialog = PreferencesDialog(context, window)  # this window was started with --api-url
    qtbot.addWidget(dialog)
    assert dialog.api_url.text() == "https://clinicaltrials.gov/api/v2"
    assert dialog.api_url_in_use.text() == (
        "In use now: http://127.0.0.1:9/api/v2, set by --api-url. The address above applies "
        "when the app starts without it.")
    monkeypatch.setenv("TRACKER_API_URL", "http://127.0.0.1:7/api/v2")
    from_environment = build_context(tmp_path / "other")
    try:
        dialog = PreferencesDialog(from_environment, window)
        qtbot.addWidget(dialog)
        assert dialog.api_url_in_use.text() == (
            "In use now: http://127.0.0.1:7/api/v2, set by $TRACKER_API_URL. The address "
            "above applies when it is unset.")
        monkeypatch.delenv("TRACKER_API_URL")
        plain = build_context(tmp_path / "plain")
        try:
            assert PreferencesDialog(plain, window).api_url_in_use is None
        finally:
            plain.close()
    finally:
        from_environment.close()


def test_copy_citation_puts_an_nlm_reference_on_the_clipboard(qtbot, window):
    select_trial(qtbot, window, "NCT02993523")
    QGuiApplication.clipboard().clear()
    window.copy_nlm_action.trigger()
    qtbot.waitUntil(lambda: "ClinicalTrials.gov Identifier: NCT02993523."
                    in QGuiApplication.clipboard().text(), timeout=5_000)


def test_window_paints_first_and_reports_a_library_it_cannot_open(qtbot, tmp_path):
    from tracker.domain import LibraryTooNewError
    from tracker.ui.main_window import MainWindow

    failures = []

    def refuse():
        raise LibraryTooNewError(tmp_path / "library.sqlite3", 9, 2)

    opened: list[bool] = []

    def refuse_later():
        opened.append(True)
        refuse()

    window = MainWindow.open_deferred(tmp_path, refuse_later, failures.append)
    qtbot.addWidget(window)
    assert window.isVisible() and not window.is_built and not opened  # the frame only
    qtbot.waitUntil(lambda: window.is_built, timeout=5_000)  # built after its first paint
    assert not window.sync_action.isEnabled()
    assert window.job_bar.label.text() == "Opening the library…"
    qtbot.waitUntil(lambda: bool(failures), timeout=5_000)
    assert opened and "newer version of Trial Tracker" in str(failures[0])
    window.close()


def test_the_window_starts_in_steps_and_keeps_its_saved_size(qtbot, tmp_path, context):
    """Frame (with the saved geometry), then panes, then the library: cards appear, and a
    library that opened before the panes were built waits for them."""
    from tracker.ui.main_window import MainWindow

    first = MainWindow(data_dir=context.data_dir, build=False)
    qtbot.addWidget(first)
    first.resize(640, 480)
    first.show()
    first.close()  # closed before its panes were built: the geometry is still saved
    window = MainWindow(data_dir=context.data_dir, build=False)
    qtbot.addWidget(window)
    assert (window.width(), window.height()) == (640, 480)
    window.attach(context)  # the library came first
    assert not hasattr(window, "controller")
    window.build()
    assert window.job_bar.label.text() == "Ready"  # attached at once: no "Opening…" left
    window.show()
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=10_000)
    assert window.search_box.isEnabled() and window.sync_action.isEnabled()
    window.build()  # a second call (the fallback timer) changes nothing
    assert window.cards.model() is window.model
    window.close()


def test_a_deferred_start_focuses_the_library_tree_and_survives_a_broken_window_ini(
        qtbot, tmp_path, context):
    """Shown before it had widgets, the window still gives the keyboard a place; a
    window.ini edited into nonsense is ignored (defaults), and the library still opens."""
    from tracker.ui.main_window import MainWindow

    (context.data_dir / "window.ini").write_text(
        "[General]\ngeometry=hello\nsplitter=not bytes\ndetail_shown=maybe\n")
    window = MainWindow.open_deferred(context.data_dir, lambda: context, pytest.fail)
    qtbot.addWidget(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: hasattr(window, "controller")
                    and window.controller.shown_request > 0, timeout=10_000)
    assert window.focusWidget() is window.tree
    assert window.model.rowCount() > 0 and window.detail.isVisible()
    window.hide()  # not close(): the context belongs to the fixture


def test_a_window_closed_before_its_panes_never_opens_the_library(qtbot, tmp_path):
    from tracker.ui.main_window import MainWindow

    opened: list[bool] = []
    window = MainWindow.open_deferred(tmp_path, lambda: opened.append(True), pytest.fail)
    qtbot.addWidget(window)
    window.close()
    qtbot.wait(500)  # past the first paint and the build fallback timer
    assert not window.is_built and opened == []


def test_a_library_that_opens_after_the_window_closed_is_closed_too(qtbot, tmp_path):
    """Closed while the library was opening: the database thread's answer is dropped, and
    the library it opened is closed rather than left open until the process ends."""
    import threading

    from tracker.context import build_context
    from tracker.ui.main_window import MainWindow

    started, release, opened = threading.Event(), threading.Event(), []

    def slow_open():
        started.set()
        release.wait(5)
        opened.append(build_context(tmp_path / "lib", api_url="http://127.0.0.1:9/api/v2"))
        return opened[-1]

    window = MainWindow.open_deferred(tmp_path / "lib", slow_open, pytest.fail)
    qtbot.addWidget(window)
    qtbot.waitUntil(started.is_set, timeout=5_000)
    threading.Timer(0.2, release.set).start()
    window.close()  # waits for the database thread, then closes what it opened
    assert opened and not hasattr(window, "context")
    assert opened[0].library.database.connection_count == 0


def test_cards_follow_a_dark_palette(qtbot, window):
    from PySide6.QtGui import QColor, QPalette

    dark = QPalette()
    dark.setColor(QPalette.ColorRole.Base, QColor("#202124"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#e8eaed"))
    window.cards.setPalette(dark)
    image = window.cards.viewport().grab().toImage()
    corner = image.pixelColor(image.width() // 2, 10)  # inside the first card
    assert corner.lightness() < 80


def test_a_note_emptied_and_rewritten_is_saved(qtbot, window, context):
    select_trial(qtbot, window, "NCT02435849")
    editor = window.detail.notes.editor
    qtbot.keyClicks(editor, "first draft")
    qtbot.waitUntil(lambda: len(context.library.notes.for_trial("NCT02435849")) == 1,
                    timeout=5_000)
    editor.selectAll()
    editor.cut()
    qtbot.waitUntil(lambda: context.library.notes.for_trial("NCT02435849") == [], timeout=5_000)
    qtbot.keyClicks(editor, "rewritten: CR 82% at 2y")
    qtbot.waitUntil(lambda: [n.body for n in context.library.notes.for_trial("NCT02435849")]
                    == ["rewritten: CR 82% at 2y"], timeout=5_000)


def test_leaving_the_tags_box_unchanged_writes_nothing(qtbot, window, context):
    context.library.tags.add("NCT02435849", ["pediatric"])
    select_trial(qtbot, window, "NCT02435849")
    window.detail.tags_edit.setText("pediatric")  # as shown, unchanged
    window.detail.tags_edit.editingFinished.emit()
    window.detail.tags_edit.setText("pediatric, " + "x" * 70)  # too long: words, not a trace
    window.detail.tags_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: "at most 64 characters" in window.job_bar.label.text(), timeout=5_000)
    assert "pydantic" not in window.job_bar.label.text()
    assert context.library.tags.for_trial("NCT02435849") == ["pediatric"]


def test_preferences_placeholders_show_whole(qtbot, window, context):
    from tracker.ui.dialogs.preferences import PreferencesDialog

    dialog = PreferencesDialog(context, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    for edit in (dialog.author_name, dialog.home_location):
        edit.clear()
        needed = edit.fontMetrics().horizontalAdvance(edit.placeholderText())
        assert edit.width() > needed + 8, edit.placeholderText()  # frame and margins too
    dialog.author_name.setText("x" * 200)
    assert len(dialog.author_name.text()) == 120  # cannot be typed too long
    dialog.api_url.setText("clinicaltrials.gov")
    dialog._on_save()
    error = dialog.error
    assert error.height() >= error.heightForWidth(error.width())  # both lines shown whole


def test_a_first_start_never_opens_a_window_larger_than_the_screen(qtbot, context):
    from PySide6.QtGui import QGuiApplication

    from tracker.ui.main_window import MainWindow
    from tracker.ui.window_state import PREFERRED_SIZE, fitted_size

    free = QGuiApplication.primaryScreen().availableGeometry()  # the tests' 1920 x 1080
    window = MainWindow(context)
    qtbot.addWidget(window)
    assert window.width() <= free.width() and window.height() <= free.height()
    assert window.width() >= min(PREFERRED_SIZE[0], int(free.width() * 0.9))
    assert fitted_size(1920, 1040) == PREFERRED_SIZE  # a desktop monitor
    assert fitted_size(1366, 728) == (1297, 669)  # a 1366 x 768 laptop, taskbar at the bottom


def test_a_first_start_on_a_laptop_screen_fits_the_window_to_it(tmp_path):
    """The window itself, on a 1366 x 768 screen (a process of its own: Qt's offscreen
    screen is chosen when the application starts): smaller than the preferred size."""
    import json
    import subprocess
    import sys

    from tracker.ui.window_state import PREFERRED_SIZE, fitted_size

    screen = tmp_path / "laptop.json"
    screen.write_text(json.dumps({"synchronousWindowSystemEvents": False,
                                  "windowFrameMargins": False, "screens": [
                                      {"name": "laptop", "x": 0, "y": 0, "width": 1366,
                                       "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96,
                                       "dpr": 1}]}))
    script = ("import sys\nfrom pathlib import Path\n"
              "from PySide6.QtWidgets import QApplication\n"
              "app = QApplication([])\n"
              "from tracker.context import build_context\n"
              "from tracker.ui.main_window import MainWindow\n"
              "context = build_context(Path(sys.argv[1]), api_url='http://127.0.0.1:9/api/v2')\n"
              "window = MainWindow(context)\n"
              "print(window.width(), window.height())\n"
              "window.close(); context.close()\n")
    done = subprocess.run([sys.executable, "-c", script, str(tmp_path / "data")],
                          capture_output=True, text=True, timeout=120, check=False,
                          env={**__import__("os").environ,
                               "QT_QPA_PLATFORM": f"offscreen:configfile={screen}"})
    assert done.returncode == 0, done.stderr[-2000:]
    width, height = map(int, done.stdout.split()[-2:])
    assert (width, height) == fitted_size(1366, 768) and width < PREFERRED_SIZE[0]
