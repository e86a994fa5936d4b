"""The detail pane's posted adverse events and participant flow / baseline, after real syncs
with the loopback registry (VIALE-A's demo record): order, tables per arm, folding, width."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextCursor

from tests.ui import test_detail_sections as sections

registry, detail_window, _text = sections.registry, sections.detail_window, sections._text
select_trial = sections.select_trial


def _row_of(window, text: str, after: str = "Adverse events (posted)") -> list[str]:
    """The cells of the table row holding `text`, first found past `after` (fails if it is
    not in a table)."""
    document = window.detail.browser.document()
    start = document.find(after)
    assert not start.isNull(), f"{after!r} not shown"
    found = document.find(text, start)
    assert not found.isNull(), f"{text!r} not shown"
    table = QTextCursor(found).currentTable()
    assert table is not None, f"{text!r} is not in a table"
    row = table.cellAt(found).row()
    cells = [table.cellAt(row, column) for column in range(table.columns())]
    return [_cell_text(cell) for cell in cells]


def _cell_text(cell) -> str:
    """The cell's text with its line and paragraph breaks and no-break spaces as spaces."""
    cursor = cell.firstCursorPosition()
    cursor.setPosition(cell.lastCursorPosition().position(), QTextCursor.MoveMode.KeepAnchor)
    return " ".join(cursor.selectedText().replace("\u2029", " ").replace("\u2028", " ")
                    .replace("\xa0", " ").split())


def test_serious_events_come_first_per_arm_with_affected_at_risk_and_share(detail_window):
    text = _text(detail_window)
    order = ["Registry results",
             ("Adverse events (posted) — serious in 83.0% (Venetoclax + Azacitidine) vs "
              "72.9% (Placebo + Azacitidine)"),
             "Serious adverse events",
             "Other adverse events (posted above a frequency threshold of 5%)", "Overview"]
    positions = [text.index(title) for title in order]
    assert positions == sorted(positions)
    assert "as of the registry update of 2026-02-27" in text
    assert "Time frame: From first dose until 30 days after the last dose" in text
    arm_row = _row_of(detail_window, "Venetoclax + Azacitidine", after="Participants with")
    assert arm_row[1:] == [
        "235/283 (83.0%)", "281/283 (99.3%)", "150/286 (52.4%)"]
    assert _row_of(detail_window, "84/283 (29.7%)") == [
        "■ Febrile neutropenia", "Blood and lymphatic system disorders", "84/283 (29.7%)"]
    serious = text[text.index("Serious adverse events"):text.index("Other adverse events")]
    assert serious.index("84/283") < serious.index("46/283") < serious.index("16/283")
    assert "Tumour lysis syndrome" in serious, "of special interest: listed past the first 10"
    assert "… and 2 more serious event terms" in serious
    other = text[text.index("Other adverse events"):]
    assert "Thrombocytopenia" in other and "… and 8 more other event terms" in other


def test_flow_and_baseline_are_folded_with_a_summary_and_open_on_click(detail_window):
    text = _text(detail_window)
    assert ("Participant flow and baseline (posted) — started 286 (Venetoclax + Azacitidine), "
            "145 (Placebo + Azacitidine); 4 baseline measures") in text
    assert "Overall number" not in text, "folded at first"
    detail_window.detail.browser.anchorClicked.emit(QUrl("fold:participants"))
    text = _text(detail_window)
    assert "Overall number (participants): Venetoclax + Azacitidine 286; Placebo + " \
           "Azacitidine 145; Total 431" in text
    assert _row_of(detail_window, "Received study drug") == ["Received study drug", "283", "144"]
    assert _row_of(detail_window, "Withdrawal by Subject")[1:] == ["8", "6"]
    female = _row_of(detail_window, "Female", after="Sex: Female, Male")
    assert female == ["Female", "110 (38.5%)", "58 (40.0%)", "168 (39.0%)"]
    assert "76 (Full range 49 to 91)" in text


def test_a_narrow_pane_stacks_term_and_organ_system_and_never_scrolls_sideways(
        qtbot, detail_window):
    browser = detail_window.detail.browser
    detail_window.resize(1500, 900)
    qtbot.waitUntil(lambda: not detail_window.detail._narrow, timeout=3_000)
    qtbot.wait(50)
    assert len(_row_of(detail_window, "84/283 (29.7%)")) == 3
    assert browser.horizontalScrollBar().maximum() == 0
    detail_window.resize(720, 600)
    qtbot.waitUntil(lambda: detail_window.detail._narrow, timeout=3_000)
    qtbot.wait(50)
    assert _row_of(detail_window, "84/283 (29.7%)") == [
        "■ Febrile neutropenia Blood and lymphatic system disorders", "84/283 (29.7%)"]
    assert "serious 235/283 (83.0%) · other 281/283 (99.3%) · deaths 150/286 (52.4%)" \
        in _text(detail_window)
    assert browser.horizontalScrollBar().maximum() == 0


def _link_of(window, text: str) -> str:
    """The address of the link on `text` in the detail document ("" when it is no link)."""
    document = window.detail.browser.document()
    found = document.find(text, document.find("Adverse events (posted)"))
    assert not found.isNull(), f"{text!r} not shown"
    return found.charFormat().anchorHref()


def _serious_section(window) -> str:
    text = _text(window)
    return text[text.index("Serious adverse events"):text.index("Other adverse events")]


def test_and_n_more_lists_every_term_of_that_arm_in_place_and_stays_for_the_trial(
        qtbot, detail_window):
    """VIALE-A's venetoclax arm has 2 serious terms past the first 10 (Pyrexia, Fall): the
    "… and 2 more" line is a link that lists them in place for that arm and kind only, and
    the list stays whole when the trial is shown again; a second link shortens it."""
    more = "… and 2 more serious event terms"
    assert "Fall" not in _serious_section(detail_window)
    href = _link_of(detail_window, more)
    assert href == "terms:serious/0"
    detail_window.detail.browser.anchorClicked.emit(QUrl(href))
    serious = _serious_section(detail_window)
    assert more not in serious and "Fall" in serious and "Pyrexia" in serious
    assert _row_of(detail_window, "5/283 (1.8%)")[0] == "Fall"
    assert "… and 3 more serious event terms" in serious, "the placebo arm stays shortened"
    assert "… and 8 more other event terms" in _text(detail_window), "other events too"
    assert "Show fewer serious event terms" in serious

    select_trial(qtbot, detail_window, sections.OTHER)
    qtbot.waitUntil(lambda: "CLL14" in _text(detail_window), timeout=5_000)
    select_trial(qtbot, detail_window, sections.VIALE)
    qtbot.waitUntil(lambda: "Serious adverse events" in _text(detail_window), timeout=5_000)
    assert "Fall" in _serious_section(detail_window), "kept for the trial, like the folds"

    detail_window.detail.browser.anchorClicked.emit(
        QUrl(_link_of(detail_window, "Show fewer serious event terms")))
    assert more in _serious_section(detail_window) and "Fall" not in _serious_section(
        detail_window)


def test_baseline_headings_say_whether_a_figure_is_a_median_or_a_mean(detail_window):
    """VIALE-A posts age as paramType MEDIAN in years: the heading says so, as the outcome
    measures do ("Median · months"); counts of participants stay without a type."""
    detail_window.detail.browser.anchorClicked.emit(QUrl("fold:participants"))
    text = _text(detail_window)
    assert "Age, Continuous (median, years)" in text
    assert "Age, Continuous (years)" not in text
    assert "Sex: Female, Male" in text and "Sex: Female, Male (" not in text
