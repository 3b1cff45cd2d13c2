"""Background indexing: changed products reach the search index after commit."""

import logging

from celery import shared_task
from django.conf import settings

logger = logging.getLogger(__name__)

CHUNK = 1000


@shared_task(name="search.reindex_products", ignore_result=True)
def reindex_products_task(product_ids: list[int]) -> int:
    """Reindex these products in place, if an OpenSearch index exists.

    Before the first `search_index --rebuild` there is no alias; writing to
    it would auto-create a plain index under the alias's name, so we skip.
    """
    if not settings.OPENSEARCH_URL:
        return 0
    from search.client import opensearch_client
    from search.indexing import ALIAS, products_index

    client = opensearch_client(timeout=30)
    if not client.indices.exists_alias(name=ALIAS):
        logger.info("no search index yet; run manage.py search_index --rebuild")
        return 0
    return products_index(client=client, product_ids=product_ids)


@shared_task(name="search.rebuild", ignore_result=True)
def index_rebuild_task() -> str:
    """Build a fresh product index and swap the alias (the nightly job, so
    popularity reaches ranking). Returns the new index's name, or "" when
    search runs on the database."""
    if not settings.OPENSEARCH_URL:
        return ""
    from search.client import opensearch_client
    from search.indexing import index_rebuild

    return index_rebuild(client=opensearch_client(timeout=60))


class _ReindexGroup:
    """The products a transaction asked to reindex. Every write in the
    transaction adds to it; the first of its after-commit callbacks to run
    reindexes them all, once, and the rest find nothing left to do. A save
    receiver and a bulk sync touching one product thus reindex it once."""

    def __init__(self, hooks: list) -> None:
        self.hooks = hooks  # the connection's run_on_commit list it belongs to
        self.pending: set[int] = set()

    def flush(self) -> None:
        ids, self.pending = sorted(self.pending), set()
        for start in range(0, len(ids), CHUNK):
            reindex_products_task.delay(ids[start : start + CHUNK])


class _ReindexBatch:
    """One after-commit callback: the products one write asked for."""

    def __init__(self, group: _ReindexGroup, product_ids: set[int]) -> None:
        self.group = group
        self.product_ids = product_ids

    def __call__(self) -> None:
        self.group.flush()


def reindex_on_commit(product_ids) -> None:
    """Queue reindexing of `product_ids` once the current transaction commits.

    Each call registers its own callback, so a savepoint rollback drops
    exactly its callbacks, as Django does for any hook; the transaction's
    group then reindexes the union once. Outside a transaction Django runs
    the hook at once. A commit (or a rollback to a savepoint) gives the
    connection a new hook list, and with it a new group.
    """
    from django.db import transaction

    ids = {int(pk) for pk in product_ids}
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        group = _ReindexGroup(hooks=[])
    else:
        group = getattr(connection, "_reindex_group", None)
        if group is None or group.hooks is not connection.run_on_commit:
            group = _ReindexGroup(hooks=connection.run_on_commit)
            connection._reindex_group = group
    group.pending.update(ids)
    transaction.on_commit(_ReindexBatch(group, ids))
