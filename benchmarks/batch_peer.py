"""The simple batch peer: what a plain tracker script does, with no incremental logic.

It asks `GET /studies?filter.ids=…` for 200 ids at a time for the same fields as the app's
first pass (whole records, which the app keeps as versions: `fields_param(full=True)`), follows `nextPageToken`, parses each page with `json.loads` and upserts one
row per study into a SQLite table, one transaction per page, keeping the same pace between
request starts as the app. Every sync is a full fetch. It is the honest comparison for the
app's sync (issue 13): same server, same fields, same pace, same durable storage.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import requests

from tracker.ctgov.fields import fields_param

IDS_PER_REQUEST = 200


def peer_sync(base_url: str, ids: list[str], database: Path, pace: float) -> tuple[int, int]:
    """Fetch and store every id; return (studies stored, requests sent)."""
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE IF NOT EXISTS studies (id TEXT PRIMARY KEY, title TEXT, "
                       "status TEXT, last_update TEXT, record TEXT)")
    stored = requests_sent = 0
    next_start = 0.0
    with requests.Session() as session:
        for start in range(0, len(ids), IDS_PER_REQUEST):
            params = {"filter.ids": ",".join(ids[start:start + IDS_PER_REQUEST]),
                      "fields": fields_param(full=True), "pageSize": "1000"}
            while True:
                time.sleep(max(0.0, next_start - time.monotonic()))
                next_start = time.monotonic() + pace
                response = session.get(f"{base_url}/studies", params=params, timeout=30)
                requests_sent += 1
                response.raise_for_status()
                page = json.loads(response.content)
                with connection:
                    connection.executemany(
                        "INSERT OR REPLACE INTO studies VALUES (?, ?, ?, ?, ?)",
                        [_row(study) for study in page["studies"]])
                stored += len(page["studies"])
                if "nextPageToken" not in page:
                    break
                params["pageToken"] = page["nextPageToken"]
    connection.close()
    return stored, requests_sent


def _row(study: dict) -> tuple:
    protocol = study["protocolSection"]
    status = protocol.get("statusModule", {})
    return (protocol["identificationModule"]["nctId"],
            protocol["identificationModule"].get("briefTitle"), status.get("overallStatus"),
            status.get("lastUpdatePostDateStruct", {}).get("date"), json.dumps(study))
