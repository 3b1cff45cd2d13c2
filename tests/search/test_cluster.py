"""Search on a three-node OpenSearch cluster, one replica per shard.

A stream of searches goes through the shop's own search backend (the one
the search page asks) while one node stops, and while the index is rebuilt
and its alias swapped. Each answer is held to the listing rule: the ids a
database query of `Product.objects.listable()` gives for the same
selection. The database fallback would also answer by the listing rule, so
it is replaced by a recorder here: every answer must come from the cluster,
and the circuit breaker must stay closed.
"""

import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from oscar.core.loading import get_model

from search.backends import search_backend
from search.backends.base import SearchRequest, SearchResult
from search.backends.resilient import breaker_open
from search.client import opensearch_client
from search.indexing import ALIAS, index_rebuild, indexable_products
from tests.factories import certified_product_create, producer_create
from tests.search.cluster import cluster_remove, cluster_start

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    base = tmp_path_factory.mktemp("opensearch-cluster")
    running = cluster_start(base=base, size=3)
    print(f"\n3-node OpenSearch cluster up in {running.startup_seconds:.1f} s")
    yield running
    running.close()
    cluster_remove(base)


@pytest.fixture
def on_cluster(cluster, settings):
    """Settings that point the shop at every node of the cluster, with one
    replica per shard; yields a patient client for the test's own checks."""
    cluster.nodes_ensure()
    settings.OPENSEARCH_URL = ",".join(cluster.urls)
    settings.OPENSEARCH_REPLICAS = 1
    # This test measures failover, not speed: on a shared 2-core machine a
    # healthy three-node JVM can miss the half-second web budget now and
    # then, and a timeout (never retried) would open the breaker.
    settings.OPENSEARCH_TIMEOUT = 5.0
    client = opensearch_client(timeout=30)
    yield client
    if client.indices.exists_alias(name=ALIAS):
        for index in client.indices.get_alias(name=ALIAS):
            client.indices.delete(index=index, ignore_unavailable=True)
    client.close()


@pytest.fixture
def catalogue():
    """Listable products in two provinces, three sectors and 3-5 stars, and
    products the listing rule refuses (expired, 2 stars, withdrawn, hidden,
    no price)."""
    # producers' names match no query word: text search weighs them too
    hanoi = producer_create("HTX Thủ công Bát Tràng", province="Hà Nội")
    hue = producer_create("HTX Thuận Hưng", province="Huế")
    titles = {
        "handicraft": "Gốm sứ Bát Tràng",
        "food": "Mè xửng Thuận Hưng",
        "beverage": "Chè Shan tuyết",
    }
    for n in range(18):
        sector = list(titles)[n % 3]
        certified_product_create(
            title=f"{titles[sector]} {n}",
            sector=sector,
            stars=3 + n % 3,
            producer=hanoi if n % 2 else hue,
        )
    long_ago = date.today() - timedelta(days=1200)
    refused = [
        certified_product_create(
            title="Gốm sứ hết hạn", issued_on=long_ago, expiry_date=date.today() - timedelta(1)
        ),
        certified_product_create(title="Gốm hai sao", stars=2, sector="handicraft"),
        certified_product_create(title="Gốm thu hồi", status="withdrawn", sector="handicraft"),
        certified_product_create(title="Gốm không giá", price=None, sector="handicraft"),
        certified_product_create(title="Gốm ẩn", sector="handicraft"),
    ]
    Product.objects.filter(pk=refused[-1].pk).update(is_public=False)


def _queries() -> list[tuple[SearchRequest, set[int]]]:
    """What shoppers ask, each with the answer the listing rule gives."""
    today = date.today()
    listable = Product.objects.listable(on=today)

    def ids(queryset) -> set[int]:
        return set(queryset.values_list("pk", flat=True))

    asked = [
        (SearchRequest(on=today, limit=100), ids(listable)),
        (
            SearchRequest(on=today, filters={"stars": ["5"]}, limit=100),
            ids(listable.filter(certificate__stars=5)),
        ),
        (
            SearchRequest(on=today, filters={"sector": ["food"]}, sort="newest", limit=100),
            ids(listable.filter(certificate__sector="food")),
        ),
        (
            SearchRequest(on=today, filters={"province": ["Huế"]}, sort="price_asc", limit=100),
            ids(listable.filter(certificate__producer__province="Huế")),
        ),
        (
            SearchRequest(on=today, text="gốm", limit=100),
            ids(listable.filter(title__icontains="gốm")),
        ),
    ]
    assert all(expected for _request, expected in asked), "every query should find something"
    return asked


class _FallbackRecorder:
    """Stands in for the database fallback: records that it was asked, and
    answers nothing (so a fallback counts as a failed search here)."""

    def __init__(self) -> None:
        self.asked = 0

    def search(self, request) -> SearchResult:
        self.asked += 1
        raise RuntimeError("the cluster did not answer; the database was asked")


@dataclass
class Tally:
    """What a stream of searches saw."""

    sent: int = 0
    answered: int = 0
    wrong: int = 0
    failed: int = 0
    failures: list[str] = field(default_factory=list)  # the first few
    # `sent` when the event in the middle of the stream began and ended
    marks: dict[str, int] = field(default_factory=dict)

    def note(self, failure: str) -> None:
        if len(self.failures) < 20:
            self.failures.append(failure)


def _stream(queries, tally: Tally, stop: threading.Event) -> threading.Thread:
    """Search in a loop on another thread, through the shop's backend, until
    `stop` is set. The thread never touches the database."""
    backend = search_backend()
    backend.fallback = _FallbackRecorder()

    def shopper():
        while not stop.is_set():
            request, expected = queries[tally.sent % len(queries)]
            tally.sent += 1
            try:
                result = backend.search(request)
            except Exception as exc:  # noqa: BLE001  (any failure is the finding)
                tally.failed += 1
                tally.note(repr(exc)[:300])
                continue
            tally.answered += 1
            if set(result.ids) != expected or result.total != len(expected):
                tally.wrong += 1
                tally.note(f"{request}: {sorted(result.ids)} != {sorted(expected)}")

    thread = threading.Thread(target=shopper, name="shopper")
    thread.start()
    return thread


def _sent_wait(tally: Tally, more: int, *, within: float = 60.0) -> None:
    target = tally.sent + more
    deadline = time.monotonic() + within
    while tally.sent < target:
        assert time.monotonic() < deadline, f"the stream stalled at {tally.sent} searches"
        time.sleep(0.02)


def _primary_node(client, cluster) -> int:
    """The number of the node that holds the alias's primary shard."""
    shards = client.cat.shards(index=ALIAS, format="json")
    (primary,) = [s for s in shards if s["prirep"] == "p"]
    return cluster.node_number(primary["node"])


def test_a_rebuild_on_the_cluster_swaps_the_alias_with_no_failed_query(
    cluster, on_cluster, catalogue
):
    # given a live index on the three nodes
    first = index_rebuild(client=on_cluster)
    queries = _queries()
    tally, stop = Tally(), threading.Event()
    # when the index is rebuilt while shoppers search
    thread = _stream(queries, tally, stop)
    try:
        _sent_wait(tally, 20)
        tally.marks["rebuild began"] = tally.sent
        second = index_rebuild(client=on_cluster)
        tally.marks["alias swapped"] = tally.sent
        _sent_wait(tally, 40)
    finally:
        stop.set()
        thread.join(30)
    print(
        f"\nrebuild {first} -> {second}: {tally.sent} searches sent, {tally.answered} answered, "
        f"{tally.wrong} wrong, {tally.failed} failed (rebuild between search "
        f"{tally.marks['rebuild began']} and {tally.marks['alias swapped']})"
    )
    # then the alias names the new index only, and every copy of it is up
    assert list(on_cluster.indices.get_alias(name=ALIAS)) == [second]
    assert not on_cluster.indices.exists(index=first)
    health = on_cluster.cluster.health(index=second)
    assert (health["status"], health["active_shards"]) == ("green", 2)
    # and no search failed or answered wrong, before, during or after
    assert tally.failures == []
    assert (tally.wrong, tally.failed) == (0, 0)
    assert not breaker_open()


def test_searches_keep_answering_by_the_listing_rule_while_a_node_stops(
    cluster, on_cluster, catalogue, settings
):
    # given the catalogue indexed on three nodes, one replica per shard
    index_rebuild(client=on_cluster)
    shards = on_cluster.cat.shards(index=ALIAS, format="json")
    assert sorted(s["prirep"] for s in shards if s["state"] == "STARTED") == ["p", "r"]
    # and the node to stop is the one that holds the primary, listed first
    doomed = _primary_node(on_cluster, cluster)
    settings.OPENSEARCH_URL = ",".join(
        [cluster.url(doomed)] + [u for u in cluster.urls if u != cluster.url(doomed)]
    )
    queries = _queries()
    tally, stop = Tally(), threading.Event()
    # when shoppers search while that node stops
    thread = _stream(queries, tally, stop)
    try:
        _sent_wait(tally, 30)
        tally.marks["stop sent"] = tally.sent
        cluster.stop(doomed)
        tally.marks["node gone"] = tally.sent
        _sent_wait(tally, 60)
    finally:
        stop.set()
        thread.join(30)
    print(
        f"\nnode {doomed} stopped: {tally.sent} searches sent, {tally.answered} answered, "
        f"{tally.wrong} wrong, {tally.failed} failed "
        f"(stop sent after {tally.marks['stop sent']}, node gone after {tally.marks['node gone']})"
    )
    # then every search answered from the cluster, by the listing rule
    assert tally.failures == []
    assert (tally.wrong, tally.failed) == (0, 0)
    assert tally.answered == tally.sent
    assert not breaker_open()
    # and the replica took over: the cluster still holds every product
    assert on_cluster.count(index=ALIAS)["count"] == indexable_products().count()
