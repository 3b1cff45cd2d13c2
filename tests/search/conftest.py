"""Search fixtures: the real OpenSearch, cleaned after each test."""

import pytest

from search.backends.database import DatabaseBackend
from search.backends.opensearch import OpenSearchBackend
from search.indexing import index_rebuild


@pytest.fixture(params=["opensearch", "database"])
def backend(request, db):
    """Each backend, ready to search once `ready()` is called after the data
    is in place (OpenSearch needs an index build; the database does not)."""
    if request.param == "opensearch":
        client = request.getfixturevalue("os_client")
        search_backend = OpenSearchBackend(client)
        search_backend.ready = lambda: index_rebuild(client=client)
    else:
        search_backend = DatabaseBackend()
        search_backend.ready = lambda: None
    return search_backend
