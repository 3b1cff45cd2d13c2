"""Product views, counted off the request.

The product page is served from a shared cache and runs no view code, so a
view is counted by the visitor's browser calling `catalogue:product-seen`,
and even that request only adds one to a Redis hash (HINCRBY, through the
default cache's client). A Celery beat task moves the counts into
`ProductRecord.num_views` once a minute (`product_views_flush`), one
statement for the lot: no request waits on, or fights over, a row lock on
a popular product's record. Search ranks by those records
(`search.popularity`), at most a minute late.

Views are an analytics signal, not a ledger: with Redis down a view is
simply not counted, and a flush that dies between taking the counts and
committing them loses that minute's views (it never counts one twice).
Without a Redis cache at all (the embedded default, one user) the view
is added to the record at once.
"""

import logging

from django.core.cache import cache
from django.db import connection, transaction
from oscar.core.loading import get_model

from marketplace.analytics.counters import counter_add

logger = logging.getLogger(__name__)

ProductRecord = get_model("analytics", "ProductRecord")
Product = get_model("catalogue", "Product")

VIEWS_HASH = "analytics:product-views"


def _redis():
    """The default cache's redis-py client (with its circuit breaker,
    marketplace.core.cache), or None when the cache is not Redis."""
    get_client = getattr(getattr(cache, "client", None), "get_client", None)
    return get_client(write=True) if get_client else None


def _views_key() -> str:
    return cache.make_key(VIEWS_HASH)


def product_view_count(*, product_id: int) -> bool:
    """Count one view of a product. Returns whether it was counted; never
    raises (Redis down or hanging: not counted, logged)."""
    try:
        redis = _redis()
        if redis is None:
            counter_add(ProductRecord, "num_views", {"product_id": product_id})
            return True
        redis.hincrby(_views_key(), str(product_id), 1)
    except Exception:
        logger.warning("product view not counted (product %s)", product_id, exc_info=True)
        return False
    return True


def _counts_take(redis) -> dict[int, int]:
    """Read and delete the counted views in one Redis transaction, so views
    counted meanwhile wait for the next flush and none is read twice."""
    key = _views_key()
    pipe = redis.pipeline(transaction=True)
    pipe.hgetall(key)
    pipe.delete(key)
    raw, _deleted = pipe.execute()
    counts = {}
    for product_id, views in raw.items():
        try:
            counts[int(product_id)] = int(views)
        except ValueError:
            continue
    return counts


def _counts_give_back(redis, counts: dict[int, int]) -> None:
    try:
        pipe = redis.pipeline(transaction=False)
        for product_id, views in counts.items():
            pipe.hincrby(_views_key(), str(product_id), views)
        pipe.execute()
    except Exception:
        logger.exception("lost %s product views that could not be saved", sum(counts.values()))


def _records_add(counts: dict[int, int]) -> None:
    """Add the views to each product's record, creating records as needed;
    products deleted since they were viewed are skipped."""
    if connection.vendor != "postgresql":
        for product_id, views in counts.items():
            if Product.objects.filter(pk=product_id).exists():
                counter_add(ProductRecord, "num_views", {"product_id": product_id}, views)
        return
    table = connection.ops.quote_name(ProductRecord._meta.db_table)
    products = connection.ops.quote_name(Product._meta.db_table)
    ids, views = zip(*sorted(counts.items()), strict=True)
    with connection.cursor() as cursor:
        # the table names come from the models, quoted; the values are parameters
        cursor.execute(
            f"""
            INSERT INTO {table}
                (product_id, num_views, num_basket_additions, num_purchases, score)
            SELECT seen.id, seen.views, 0, 0, 0
            FROM unnest(%s::integer[], %s::integer[]) AS seen(id, views)
            WHERE EXISTS (SELECT 1 FROM {products} p WHERE p.id = seen.id)
            ON CONFLICT (product_id)
            DO UPDATE SET num_views = {table}.num_views + EXCLUDED.num_views
            """,  # noqa: S608
            [list(ids), list(views)],
        )


def product_views_flush() -> int:
    """Move the views counted in Redis into the product records; returns how
    many views were moved. A no-op without a Redis cache."""
    redis = _redis()
    if redis is None:
        return 0
    try:
        counts = _counts_take(redis)
    except Exception:
        logger.warning("product views not flushed: Redis unavailable", exc_info=True)
        return 0
    if not counts:
        return 0
    try:
        with transaction.atomic():
            _records_add(counts)
    except Exception:
        _counts_give_back(redis, counts)
        raise
    return sum(counts.values())
