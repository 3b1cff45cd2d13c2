"""The OpenSearch client knows every node `OPENSEARCH_URL` lists."""

from search.client import opensearch_client


def test_the_client_knows_every_node_listed_and_moves_on_from_an_unreachable_one(settings):
    # given a cluster of three nodes, listed with stray spaces and a comma
    settings.OPENSEARCH_URL = "http://os1:9200, http://os2:9200 ,http://os3:9201,"
    # when a client is built for it
    transport = opensearch_client(timeout=1).transport
    # then it holds all three, and may try each of the other two once
    assert [(h["host"], h["port"]) for h in transport.hosts] == [
        ("os1", 9200),
        ("os2", 9200),
        ("os3", 9201),
    ]
    assert transport.max_retries == 2
    # but a slow cluster is not asked twice: the breaker caps the wait
    assert transport.retry_on_timeout is False


def test_one_node_is_never_retried(settings):
    settings.OPENSEARCH_URL = "http://127.0.0.1:9200"
    transport = opensearch_client(timeout=1).transport
    assert len(transport.hosts) == 1
    assert transport.max_retries == 0
