"""A study whose registry text hides and reorders itself (the reviewer's NCT06900003): a brief
title that starts with a right-to-left override and holds terminal escape sequences, an
acronym that is only a right-to-left mark, a lead sponsor that is only a zero-width space."""

from __future__ import annotations

from typing import Any

from tests.fakes.studies import make_study

HOSTILE_ID = "NCT06900003"
HOSTILE_TITLE = ("\u202eBCMA CAR-T\u200b study \x1b[31mRED\x1b[0m \U0001f9ec " + "x" * 400)
#: What the title reads as once cleaned.
CLEAN_TITLE = "BCMA CAR-T study RED \U0001f9ec " + "x" * 400
HIDDEN = ("\u202e", "\u200b", "\u200f", "\x1b")


def hostile_study(last_update: str = "2026-11-22") -> dict[str, Any]:
    study = make_study(HOSTILE_ID, title=HOSTILE_TITLE, status="RECRUITING",
                       interventions=("BCMA CAR-T",), conditions=("Multiple Myeloma",),
                       sponsor="\u200b", acronym="\u200f", last_update=last_update)
    study["protocolSection"]["descriptionModule"]["briefSummary"] = (
        "BCMA CAR-T chimeric antigen receptor. <script>alert(1)</script> =HYPERLINK(\"x\")")
    return study
