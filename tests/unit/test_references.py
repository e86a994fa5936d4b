"""Sources a reader can cite: the bibliographic records in db/sources.json and the citations."""

from __future__ import annotations

import json

import pytest

from tests.conftest import REPO_ROOT
from tracker.curated import CuratedDataError, load_curated_files
from tracker.curated.sources import load_reference_book
from tracker.domain import Source
from tracker.domain.references import UNLISTED_SOURCE

SOURCES = REPO_ROOT / "db" / "sources.json"
BOOK = load_reference_book(SOURCES)


def test_every_review_behind_a_curated_file_has_a_record():
    files = {f.source.file for f in load_curated_files(REPO_ROOT / "db" / "curated")}
    assert all(BOOK.reference(file) is not None for file in files)
    assert len(BOOK) == len(files) == 5


@pytest.mark.parametrize(("file", "citation"), [
    ("000_50fe522fa3562aed.txt", "Han et al., Front Pharmacol 2025, Table 3"),
    ("001_d66ba4ea082c8ca3.txt", "Hanbali et al., J Hematol 2025, Table 3"),
    ("003_71872ca76c80aa24.txt", "Liu et al., Exp Hematol Oncol 2024, Table 3"),
    ("004_1c3759fde8d02089.txt", "Scienmag report on Bai et al., BMC Cancer 2025, Table 3"),
])
def test_a_figure_cites_author_journal_year_and_locator_never_the_file(file, citation):
    assert BOOK.cite(Source(file=file, locator="Table 3")) == citation


def test_full_entries_carry_what_each_review_prints_about_itself():
    gao = BOOK.reference("002_0a27361239216982.txt").entry()
    assert gao == ("Gao P, et al. Immunotherapy in chronic lymphocytic leukemia: advances and "
                   "challenges. Exp Hematol Oncol. 2025 Apr 10;14(1):53. "
                   "doi:10.1186/s40164-025-00644-5")
    assert BOOK.reference("000_50fe522fa3562aed.txt").entry().startswith("Han et al. Novel ")
    assert BOOK.reference("003_71872ca76c80aa24.txt").entry() == (
        "Liu et al. Exp Hematol Oncol. 2024;13:22.")
    bai = BOOK.reference("004_1c3759fde8d02089.txt").entry()
    assert bai.startswith("Scienmag report on: Bai JF, Wang T, Li JT, et al. Efficacy")
    assert bai.endswith("BMC Cancer. 2025;25:990. doi:10.1186/s12885-025-14167-z")


def test_numbered_list_is_in_first_cited_order_without_duplicates_or_unknown_files():
    files = ["003_71872ca76c80aa24.txt", "elsewhere.txt", "000_50fe522fa3562aed.txt",
             "003_71872ca76c80aa24.txt"]
    numbered = BOOK.numbered(files)
    assert [(n, f) for n, f, _ in numbered] == [(1, "003_71872ca76c80aa24.txt"),
                                                (2, "000_50fe522fa3562aed.txt")]
    assert BOOK.cite(Source(file="elsewhere.txt", locator="p. 3")) == f"{UNLISTED_SOURCE}, p. 3"


def test_a_broken_sources_file_is_one_clear_error(tmp_path):
    data = json.loads(SOURCES.read_text())
    data["references"]["000_50fe522fa3562aed.txt"]["doi"] = "not a doi"
    broken = tmp_path / "sources.json"
    broken.write_text(json.dumps(data))
    with pytest.raises(CuratedDataError, match="sources.json"):
        load_reference_book(broken)
    broken.write_text("{")
    with pytest.raises(CuratedDataError, match="sources.json"):
        load_reference_book(broken)
