"""The export formats by name: a module of its own, so the command line can list them without
importing the exporters (they pull in the handout builder, charts and the spreadsheet writer)."""

from __future__ import annotations

FORMATS = ("csv", "xlsx", "md", "html", "pdf", "json", "ris", "ics")

#: The formats that report the list's changes in a window (the handouts, and the xlsx Changes
#: sheet). Only these are recorded as the list's exports: the next handout's "since the
#: list's last export" means the last one that told the club its changes, not a calendar, a
#: reference list or a file for a colleague made since.
CHANGE_FORMATS = ("pdf", "html", "md", "xlsx")
