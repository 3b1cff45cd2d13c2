"""The nightly index rebuild delivered twice at once: one builds and swaps
the alias, the other builds nothing, and no index is left behind."""

import re
import time

import pytest

from search import tasks
from search.indexing import ALIAS
from tests.factories import certified_product_create
from tests.twice import committed_db, deliver_at_once


@pytest.fixture
def built_indexes(os_client):
    """The indexes named like the alias's, whatever holds the alias; all
    are removed after the test."""

    def listed() -> list[str]:
        # a rebuild names its index the alias and a timestamp; other names
        # that merely start like it (another site's alias) are not ours
        named = os_client.indices.get(index=f"{ALIAS}-*", allow_no_indices=True)
        return sorted(name for name in named if re.fullmatch(rf"{re.escape(ALIAS)}-[0-9]+", name))

    yield listed
    for index in listed():
        os_client.indices.delete(index=index, ignore_unavailable=True)


@committed_db
def test_delivered_twice_at_once_builds_one_index(os_client, built_indexes, monkeypatch):
    product = certified_product_create()
    # building takes a while, so the second delivery arrives mid-build
    rebuilding = tasks.index_rebuild

    def slow_rebuild(**kwargs):
        time.sleep(0.5)
        return rebuilding(**kwargs)

    monkeypatch.setattr(tasks, "index_rebuild", slow_rebuild)
    results = deliver_at_once(tasks.index_rebuild_task)
    built = [name for name in results if name]
    assert len(built) == 1 and results.count("") == 1
    assert list(os_client.indices.get_alias(name=ALIAS)) == built
    assert built_indexes() == built
    assert os_client.get(index=ALIAS, id=product.pk)["found"]
