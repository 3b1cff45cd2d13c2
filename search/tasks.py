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


def reindex_on_commit(product_ids) -> None:
    """Queue reindexing of `product_ids` once the current transaction commits."""
    from django.db import transaction

    ids = sorted(set(product_ids))
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        transaction.on_commit(lambda chunk=chunk: reindex_products_task.delay(chunk))
