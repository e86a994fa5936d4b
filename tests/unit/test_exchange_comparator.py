"""A randomised trial's curated comparator never travels in a watch-list file: every library
ships it with the curated data, and the previous build refuses a file that carries it (a
colleague could not import a list holding VIALE-A or ZUMA-7)."""

from __future__ import annotations

import json

from tracker.services.exports import export_bytes
from tracker.services.importer import import_file
from tracker.services.library import open_library

ZUMA7 = "NCT03391466"


def test_a_list_file_carries_no_comparator_and_the_importer_still_has_it(seeded_library,
                                                                         tmp_path):
    assert seeded_library.trials.get(ZUMA7).comparator == "standard of care"
    seeded_library.watchlists.create("CAR-T club")
    seeded_library.watchlists.add("CAR-T club", [ZUMA7, "NCT02993523"])
    data = export_bytes(seeded_library, "CAR-T club", "json")
    assert all("comparator" not in trial for trial in json.loads(data)["trials"])
    (tmp_path / "club.json").write_bytes(data)
    colleague = open_library(tmp_path / "colleague")
    try:
        import_file(colleague, tmp_path / "club.json")
        assert colleague.trials.get(ZUMA7).comparator == "standard of care"
    finally:
        colleague.close()
