"""The cluster stub answers the official client as Elasticsearch would, failures included."""

import time

import pytest
from elastic_transport import ConnectionTimeout
from elasticsearch import (
    ApiError,
    BadRequestError,
    Elasticsearch,
    NotFoundError,
    UnsupportedProductError,
    helpers,
)

from .cluster_stub import ClusterStub


def client(stub, timeout=2):
    return Elasticsearch(stub.url, request_timeout=timeout, max_retries=0)


def test_indices_aliases_documents_and_searches(cluster):
    es = client(cluster)
    assert es.info()["version"]["number"].startswith("8.19.")
    es.indices.create(index="docs-1", aliases={"docs": {}}, mappings={"properties": {}})
    with pytest.raises(BadRequestError, match="resource_already_exists_exception"):
        es.indices.create(index="docs-1")
    assert es.indices.exists_alias(name="docs") and not es.indices.exists_alias(name="other")
    assert list(es.indices.get_alias(name="docs")) == ["docs-1"]

    actions = [{"_index": "docs", "_id": str(n), "_source": {"n": n, "x": "y"}} for n in range(5)]
    assert helpers.bulk(es, actions, require_alias=True) == (5, [])
    _, errors = helpers.bulk(
        es, [{"_index": "nope", "_source": {}}], require_alias=True, raise_on_error=False
    )
    assert errors[0]["index"]["status"] == 404
    assert errors[0]["index"]["error"]["type"] == "index_not_found_exception"
    helpers.bulk(es, [{"_index": "auto", "_id": "1", "_source": {}}])
    assert es.indices.exists(index="auto")

    found = es.search(
        index="docs", size=2, from_=3, source_includes=["n"], aggs={"k": {"terms": {"field": "x"}}}
    )
    assert found["hits"]["total"] == {"value": 5, "relation": "eq"}
    assert [hit["_source"] for hit in found["hits"]["hits"]] == [{"n": 3}, {"n": 4}]
    assert found["aggregations"]["k"]["buckets"] == []
    assert len(list(helpers.scan(es, index="docs", size=2, _source=False))) == 5
    assert not cluster.scrolls  # cleared by scan
    assert (
        es.indices.stats(index="docs", metric="store")["_all"]["primaries"]["store"][
            "size_in_bytes"
        ]
        > 0
    )

    es.indices.update_aliases(actions=[{"remove": {"index": "docs-1", "alias": "docs"}}])
    with pytest.raises(NotFoundError):
        es.indices.get_alias(name="docs")
    with pytest.raises(BadRequestError, match="illegal_argument_exception"):
        es.perform_request("GET", "/_nodes")
    assert [r.path for r in cluster.unknown] == ["/_nodes"]
    bulk = next(r for r in cluster.requests if r.path == "/_bulk")
    assert bulk.body[0] == {"index": {"_index": "docs", "_id": "0"}} and bulk.params == {
        "require_alias": "true"
    }


def test_injected_failures(cluster):
    es = client(cluster, timeout=0.5)
    cluster.fail(429, path_contains="_search", times=1)
    with pytest.raises(ApiError) as error:
        es.search(index="_all")
    assert (
        error.value.meta.status == 429 and error.value.message == "es_rejected_execution_exception"
    )
    es.indices.create(index="i")
    assert es.search(index="i")["hits"]["total"]["value"] == 0  # times=1: only once

    cluster.hang(30, path_contains="_search")
    started = time.monotonic()
    with pytest.raises(ConnectionTimeout):
        es.search(index="i")
    assert time.monotonic() - started < 2
    cluster.clear_failures()
    assert es.search(index="i")["hits"]["hits"] == []


def test_a_hung_answer_does_not_hold_up_stopping():
    stub = ClusterStub().start()
    stub.hang(60)
    with pytest.raises(ConnectionTimeout):
        client(stub, timeout=0.3).info()
    started = time.monotonic()
    stub.stop()
    assert time.monotonic() - started < 2


def test_not_elasticsearch(cluster):
    cluster.not_elasticsearch()  # before the client's first answer: it checks only once
    with pytest.raises(UnsupportedProductError):
        client(cluster).info()
