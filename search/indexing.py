"""Build search documents from the catalogue and (re)build the index.

`index_rebuild` writes a fresh, dated index and then points the alias at it
in one atomic `update_aliases` call, so queries keep answering from the old
index until the new one is complete. On a cluster the new index has
`OPENSEARCH_REPLICAS` copies of each shard, and goes live only once every
copy is in place: a node lost just after the swap then loses no products.
"""

import logging
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime

from django.conf import settings
from opensearchpy import OpenSearch
from opensearchpy.helpers import bulk
from oscar.core.loading import get_model

from marketplace.ocop.text import nfc
from marketplace.pagecache.generation import generation_bump
from search.documents import ProductDocument
from search.popularity import product_popularity

logger = logging.getLogger(__name__)

ALIAS = settings.OPENSEARCH_PRODUCTS_ALIAS


def product_document(product) -> dict:
    """The search document for one product (with its certificate)."""
    cert = product.certificate
    producer = cert.producer if cert else None
    records = list(product.stockrecords.all())
    record = records[0] if records else None
    price = float(record.price) if record and record.price is not None else None
    return {
        "_id": product.pk,
        "product_id": product.pk,
        "categories": [category.pk for category in product.categories.all()],
        "title": nfc(product.title),
        "title_suggest": nfc(product.title),
        "description": nfc(product.description),
        "producer": nfc(producer.name) if producer else "",
        "producer_id": producer.pk if producer else None,
        "product_type": cert.product_type if cert else None,
        "sector": cert.sector if cert else None,
        "stars": cert.stars if cert else 0,
        "is_potential_five_star": bool(cert and cert.is_potential_five_star),
        "province": producer.province if producer else None,
        "ward": producer.ward if producer else None,
        "craft_village": None,
        "price": price,
        "in_stock": bool(record and (record.num_in_stock or 0) > (record.num_allocated or 0)),
        "has_price": price is not None,
        "is_public": bool(product.is_public),
        "producer_active": bool(producer and producer.is_active),
        "certificate_status": cert.status if cert else "none",
        "issued_on": cert.issued_on.isoformat() if cert else None,
        "expiry_date": cert.expiry_date.isoformat() if cert else None,
        "date_created": product.date_created.isoformat(),
        "popularity": product_popularity(product),
    }


def indexable_products():
    """Every product with a certificate; the listing rule filters at query time."""
    Product = get_model("catalogue", "Product")
    return (
        Product.objects.filter(certificate__isnull=False)
        .select_related("certificate__producer", "stats")
        .prefetch_related("stockrecords", "categories")
        .order_by("pk")
    )


def _actions(index: str, products: Iterable) -> Iterator[dict]:
    for product in products:
        doc = product_document(product)
        doc["_index"] = index
        yield doc


def index_rebuild(
    *, client: OpenSearch, progress: Callable[[int], None] | None = None, chunk_size: int = 1000
) -> str:
    """Index every product into a new index, swap the alias to it, and drop
    the indexes the alias pointed at before. Returns the new index's name."""
    name = f"{ALIAS}-{datetime.now(UTC):%Y%m%d%H%M%S%f}"
    index = ProductDocument._index.clone(name)
    index.settings(number_of_replicas=settings.OPENSEARCH_REPLICAS)
    index.create(using=client)
    done = 0
    for ok, _item in _bulk_stream(
        client, _actions(name, indexable_products().iterator(2000)), chunk_size
    ):
        if ok:
            done += 1
            if progress and done % chunk_size == 0:
                progress(done)
    client.indices.refresh(index=name)
    _copies_wait(client, name)
    old = (
        list(client.indices.get_alias(name=ALIAS).keys())
        if client.indices.exists_alias(name=ALIAS)
        else []
    )
    actions = [{"remove": {"index": i, "alias": ALIAS}} for i in old]
    actions.append({"add": {"index": name, "alias": ALIAS}})
    client.indices.update_aliases(body={"actions": actions})
    # Listing pages read the index: pages cached from the old one are stale.
    generation_bump()
    for index in old:
        client.indices.delete(index=index, ignore_unavailable=True)
    if progress:
        progress(done)
    return name


def _copies_wait(client: OpenSearch, index: str) -> None:
    """Wait (20 s at most) until every copy of `index` is allocated and
    started. If they are not (more replicas than the cluster has nodes for),
    the index still answers from its primaries: warn, and go on."""
    # `timeout` is OpenSearch's wait; `request_timeout` the client's, longer
    health = client.cluster.health(
        index=index, wait_for_status="green", timeout="20s", request_timeout=30, ignore=408
    )
    if health.get("status") != "green":
        logger.warning(
            "index %s is %s: OPENSEARCH_REPLICAS=%s wants more nodes than answer",
            index,
            health.get("status"),
            settings.OPENSEARCH_REPLICAS,
        )


def _bulk_stream(client, actions, chunk_size):
    from opensearchpy.helpers import streaming_bulk

    yield from streaming_bulk(client, actions, chunk_size=chunk_size, raise_on_error=True)


def products_index(*, client: OpenSearch, product_ids: Iterable[int]) -> int:
    """(Re)index some products in place, e.g. after a sync or an edit."""
    products = indexable_products().filter(pk__in=list(product_ids))
    # Wait until searches see the documents, then retire every cached page:
    # a page rendered between the database commit (which bumped the
    # generation) and this update would otherwise keep the old listing.
    ok, _errors = bulk(client, _actions(ALIAS, products), refresh="wait_for")
    generation_bump()
    return ok
