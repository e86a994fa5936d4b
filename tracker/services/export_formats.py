"""The export formats by name: a module of its own, so the command line can list them without
importing the exporters (they pull in the handout builder, charts and the spreadsheet writer)."""

from __future__ import annotations

FORMATS = ("csv", "xlsx", "md", "html", "pdf", "json", "ris", "ics")
