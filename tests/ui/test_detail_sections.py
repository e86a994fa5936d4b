"""The rebuilt detail pane after real syncs with injected changes: sections, folding, results,
sites near home, references, the Changes section and the notes tab."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QUrl

from tests.fakes.demo_records import with_demo_results
from tests.fakes.studies import make_study
from tests.ui.conftest import select_trial
from tests.ui.test_sync_window import _sync, open_window
from tracker.ui.card_delegate import marker_line
from tracker.ui.detail_html import SECTION_ORDER

VIALE, OTHER = "NCT02993523", "NCT02242942"


@pytest.fixture
def registry(ctgov_server):
    ctgov_server.put_studies([make_study(VIALE, acronym="VIALE-A", status="ACTIVE_NOT_RECRUITING",
                                         start=("2017-02", "ACTUAL"),
                                         primary_completion=("2026-06", "ESTIMATED")),
                              make_study(OTHER, acronym="CLL14")])
    return ctgov_server


@pytest.fixture
def detail_window(qtbot, tmp_path, registry):
    window = open_window(qtbot, tmp_path / "library", registry)
    _sync(qtbot, window, [VIALE, OTHER])
    registry.put_study(with_demo_results(registry.study(VIALE)))  # results, slip, site, paper
    _sync(qtbot, window, [VIALE, OTHER])
    select_trial(qtbot, window, VIALE)
    qtbot.waitUntil(lambda: "Registry results" in window.detail.browser.toPlainText()
                    and "3 measures posted" in window.detail.browser.toPlainText(),
                    timeout=5_000)
    yield window
    window.close()
    window.context.close()


def _text(window) -> str:
    return window.detail.browser.toPlainText()


def test_detail_outcomes_and_registry_results_come_first_then_the_sections(detail_window):
    text = _text(detail_window)
    titles = ["Outcomes (curated)", "Registry results", "Adverse events (posted)",
              "Participant flow and baseline (posted)", "Overview", "Design", "Eligibility",
              "Sites", "References", "Changes"]
    positions = [text.index(title) for title in titles]
    assert positions == sorted(positions) and len(SECTION_ORDER) == len(titles)
    assert text.index("14.7 months") < text.index("Overview"), "curated outcomes first"


def test_detail_registry_results_are_labelled_and_keep_the_registry_strings(detail_window):
    text = _text(detail_window)
    assert "Posted on ClinicalTrials.gov by the sponsor" in text
    assert "Venetoclax + Azacitidine" in text and "Placebo + Azacitidine" in text
    assert "n = 286 participants" in text and "n = 145 participants" in text
    assert "17.5 (95% Confidence Interval 13.6 to NA)" in text, "NA kept as posted"
    assert "NA: the upper limit was not estimable at the data cut-off." in text
    assert ("Venetoclax + Azacitidine vs Placebo + Azacitidine: HR 0.66 (95% CI 0.52–0.85), "
            "p <0.001; Log Rank") in text
    assert "Results published: PMID 32786187" in text


def test_detail_sections_fold_and_stay_folded_for_the_next_trial(qtbot, detail_window):
    pane = detail_window.detail
    assert "Allocation" not in _text(detail_window), "Design is folded at first"
    assert "Design — Randomized, masking: none, 3 arms" in _text(detail_window)
    pane.browser.anchorClicked.emit(QUrl("fold:design"))
    assert "Allocation" in _text(detail_window)
    assert "Arms" in _text(detail_window)
    pane.browser.anchorClicked.emit(QUrl("fold:results"))
    assert "values exactly as posted, not reviewed by us" not in _text(detail_window)
    assert "Registry results — 3 measures posted" in _text(detail_window), "summary stays"
    select_trial(qtbot, detail_window, OTHER)
    assert "values exactly as posted, not reviewed by us" not in _text(detail_window)
    assert "Allocation" in _text(detail_window)


def test_detail_sites_near_home_only_while_the_trial_recruits(qtbot, detail_window, registry):
    """VIALE-A is active, not recruiting, yet its record lists a recruiting Berlin site: no
    site is offered near home until the trial itself recruits again."""
    pane = detail_window.detail
    pane.browser.anchorClicked.emit(QUrl("fold:sites"))
    assert ("The trial is not recruiting (Active not recruiting), so none of its sites takes "
            "referrals") in _text(detail_window), "said without a home location too"
    assert "Set a home location in Preferences" not in _text(detail_window)
    pane.set_home("52.39,13.06")  # Potsdam
    text = _text(detail_window)
    assert "Nearest recruiting sites" not in text and "Charité" in text  # listed, not offered
    assert ("The trial is not recruiting (Active not recruiting), so none of its sites takes "
            "referrals") in text
    assert "Germany" in text and "2 sites in 2 countries, 0 recruiting" in text
    assert "Marked recruiting" in text  # what the site records say, not that they recruit

    registry.set_status(VIALE, "RECRUITING", last_update="2026-11-02")
    _sync(qtbot, detail_window, [VIALE, OTHER])
    qtbot.waitUntil(lambda: "Nearest recruiting sites to 52.3900,13.0600" in _text(
        detail_window), timeout=5_000)
    assert "km: Charité – Universitätsmedizin Berlin, Berlin, Germany" in _text(detail_window)
    assert "is not recruiting" not in _text(detail_window)
    assert "2 sites in 2 countries, 2 recruiting" in _text(detail_window)

    registry.remove_study(VIALE)  # withdrawn from the registry: last seen recruiting
    _sync(qtbot, detail_window, [VIALE, OTHER])
    qtbot.waitUntil(lambda: "The trial is not recruiting (Not in registry)" in _text(
        detail_window), timeout=5_000)
    text = _text(detail_window)
    assert "Nearest recruiting sites" not in text
    assert "2 sites in 2 countries, 0 recruiting" in text
    assert "The registry no longer lists this trial: these are the sites of the last record " \
        "found." in text
    assert "checked just now: not found in the registry; the facts shown are from the last " \
        "record found" in text
    assert "synced just now" not in text
    assert marker_line(detail_window.model.card(VIALE)).endswith("checked just now")


def test_detail_changes_section_lists_changes_newest_first_old_to_new(detail_window):
    text = _text(detail_window)
    changes = text.split("Changes", 1)[1]
    assert "primary completion: 2026-06 (estimated) → 2027-08 (estimated) (+14 months)" \
        in changes
    assert "results posted (2026-02-27)" in changes
    assert "site added: Charité" in changes
    assert changes.index("results posted") < changes.index("status first seen")
    card = detail_window.model.card(VIALE)
    assert card.change_marker == "results posted (2026-02-27)"


def test_detail_notes_have_their_own_tab_that_takes_no_room_while_empty(qtbot, detail_window):
    pane = detail_window.detail
    assert pane.tabs.tabText(1) == "Notes"
    assert pane.tabs.currentIndex() == 0 and not pane.notes.isVisible()
    pane.tabs.setCurrentIndex(1)
    qtbot.keyClicks(pane.notes.editor, "ask about the OS update")
    qtbot.waitUntil(lambda: detail_window.context.library.notes.for_trial(VIALE) != [],
                    timeout=5_000)
    assert pane.tabs.tabText(1) == "Notes (1)"


def test_detail_links_open_only_for_web_schemes(detail_window, monkeypatch):
    from tracker.ui import detail_pane

    opened = []
    monkeypatch.setattr(detail_pane.QDesktopServices, "openUrl",
                        lambda url: opened.append(url.toString()))
    for target in ("file:///etc/passwd", "javascript:alert(1)", "smb://host/share",
                   "https://pubmed.ncbi.nlm.nih.gov/32786187/"):
        detail_window.detail.browser.anchorClicked.emit(QUrl(target))
    assert opened == ["https://pubmed.ncbi.nlm.nih.gov/32786187/"]


def _header_rect(window, title: str, after: str | None = None):
    """Where a text (the first after `after`) is drawn in the detail view (viewport pixels)."""
    browser = window.detail.browser
    document = browser.document()
    cursor = document.find(title, document.find(after)) if after else document.find(title)
    assert not cursor.isNull(), title
    cursor.setPosition(cursor.selectionStart() + 3)  # inside the title's link
    return browser.cursorRect(cursor)


@pytest.fixture
def long_summary_window(qtbot, tmp_path, ctgov_server):
    """VIALE-A with a registry summary as long as the clinician's (a long document is laid
    out a screenful at a time)."""
    summary = " ".join(["Very long summary sentence about venetoclax and azacitidine in older "
                        "adults unfit for intensive chemotherapy."] * 400)
    ctgov_server.put_studies([make_study(VIALE, acronym="VIALE-A", summary=summary)])
    window = open_window(qtbot, tmp_path / "library", ctgov_server)
    window.resize(1400, 860)  # a desktop window (the offscreen screen is 800 x 800)
    _sync(qtbot, window, [VIALE])
    ctgov_server.put_study(with_demo_results(ctgov_server.study(VIALE)))
    _sync(qtbot, window, [VIALE])
    select_trial(qtbot, window, VIALE)
    qtbot.waitUntil(lambda: "3 measures posted" in _text(window), timeout=5_000)
    yield window
    window.close()
    window.context.close()


FIRST_LINE = {"design": ("Design", "Study type"), "eligibility": ("Eligibility", "Minimum age"),
              "sites": ("Sites", "Country"), "references": ("References", "PMID")}


@pytest.mark.parametrize("section", sorted(FIRST_LINE))
def test_opening_a_section_while_scrolled_down_keeps_it_on_screen_with_its_body(
        qtbot, long_summary_window, section):
    """Scrolled to the end, each folded header low in the view: opened, the header stays on
    screen (never pushed down or away) and the section's first line shows under it."""
    from PySide6.QtWidgets import QApplication

    window = long_summary_window
    window.resize(1600, 1000)
    browser = window.detail.browser
    title, first_line = FIRST_LINE[section]
    window.activateWindow()
    browser.setFocus()  # as after a click: the view has the keyboard focus
    bar = browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5_000)
    bar.setValue(bar.maximum())  # scrolled to the end, where the folded headers are
    QApplication.processEvents()
    header = _header_rect(window, f"▸ {title}")
    before, height = header.top(), browser.viewport().height()
    assert 0 <= before < height - 10, "the header is on screen to click"
    assert browser.anchorAt(header.center()) == f"fold:{section}"
    qtbot.mousePress(browser.viewport(), Qt.MouseButton.LeftButton, pos=header.center())
    qtbot.wait(50)
    qtbot.mouseRelease(browser.viewport(), Qt.MouseButton.LeftButton, pos=header.center())
    qtbot.waitUntil(lambda: section in window.detail.open_sections, timeout=2_000)
    qtbot.wait(200)  # the document is laid out and painted
    after = _header_rect(window, f"▾ {title}").top()
    assert 0 <= after <= before + 4, f"{title} moved from y={before} to y={after}"
    body = _header_rect(window, first_line, after=f"▾ {title}").top()
    assert after < body < height - 10, f"{first_line} at y={body}, the view is {height} high"


def test_a_section_opened_at_the_bottom_of_the_view_is_scrolled_into_it(
        qtbot, long_summary_window):
    from PySide6.QtWidgets import QApplication

    window = long_summary_window
    window.resize(1600, 1000)
    browser = window.detail.browser
    bar = browser.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5_000)
    QApplication.processEvents()
    # the folded Eligibility header on the view's last line, its body below the view
    bar.setValue(bar.value() + _header_rect(window, "▸ Eligibility").top()
                 - browser.viewport().height() + 30)
    QApplication.processEvents()
    header = _header_rect(window, "▸ Eligibility")
    assert browser.viewport().height() - 40 < header.top() < browser.viewport().height()
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=header.center())
    qtbot.waitUntil(lambda: "eligibility" in window.detail.open_sections, timeout=2_000)
    qtbot.wait(200)
    height = browser.viewport().height()
    assert 0 <= _header_rect(window, "▾ Eligibility").top() < height, "header still on screen"
    assert 0 <= _header_rect(window, "Maximum age").top() < height - 10, "its body is shown"
    window.grab().save(str(_shots() / "eligibility_opened.png"))


def _shots():
    import os
    from pathlib import Path

    folder = Path(os.environ.get("TRACKER_TEST_SHOTS", "/tmp/gui-detail-shots"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_a_study_with_no_registry_record_says_it_is_not_registered(qtbot, window):
    """LOCAL- studies come from the reviews only: no 'Sync to fetch', no registry sections."""
    local = "LOCAL-CAR30-ASCT-CD30-LYMPHOMA"
    select_trial(qtbot, window, local)
    text = _text(window)
    assert "not registered on ClinicalTrials.gov" in text
    assert "Not registered on ClinicalTrials.gov: this study is known from the review" in text
    assert "Sync to fetch" not in text and "stored registry record" not in text
    for title in ("Design", "Eligibility", "Sites", "References", "Changes",
                  "Registry results"):
        assert f"▸ {title}" not in text and f"▾ {title}" not in text, title
    assert "▾ Outcomes (curated)" in text and "▾ Overview" in text
    window.grab().save(str(_shots() / "not_registered.png"))
    select_trial(qtbot, window, VIALE)  # a registered trial keeps every section
    assert all(f"{title}" in _text(window) for title in ("▸ Design", "▸ Sites", "▾ Changes"))


def test_a_curators_caveat_spans_the_table_and_is_shown_once_per_trial(qtbot, window):
    """CLL14's three misprinted PFS figures share one caveat: it is printed once, across the
    whole table (not squeezed into the Value column), and the later rows point back to it."""
    from PySide6.QtGui import QTextCursor

    window.resize(1400, 860)
    select_trial(qtbot, window, "NCT02242942")
    text = _text(window)
    assert text.count("Curator's caveat: Misprint in the review") == 1
    assert text.count("see the curator's caveat under PFS 76.2%") == 2
    document = window.detail.browser.document()
    found = document.find("Curator's caveat:")
    table = QTextCursor(found).currentTable()
    assert table is not None
    cell = table.cellAt(found)
    assert cell.column() == 0 and cell.columnSpan() == 3, "the caveat spans the row"
    caveat_top = window.detail.browser.cursorRect(found).top()
    end = document.find("confidence interval.", found)
    lines = (window.detail.browser.cursorRect(end).top() - caveat_top) // \
        window.detail.browser.fontMetrics().lineSpacing() + 1
    assert lines <= 4, f"the caveat takes {lines} lines"
    window.grab().save(str(_shots() / "caveat_once.png"))


def _broken_words(browser) -> list[str]:
    """Words of the outcomes table split across two lines ("Metri" / "c")."""
    from PySide6.QtGui import QTextCursor

    broken = []
    block = browser.document().begin()
    while block.isValid():
        if QTextCursor(block).currentTable() is not None:
            text, layout = block.text(), block.layout()
            for n in range(1, layout.lineCount()):
                at = layout.lineAt(n).textStart()
                if 0 < at < len(text) and text[at - 1].isalnum() and text[at].isalnum():
                    broken.append(text[max(0, at - 8):at] + "|" + text[at:at + 8])
        block = block.next()
    return broken


def test_a_narrow_window_keeps_three_panes_side_by_side_and_words_whole(qtbot, window):
    """On a 1366-px screen the window can be made ~700 px wide: the panes shrink (none
    covers another) and the outcomes table wraps between words, never inside one."""
    from PySide6.QtWidgets import QApplication

    assert window.minimumSizeHint().width() <= 720
    window.resize(720, 600)
    for trial_id in ("NCT05388006", "NCT02242942"):  # 'enrollment'; a caveat
        select_trial(qtbot, window, trial_id)
        qtbot.wait(50)
        QApplication.processEvents()
        assert window.width() <= 720
        panes = [window.tree, window.tabs, window.detail]
        for left, right in zip(panes, panes[1:]):
            assert left.geometry().right() < right.geometry().left(), "panes overlap"
        assert window.detail.geometry().right() <= window.splitter.width()
        assert window.detail.width() >= 240 and window.tabs.width() >= 300
        assert "Curator's caveat" not in _text(window) or "see the curator" in _text(window)
        assert _broken_words(window.detail.browser) == [], trial_id
        window.grab().save(str(_shots() / f"narrow_{trial_id}.png"))
    window.resize(1366, 760)
    qtbot.waitUntil(lambda: "Arm / population / timepoint\n" in _text(window), timeout=2_000)
    assert _broken_words(window.detail.browser) == []


def test_detail_results_are_dated_and_never_denied_when_the_registry_has_them(
        qtbot, detail_window, registry):
    assert "first posted 2026-02-27; as of the registry update of 2026-02-27" in \
        _text(detail_window), "the version the figures come from, to cite them"
    # the registry flags results for CLL14 but its answer carries none (not fetched yet)
    registry.put_study(make_study(OTHER, acronym="CLL14", has_results=True,
                                  last_update="2026-03-01"))
    _sync(qtbot, detail_window, [VIALE, OTHER])
    select_trial(qtbot, detail_window, OTHER)
    qtbot.waitUntil(lambda: "CLL14" in _text(detail_window), timeout=5_000)
    text = _text(detail_window)
    assert "No results posted" not in text
    assert "The registry says results are posted, but they are not in the stored record" in text


def test_a_narrow_outcomes_table_names_each_metric_once():
    from tracker.domain import Outcome, Trial
    from tracker.ui.detail_outcomes import curated_outcomes

    source = {"file": "000_a.txt", "locator": "p1"}
    trial = Trial(id="NCT02993523", brief_title="VIALE-A", outcomes=[
        Outcome(metric="OS", value="14.7", unit="months", timepoint="median", source=source),
        Outcome(metric="HR (OS)", value="HR = 0.66, p < 0.01", source=source,
                caveat="A caveat.")])
    html = curated_outcomes(trial, narrow=True)
    assert "<td>OS <b>14.7 months</b>" in html
    assert "<td>OS <b>HR = 0.66, p &lt; 0.01</b>" in html and "HR (OS)" not in html


def test_the_detail_headline_names_the_arm_of_a_randomised_trial_as_the_card_does(
        seeded_library):
    from tracker.ui.detail_outcomes import curated_outcomes

    zuma7 = seeded_library.trials.get("NCT03391466")  # the reviews print the axi-cel arm only
    card = seeded_library.cards.all_cards()["NCT03391466"]
    assert card.headline == "Axicabtagene ciloleucel: CR 65% · ORR 83%"
    assert f"<b>Headline:</b> {card.headline}</p>" in curated_outcomes(zuma7)


def test_the_detail_view_says_which_arm_is_which_in_a_headline_pair(seeded_library):
    """VIALE-A's headline is "OS 14.7 months vs 9.6 months"; the card has no room to say
    which arm is which, the detail view does. ZUMA-7 has no pair: no such line."""
    from tracker.ui.detail_outcomes import curated_outcomes

    viale_a = curated_outcomes(seeded_library.trials.get("NCT02993523"))
    assert ("<p><b>Arms compared:</b> venetoclax + azacitidine vs placebo + azacitidine</p>"
            in viale_a)
    assert "Arms compared" not in curated_outcomes(seeded_library.trials.get("NCT03391466"))


def test_a_trial_the_registry_no_longer_lists_has_no_results_in_its_last_record(
        qtbot, detail_window, registry):
    """CLL14 posted no results; once the registry stops listing it, that is said of the last
    record found, dated as the handout dates it, not as a fact about the registry today."""
    select_trial(qtbot, detail_window, OTHER)
    qtbot.waitUntil(lambda: "No results posted on ClinicalTrials.gov." in _text(detail_window),
                    timeout=5_000)
    registry.remove_study(OTHER)
    _sync(qtbot, detail_window, [VIALE, OTHER])
    qtbot.waitUntil(lambda: "last record found" in _text(detail_window), timeout=5_000)
    text = _text(detail_window)
    assert ("No results posted in the last record found (registry record of 2025-01-15): the "
            "registry no longer lists this trial.") in text
    assert "No results posted on ClinicalTrials.gov." not in text


def test_a_figure_the_review_printed_wrong_is_not_bold_and_says_so(seeded_library):
    """CLL14's misprinted PFS and ZUMA-7's "PFS 41%" (EFS) are marked right after the
    figure, never in the bold of a sound figure, in the wide and the narrow table."""
    from tracker.ui.detail_outcomes import curated_outcomes

    cll14, zuma7 = (seeded_library.trials.get(i) for i in ("NCT02242942", "NCT03391466"))
    for narrow in (False, True):
        html = curated_outcomes(cll14, narrow=narrow)
        assert "<b>76.2%</b>" not in html and "<b>40%</b>" in html
        assert ("76.2% <small style='color:#9a3412'><i>(misprint in the review: see caveat)"
                "</i></small>") in html
        relabelled = curated_outcomes(zuma7, narrow=narrow)
        assert "<b>41%</b>" not in relabelled
        assert "41% <small style='color:#9a3412'><i>(labelled PFS by the review; measures " \
               "EFS)</i></small>" in relabelled
