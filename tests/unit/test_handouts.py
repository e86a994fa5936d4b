"""Journal-club handouts (issue 11): metric vocabulary and headline rule, comparison table,
citable sources, the change window, xlsx, calendar, RIS, and a real 13-trial PDF."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from tests.unit.test_exports import NOW, _export, library  # noqa: F401 - shared fixture
from tracker.domain import Outcome, RegistryState, StatusChange, Trial
from tracker.services.exports import ExportError, NothingToCalendarError, export_watchlist
from tracker.services.exports.handout import build_handout
from tracker.services.library import refresh_curated

SEED = "000_50fe522fa3562aed.txt"


def _outcome(metric, value, **extra):
    return Outcome(metric=metric, value=value, source={"file": SEED, "locator": "Table 1"},
                   **extra)


def test_comparison_columns_come_from_the_vocabulary_never_context(library):
    from tracker.services.exports.comparison import build_comparison

    library.trials.insert([Trial(id="NCT02993523", acronym="VIALE-A", outcomes=[
        _outcome("patients", "431"), _outcome("median follow-up", "20.5 months"),
        _outcome("overall response rate", "66.4%"), _outcome("CRi", "36%"),
        _outcome("CR/CRi", "66.4%"), _outcome("OS", "14.7 months", arm="ven + aza"),
        _outcome("HR (OS)", "HR = 0.66"), _outcome("ORR", "about 60%", kind="context")])])
    library.watchlists.add("CLL – December", ["NCT02993523"])
    comparison = build_comparison(build_handout(library, "CLL – December", now=NOW))
    labels = [m.label for m in comparison.metrics]
    assert {"ORR", "CRi", "CR/CRi", "OS", "PFS"} <= set(labels)
    assert not {"patients", "enrollment", "median follow-up", "Statistic"} & set(labels)
    viale = comparison.rows[-1]
    orr = [f.outcome.value for m in comparison.metrics if m.label == "ORR"
           for f in viale.cells.get(m.key, [])]
    assert orr == ["66.4%"]  # the class-level "about 60%" is context, not a cell


@pytest.fixture
def curated(empty_library):
    refresh_curated(empty_library)
    return empty_library


JC_IDS = ["NCT02993523", "NCT03548207", "NCT03361748", "NCT02631044", "NCT02614066",
          "LOCAL-VENAZA-CHINA-RW", "NCT02242942", "NCT02005471", "NCT03319901", "NCT05388006",
          "NCT03390296", "LOCAL-VEN-PEDS-AYA-RR-ALL-LBL-RETRO", "NCT04277442", "NCT00501826"]
CHINESE = "真实世界研究：维奈克拉联合阿扎胞苷治疗急性髓系白血病。"


@pytest.fixture
def journal_club(curated):
    curated.watchlists.create("Heme JC", meeting_date=dt.date(2026, 12, 10))
    curated.watchlists.add("Heme JC", JC_IDS)
    curated.notes.add("LOCAL-VENAZA-CHINA-RW", CHINESE, when=NOW)
    return curated


def _jc(library, fmt, tmp_path, **options) -> bytes:
    return export_watchlist(library, "Heme JC", fmt, tmp_path / f"jc.{fmt}", now=NOW,
                            **{"include_notes": True, **options}).read_bytes()


def test_comparison_table_has_a_column_per_metric_with_timepoints(journal_club, tmp_path):
    markdown = _jc(journal_club, "md", tmp_path).decode()
    header = next(line for line in markdown.splitlines() if line.startswith("| Trial"))
    for label in ("ORR", "CR", "CR/CRi", "PFS", "OS", "EFS", "DOR"):
        assert f" {label} |" in header
    cartitude = next(line for line in markdown.splitlines() if line.startswith("| CARTITUDE-1"))
    assert "54\\.9%" not in cartitude and "54.9% (27 months" in cartitude  # timepoint kept
    assert "33% (5 years" in cartitude
    assert "patients" not in header and "enrollment" not in header


def test_sources_are_citable_and_seed_file_names_never_shown(journal_club, tmp_path):
    for fmt in ("md", "html", "csv", "xlsx"):
        data = _jc(journal_club, fmt, tmp_path)
        assert b".txt" not in data and b"50fe522fa3562aed" not in data, fmt
    markdown = _jc(journal_club, "md", tmp_path).decode()
    assert "Han et al., Front Pharmacol 2025, Section" in markdown
    assert "Liu et al., Exp Hematol Oncol 2024, Table 1" in markdown
    references = markdown.split("## References", 1)[1]
    assert "1\\. Han et al. Novel therapeutic strategies" in references
    assert "Front Pharmacol. 2025. doi:10.3389/fphar.2025.1742651" in references


def test_change_window_previous_meeting_then_last_export_then_30_days(library, tmp_path):
    handout = build_handout(library, "CLL – December", now=NOW)  # meeting 11-20 is past
    assert handout.window.label == "2026-11-20 (the list's previous meeting)"
    library.watchlists.update("CLL – December", meeting_date=dt.date(2026, 12, 18))
    assert library.watchlists.past_meetings("CLL – December") == [dt.date(2026, 11, 20)]
    handout = build_handout(library, "CLL – December", now=NOW)
    assert handout.window.since == dt.date(2026, 11, 20)  # archived, not the upcoming one
    library.watchlists.create("Fresh", meeting_date=dt.date(2027, 1, 5))
    library.watchlists.add("Fresh", ["NCT02242942"])
    first = build_handout(library, "Fresh", now=NOW)
    assert first.window.label == "2026-10-27 (the last 30 days)"
    assert [c.new for c in first.trials[0].changes_since] == ["Active not recruiting"]
    export_watchlist(library, "Fresh", "md", tmp_path / "f.md", now=NOW)
    later = build_handout(library, "Fresh", now=NOW + dt.timedelta(days=3))
    assert later.window.label == "2026-11-26 (the list's last export)"
    text = (tmp_path / "f.md").read_text()
    assert "Changes are reported since 2026-10-27 (the last 30 days)" in text


def test_formats_exported_one_after_another_share_the_change_window(library, tmp_path):
    library.watchlists.create("Next", meeting_date=dt.date(2026, 12, 10))  # upcoming, no past
    library.watchlists.add("Next", ["NCT02242942"])
    export_watchlist(library, "Next", "md", tmp_path / "a.md", now=NOW - dt.timedelta(days=9))
    windows = []
    for number, fmt in enumerate(("md", "html", "csv")):
        export_watchlist(library, "Next", fmt, tmp_path / f"b.{fmt}",
                         now=NOW + dt.timedelta(minutes=number))
        windows.append(build_handout(library, "Next", now=NOW + dt.timedelta(minutes=5)).window)
    assert {w.label for w in windows} == {"2026-11-17 (the list's last export)"}
    assert "since 2026-11-17 (the list&#x27;s last export)" in (tmp_path / "b.html").read_text()
    assert [c.new for c in build_handout(library, "Next", now=NOW).trials[0].changes_since] \
        == ["Active not recruiting"]  # the export 9 days ago came before this change


def test_a_first_status_seen_by_a_sync_is_not_a_change(library):
    from tracker.domain import StatusChange

    library.history.record(StatusChange(trial_id="NCT02005471", old_status=None,
                                        new_status="COMPLETED", seen_at=NOW))
    handout = build_handout(library, "CLL – December", now=NOW)
    changes = {item.trial.id: [c.new for c in item.changes_since] for item in handout.trials}
    assert changes["NCT02005471"] == []
    assert changes["NCT02242942"] == ["Active not recruiting"]


def test_xlsx_has_real_dates_frozen_headers_filters_and_sheets(library, tmp_path):
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(_export(library, "xlsx", tmp_path)))
    assert book.sheetnames == ["Comparison", "Trials", "Outcomes", "Changes", "Adverse events",
                               "References"]
    trials = book["Trials"]
    header = [c.value for c in trials[1]]
    row = {h: c.value for h, c in zip(header, trials[2], strict=True)}
    assert isinstance(row["Primary completion date"], dt.datetime)
    assert row["Primary completion date"].date() == dt.date(2027, 6, 1)
    assert (row["Primary completion precision"], row["Primary completion estimated"]) == (
        "month", "yes")
    assert trials.freeze_panes == "A2" and trials.auto_filter.ref.startswith("A1:")
    outcomes = book["Outcomes"]
    assert [c.value for c in outcomes[2]][4] == "76.2%"
    assert "Han et al., Front Pharmacol 2025" in [c.value for c in outcomes[2]][10]
    changes = book["Changes"]
    assert changes.cell(2, 7).value == "Active not recruiting"
    assert changes.cell(2, 3).value == "major"
    assert isinstance(changes.cell(2, 4).value, dt.datetime)


def test_xlsx_trials_sheet_names_phases_as_every_other_view_does(library, tmp_path):
    from openpyxl import load_workbook

    library.trials.insert([Trial(id="NCT03361748", acronym="KarMMa", brief_title="Ide-cel",
                                 phases=("PHASE1", "PHASE2"))], added_at=NOW)
    library.watchlists.add("CLL – December", ["NCT03361748"])
    trials = load_workbook(io.BytesIO(_export(library, "xlsx", tmp_path)))["Trials"]
    header = [c.value for c in trials[1]]
    phases = {row[0]: row[header.index("Phase")]
              for row in trials.iter_rows(min_row=2, values_only=True)}
    assert phases["NCT03361748"] == "Phase 1/2"  # not the registry codes "PHASE1/PHASE2"
    assert phases["NCT02242942"] == "Phase 3"
    assert phases["LOCAL-VENAZA-CHINA-RW"] == "Phase not stated"


def test_calendar_without_meeting_or_milestones_is_refused(library, tmp_path):
    library.watchlists.create("Empty-ish")
    library.watchlists.add("Empty-ish", ["NCT02005471"])  # its dates are in the past
    with pytest.raises(NothingToCalendarError, match="nothing to put in a calendar"):
        export_watchlist(library, "Empty-ish", "ics", tmp_path / "e.ics", now=NOW)
    assert not (tmp_path / "e.ics").exists()


def test_ris_parses_with_rispy_as_zotero_would_read_it(library, tmp_path):
    import rispy

    library.trials.update_registry(library.trials.get("NCT02005471").model_copy(
        update={"sponsor": "Janssen Research & Development, LLC",
                "last_update_posted": "2024-01-09"}))
    records = rispy.loads(_export(library, "ris", tmp_path).decode())
    assert len(records) == 3
    cll14, murano, local = records
    assert cll14["authors"] == ["Hoffmann-La Roche"] and cll14["short_title"] == "CLL14"
    assert cll14["year"] == "2025" and cll14["date"] == "2025/05/02"
    assert {"journal club", "CLL"} <= set(cll14["keywords"])
    assert murano["authors"] == ["Janssen Research & Development LLC"]  # not "Last, First"
    assert local["type_of_reference"] == "GEN" and "url" not in local
    assert "accession_number" not in local and "Not registered" in local["notes"][0]


def test_import_takes_newer_registry_data_keeps_notes_and_says_so(library, tmp_path,
                                                                   empty_library):
    from tracker.services.importer import import_file
    from tracker.store import LIBRARY_FILE_NAME, Library

    synced = library.trials.get("NCT02005471").model_copy(update={
        "sponsor": "Hoffmann-La Roche", "last_synced_at": NOW,
        "registry_state": RegistryState.FOUND})
    library.trials.update_registry(synced)
    path = export_watchlist(library, "CLL – December", "json", tmp_path / "x.json", now=NOW)
    colleague = Library(tmp_path / "c" / LIBRARY_FILE_NAME)
    try:
        colleague.trials.insert([Trial(id="NCT02005471", acronym="MURANO")])
        colleague.notes.add("NCT02005471", "my own note")
        report = import_file(colleague, path)
        trial = colleague.trials.get("NCT02005471")
        assert trial.sponsor == "Hoffmann-La Roche" and trial.status.value == "COMPLETED"
        assert [n.body for n in colleague.notes.for_trial("NCT02005471")] == ["my own note"]
        assert report.registry_taken == ["NCT02005471"]
        assert "newer registry data taken from the file for 1 (NCT02005471)" in report.summary()
        again = import_file(colleague, path)  # same data now: the library's is kept
        assert again.registry_taken == [] and "NCT02005471" in again.registry_kept
        assert again.added_history == 0
    finally:
        colleague.close()


def test_import_ignores_registry_data_dated_in_the_future(library, tmp_path):
    import json

    from tracker.services.importer import import_file
    from tracker.store import LIBRARY_FILE_NAME, Library

    path = export_watchlist(library, "CLL – December", "json", tmp_path / "x.json", now=NOW)
    data = json.loads(path.read_text())
    murano = next(t for t in data["trials"] if t["id"] == "NCT02005471")
    murano.update(last_update_posted="2099-12-31", last_synced_at="2099-12-31T00:00:00+00:00",
                  brief_title="Spoofed title", status="RECRUITING", enrollment=999999999999,
                  status_history=[{"old_status": None, "new_status": "RECRUITING",
                                   "registry_date": "2099-12-30",
                                   "seen_at": "2099-12-31T00:00:00+00:00"}])
    path.write_text(json.dumps(data))
    colleague = Library(tmp_path / "c" / LIBRARY_FILE_NAME)
    try:
        colleague.trials.insert([Trial(id="NCT02005471", acronym="MURANO",
                                       brief_title="Venetoclax plus rituximab")])
        report = import_file(colleague, path)
        trial = colleague.trials.get("NCT02005471")
        assert trial.brief_title == "Venetoclax plus rituximab" and trial.enrollment is None
        assert report.registry_future == ["NCT02005471"] and report.registry_taken == []
        assert "registry data dated in the future ignored for 1 (NCT02005471)" in report.summary()
        assert report.added_history == 0 and colleague.history.for_trial("NCT02005471") == []
    finally:
        colleague.close()


def test_thirteen_trial_pdf_fits_eight_pages_and_keeps_chinese_text(qapp, journal_club,
                                                                    tmp_path):
    from pypdf import PdfReader

    from tracker.ui.pdf import render_pdf

    reader = PdfReader(io.BytesIO(_jc(journal_club, "pdf", tmp_path, pdf_renderer=render_pdf)))
    assert len(reader.pages) <= 8
    pages = ["".join(page.extract_text().split()) for page in reader.pages]
    assert any(CHINESE.rstrip("。") in page for page in pages)  # real code points
    assert all(f"Page{n}of{len(pages)}" in page for n, page in enumerate(pages, 1))
    titles = [page.count("CARTITUDE-1(NCT03548207)") for page in pages]
    assert sum(titles) == 1  # the section heading once; no duplicate titles


def test_removed_history_status_change_fixture_sanity(library):
    library.history.record(StatusChange(trial_id="NCT02005471", old_status="RECRUITING",
                                        new_status="COMPLETED", seen_at=NOW))
    handout = build_handout(library, "CLL – December", now=NOW)
    assert [c.field for c in handout.trials[1].changes_since] == ["status"]


def test_destination_folder_or_missing_parent_is_a_clear_message(library, tmp_path):
    with pytest.raises(ExportError, match="is a folder; give a file name"):
        export_watchlist(library, "CLL – December", "csv", tmp_path)
    with pytest.raises(ExportError, match="does not exist"):
        export_watchlist(library, "CLL – December", "csv", tmp_path / "nope" / "x.csv")
    assert not (tmp_path / "nope").exists()


def test_replacing_an_export_keeps_the_file_mode(library, tmp_path):
    target = tmp_path / "shared.md"
    target.write_text("old")
    target.chmod(0o640)
    export_watchlist(library, "CLL – December", "md", target, now=NOW)
    assert target.stat().st_mode & 0o777 == 0o640 and "CLL14" in target.read_text()


def test_meeting_history_migration_keeps_existing_lists(tmp_path):
    import sqlite3

    from tracker.store import Library
    from tracker.store.migrations import _V_WATCHLIST_MEETINGS, MIGRATIONS, migrate

    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=MIGRATIONS.index(_V_WATCHLIST_MEETINGS))  # the schema before
    conn.execute("INSERT INTO trials (id, id_provenance, modality, added_at) "
                 "VALUES ('NCT02242942', 'seed', 'bcl2', '2025-01-01')")
    conn.execute("INSERT INTO watchlists (name, description, meeting_date, position, created_at) "
                 "VALUES ('CLL', '', '2026-11-20', 0, '2025-01-01')")
    conn.execute("INSERT INTO watchlist_items VALUES (1, 'NCT02242942', 0)")
    conn.close()
    library = Library(path)
    try:
        assert library.watchlists.get("CLL").meeting_date == dt.date(2026, 11, 20)
        assert library.watchlists.past_meetings("CLL") == []
        assert library.watchlists.last_exported_at("CLL") is None
        library.watchlists.update("CLL", meeting_date=dt.date(2026, 12, 18))
        assert library.watchlists.past_meetings("CLL") == [dt.date(2026, 11, 20)]
        library.watchlists.record_export("CLL", NOW)
        assert library.watchlists.last_exported_at("CLL") == NOW
        assert library.watchlists.last_exported_before("CLL", NOW.date()) is None
        assert library.watchlists.last_exported_before(
            "CLL", NOW.date() + dt.timedelta(days=1)) == NOW
    finally:
        library.close()


def test_safety_columns_appear_when_curated_and_charts_are_drawn_in_the_pdf(qapp, library,
                                                                            tmp_path):
    from pypdf import PdfReader

    from tracker.services.exports.comparison import build_comparison
    from tracker.ui.pdf import render_pdf

    library.trials.insert([Trial(
        id="NCT03548207", acronym="CARTITUDE-1", modality="car-t",
        outcomes=[_outcome("ORR", "97.9%"), _outcome("CR", "82.5%"),
                  _outcome("grade ≥3 CRS", "4%"), _outcome("ICANS grade ≥3", "2%")])])
    library.watchlists.add("CLL – December", ["NCT03548207"])
    comparison = build_comparison(build_handout(library, "CLL – December", now=NOW))
    assert [m.label for m in comparison.metrics] == ["ORR", "CR", "PFS", "CRS ≥3", "ICANS ≥3"]
    reader = PdfReader(io.BytesIO(_export(library, "pdf", tmp_path, pdf_renderer=render_pdf)))
    images = [x for page in reader.pages
              for x in page["/Resources"].get("/XObject", {}).get_object().values()
              if x.get_object()["/Subtype"] == "/Image" and x.get_object()["/Width"] > 1]
    assert images == []  # the charts are vectors, not pictures of them
    words = "\n".join(page.extract_text() for page in reader.pages).split("\n")
    # the timeline (CLL14 has dates): its years, today and the meeting, with the trial's bar
    assert {"2014", "2028", "today", "meeting", "CLL14"} <= set(words)
    # the ORR/CR dot plot: its percentage axis and the trial that has both figures
    assert {"0%", "20%", "40%", "60%", "80%", "100%", "CARTITUDE-1"} <= set(words)
    html = _export(library, "html", tmp_path).decode()
    assert html.count("<svg") == 2 and "Responses: ORR and CR" in html


def test_an_export_made_before_the_export_log_is_still_the_last_one(tmp_path):
    """A library whose list was exported before the export log existed (only the old
    `last_exported_at` column said when): after the upgrade the log holds that export, and
    the last export and "changes since" read it from there."""
    import sqlite3

    from tracker.store import Library
    from tracker.store.migrations import _V_EXPORT_LOG, MIGRATIONS, migrate

    path = tmp_path / "lib.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, path, target=MIGRATIONS.index(_V_EXPORT_LOG))  # the schema before the log
    conn.execute("INSERT INTO watchlists (name, description, position, created_at, "
                 "last_exported_at) VALUES ('CLL', '', 0, '2025-01-01', ?)", (NOW.isoformat(),))
    conn.close()
    library = Library(path)
    try:
        assert library.watchlists.last_exported_at("CLL") == NOW
        later = NOW + dt.timedelta(days=20)
        library.watchlists.record_export("CLL", later)
        assert library.watchlists.last_exported_at("CLL") == later
        assert library.watchlists.last_exported_before("CLL", later.date()) == NOW
    finally:
        library.close()


def test_the_mrd_column_says_which_mrd_each_figure_is(curated):
    """CLL14's 40% is undetectable MRD at 10⁻⁶; MURANO's figures are uMRD at the
    usual threshold: one column holds both, so each figure says what it is when the heading
    ("MRD−", MRD negativity) does not."""
    from tracker.services.exports.comparison import build_comparison, cell_text
    from tracker.services.exports.markdown import render_markdown

    curated.watchlists.create("CLL")
    curated.watchlists.add("CLL", ["NCT02242942", "NCT02005471"])  # CLL14, MURANO
    handout = build_handout(curated, "CLL", now=NOW)
    comparison = build_comparison(handout)
    [mrd] = [m for m in comparison.metrics if m.label == "MRD−"]
    cells = {row.nct_id: [cell_text(f) for f in row.cells.get(mrd.key, [])]
             for row in comparison.rows}
    assert cells["NCT02242942"][0].startswith("40% (uMRD, <10⁻⁶")
    assert [text.split(" [")[0] for text in cells["NCT02005471"]] == ["62%ᶜ (uMRD)",
                                                                        "70.3%ᵈ (uMRD)"]
    assert "40% (uMRD, &lt;10⁻⁶) " in render_markdown(handout)
