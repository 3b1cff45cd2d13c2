"""Background indexing: changed products reach the search index after commit.

Every change records its products in `ProductReindex` inside its own
transaction (`reindex_on_commit`), and sends the reindex task once it
commits. The task deletes the records it has served; records whose task was
never sent (the broker was down) or failed (OpenSearch was down) are picked
up by `reindex_sweep_task`, which beat runs every minute.
"""

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from marketplace.core.locks import run_slot
from marketplace.core.tasks import enqueue
from marketplace.outbox.models import ProductReindex
from search.client import opensearch_client
from search.indexing import ALIAS, index_rebuild, products_index

logger = logging.getLogger(__name__)

CHUNK = 1000
# The sweep leaves records younger than this to the task sent at commit.
SWEEP_GRACE = timedelta(minutes=2)
# Products per sweep run; the next run takes the rest.
SWEEP_BATCH = 20 * CHUNK


@shared_task(name="search.reindex_products", ignore_result=True)
def reindex_products_task(product_ids: list[int]) -> int:
    """Reindex these products in place and clear their records."""
    return products_reindex(product_ids=product_ids)


def products_reindex(*, product_ids) -> int:
    """Reindex `product_ids` if an OpenSearch index exists, then delete the
    `ProductReindex` records this run has served; return how many documents
    were written.

    The records are read before the products, so each one deleted belongs
    to a change this run's read already sees; a change committed meanwhile
    keeps its record for its own task or the sweep. Without OpenSearch, or
    before the first `search_index --rebuild` (no alias: writing would
    auto-create a plain index under the alias's name), nothing is written,
    and the records are dropped: the rebuild indexes everything. If
    OpenSearch fails, the records stay and this raises.
    """

    ids = sorted({int(pk) for pk in product_ids})
    served = list(ProductReindex.objects.filter(product_id__in=ids).values_list("pk", flat=True))
    written = _index(ids)
    for start in range(0, len(served), CHUNK):
        ProductReindex.objects.filter(pk__in=served[start : start + CHUNK]).delete()
    return written


def _index(product_ids: list[int]) -> int:
    if not settings.OPENSEARCH_URL:
        return 0

    client = opensearch_client(timeout=30)
    if not client.indices.exists_alias(name=ALIAS):
        logger.info("no search index yet; run manage.py search_index --rebuild")
        return 0
    return products_index(client=client, product_ids=product_ids)


@shared_task(name="search.reindex_sweep", ignore_result=True)
def reindex_sweep_task() -> int:
    """Reindex the products whose records outlived the grace period (their
    task never ran, or failed); beat runs it every minute. Returns how many
    documents were written."""

    late = (
        ProductReindex.objects.filter(requested_at__lt=timezone.now() - SWEEP_GRACE)
        .order_by("product_id")
        .values_list("product_id", flat=True)
        .distinct()[:SWEEP_BATCH]
    )
    ids = list(late)
    return sum(
        products_reindex(product_ids=ids[start : start + CHUNK])
        for start in range(0, len(ids), CHUNK)
    )


REBUILD_SLOT = 0x0C0B_5A13
"""The `run_slot` a rebuild holds: two at once would each swap the alias
from the index they found, and the loser would fail with its new index
left behind, unaliased."""


@shared_task(name="search.rebuild", ignore_result=True)
def index_rebuild_task() -> str:
    """Build a fresh product index and swap the alias (the nightly job, so
    popularity reaches ranking). Returns the new index's name, or "" when it
    built none: search runs on the database, or another rebuild is running
    (the task delivered twice), which is left to finish alone."""
    if not settings.OPENSEARCH_URL:
        return ""
    with run_slot(REBUILD_SLOT) as ours:
        if not ours:
            logger.info("search index rebuild already running; this delivery skipped")
            return ""
        return index_rebuild(client=opensearch_client(timeout=60))


class _ReindexGroup:
    """The products a transaction asked to reindex. Every write in the
    transaction adds to it; the first of its after-commit callbacks to run
    sends them all, once, and the rest find nothing left to do. A save
    receiver and a bulk sync touching one product thus reindex it once."""

    def __init__(self, hooks: list) -> None:
        self.hooks = hooks  # the connection's run_on_commit list it belongs to
        self.pending: set[int] = set()

    def flush(self) -> None:
        """Send the reindex; best effort (an after-commit hook must not
        raise), since the records wait for the sweep if it is not sent."""
        ids, self.pending = sorted(self.pending), set()
        for start in range(0, len(ids), CHUNK):
            enqueue(reindex_products_task, ids[start : start + CHUNK])


class _ReindexBatch:
    """One after-commit callback: the products one write asked for."""

    def __init__(self, group: _ReindexGroup, product_ids: set[int]) -> None:
        self.group = group
        self.product_ids = product_ids

    def __call__(self) -> None:
        self.group.flush()


def reindex_on_commit(product_ids) -> None:
    """Record that `product_ids` need reindexing, in the current
    transaction, and queue their reindex once it commits.

    Each call registers its own callback, so a savepoint rollback drops
    exactly its records and callbacks, as Django does for any hook; the
    transaction's group then reindexes the union once. Outside a
    transaction Django runs the hook at once. A commit (or a rollback to a
    savepoint) gives the connection a new hook list, and with it a new
    group. Without OpenSearch nothing is recorded or sent.
    """
    from django.db import transaction

    ids = {int(pk) for pk in product_ids}
    if not ids or not settings.OPENSEARCH_URL:
        return
    ProductReindex.objects.bulk_create(
        [ProductReindex(product_id=pk) for pk in sorted(ids)], batch_size=CHUNK
    )
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
