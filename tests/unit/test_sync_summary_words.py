"""Registry messages in consistent words: an endless-pages sync says which trials were not
checked (the counts add up to the ids asked, "1 trial was", never "1 trials were"), and sizes are binary megabytes like the
limits they report ("64 MB", never "67 MB") (real loopback server, real library file)."""

from __future__ import annotations

import json

from tests.fakes.faults import Fault
from tests.unit.test_cli import run
from tests.unit.test_registry_misbehaving import IDS, server  # noqa: F401 (fixture)
from tracker.ctgov.transport import MAX_ANSWER_BYTES, _megabytes


def test_size_limits_are_said_in_the_megabytes_they_are_set_in():
    assert _megabytes(MAX_ANSWER_BYTES) == "64 MB"
    assert _megabytes(20 * 1024 * 1024) == "20 MB"
    assert _megabytes(1536 * 1024) == "1.5 MB"


def test_endless_pages_say_the_trials_were_not_checked(capsys, server,  # noqa: F811
                                                       _isolated_data_dir):
    (_isolated_data_dir / "preferences.json").write_text(json.dumps({"request_pace_seconds": 0}))
    assert run(capsys, "--api-url", server.base_url, "add", "NCT03701282")[0] == 0
    run(capsys, "watchlist", "create", "AML")
    assert run(capsys, "watchlist", "add", "AML", *IDS)[0] == 0
    server.inject(Fault.ENDLESS_PAGES, times=1000)
    code, out, err = run(capsys, "--api-url", server.base_url, "sync", "--watchlist", "AML")
    assert code == 1 and "more pages" in err
    headline = next(line for line in out.splitlines() if line.startswith(f"{len(IDS)} trials"))
    counts = [int(word) for word in headline.replace(",", " ").split()[2:] if word.isdigit()]
    assert sum(counts) == len(IDS) and "not checked" in headline, headline
    unchecked = int(headline.rsplit(", ", 1)[1].split()[0])
    were = "trial was" if unchecked == 1 else "trials were"
    assert f"{unchecked} {were} not checked" in err and "1 trials" not in err
