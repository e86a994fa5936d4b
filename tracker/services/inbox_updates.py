"""What a check's newer records changed in the inbox studies it replaced them in: those a
search found again, and those it asked for by id.

The old and the new record are compared by the change log's rule (`derive_changes` over the
fields a record carries without its raw study: `versions.facts_from_fields`), and by the
inbox's own facts that rule does not see: title, phases, conditions, interventions, summary
and the sites summary. A record equal in all of them and in its last-update date changed
nothing, so it is not called updated (a first check asks for every other inbox record).
"""

from __future__ import annotations

import json

from tracker.ctgov import RegistryRecord
from tracker.domain.changes import derive_changes
from tracker.domain.inbox import sites_from_dict
from tracker.domain.inbox_updates import InboxUpdate, inbox_update
from tracker.services.versions import facts_from_fields
from tracker.store.discovery import FoundRow, Replaced
from tracker.store.timestamps import utc_now

#: Record fields the inbox shows beyond the change log's (field, the kind of change it is)
ALSO_SHOWN = (("brief_title", "title"), ("acronym", "acronym"), ("phases", "phases"),
              ("conditions", "conditions"), ("interventions", "interventions"),
              ("brief_summary", "summary"))


def inbox_updates(replaced: Replaced, rows: list[FoundRow]) -> list[InboxUpdate]:
    """The updates of the studies whose records `rows` replaced (`replaced`: {id: (old
    record JSON, old sites JSON)}, as `InboxRepository.refresh` and
    `SavedSearchRepository.record_check` return it); a study on two pages counts once."""
    newest = {row.nct_id: row for row in rows}.values()  # the one stored, as record_check
    updates = [_update(row, *replaced[row.nct_id]) for row in newest if row.nct_id in replaced]
    return [update for update in updates if update is not None]


def _update(row: FoundRow, old_json: str, old_sites: str | None) -> InboxUpdate | None:
    old = RegistryRecord.model_validate_json(old_json)
    new = RegistryRecord.model_validate_json(row.record_json)
    changes = derive_changes(facts_from_fields(old), facts_from_fields(new),
                             trial_id=new.nct_id, registry_date=new.last_update_posted,
                             seen_at=utc_now())
    also = [kind for name, kind in ALSO_SHOWN if getattr(old, name) != getattr(new, name)]
    if _sites_changed(old_sites, row.sites_json, same_status=old.status == new.status):
        also.append("sites")
    if not changes and not also and old.last_update_posted == new.last_update_posted:
        return None
    return inbox_update(new.nct_id, changes, also, new.why_stopped)


def _sites_changed(old_json: str | None, new_json: str | None, same_status: bool) -> bool:
    """Whether the sites summary says something else now (no new summary: the old stays);
    a new status is not a change of sites too (`SitesSummary.same_sites`)."""
    new = sites_from_dict(json.loads(new_json)) if new_json else None
    old = sites_from_dict(json.loads(old_json)) if old_json else None
    return new is not None and not new.same_sites(old, recruiting=same_status)
