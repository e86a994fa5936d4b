"""A discovery service over the seeded library and the loopback registry with one saved
search of the test's own (the shipped defaults are removed: they are tested elsewhere)."""

from __future__ import annotations

from collections.abc import Iterator

from tests.fakes.clients import fast_client
from tracker.domain.searches import SavedSearch, SearchCriteria
from tracker.services.discovery import DiscoveryService


def one_search_service(library, server, name: str, criteria: SearchCriteria
                       ) -> Iterator[DiscoveryService]:
    """Yield the service (for a pytest fixture); its client is closed afterwards."""
    client = fast_client(server)
    service = DiscoveryService(library, client)
    for search in service.searches.all():
        service.searches.remove(search.name)
    service.searches.add(SavedSearch(name=name, criteria=criteria))
    yield service
    client.close()
