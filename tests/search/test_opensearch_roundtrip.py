"""OpenSearch is reached through the project's client and its DSL."""

import uuid

import pytest
from opensearchpy import Search

from search.client import opensearch_client


@pytest.fixture
def scratch_index():
    client = opensearch_client(timeout=10)
    name = f"ocop-test-{uuid.uuid4().hex[:8]}"
    client.indices.create(
        index=name,
        body={
            "settings": {"number_of_shards": 1, "number_of_replicas": 0},
            "mappings": {"properties": {"title": {"type": "text"}, "stars": {"type": "integer"}}},
        },
    )
    yield client, name
    client.indices.delete(index=name, ignore_unavailable=True)


def test_index_a_document_and_query_it_back(scratch_index):
    client, index = scratch_index
    # given a product document indexed with a refresh
    client.index(
        index=index,
        id="1",
        body={"title": "Gốm sứ Bát Tràng", "stars": 4},
        refresh=True,
    )
    client.index(index=index, id="2", body={"title": "Gạo Đồng Phú", "stars": 3}, refresh=True)
    # when we search through opensearch-py's DSL
    response = Search(using=client, index=index).query("match", title="Bát Tràng").execute()
    # then exactly the ceramics come back
    assert [hit.meta.id for hit in response] == ["1"]
    assert response[0].stars == 4


def test_the_server_is_opensearch():
    info = opensearch_client(timeout=10).info()
    assert info["version"]["distribution"] == "opensearch"
    assert int(info["version"]["number"].split(".")[0]) >= 2
