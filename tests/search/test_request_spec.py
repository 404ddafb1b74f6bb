"""Every request the Elasticsearch backend sends is valid by Elasticsearch's API specification.

The real backend runs against the cluster stub through every path it has and every query shape;
each recorded request is then type-checked against the specification's request types
(request_spec.py). Without node/npm the check skips on a developer machine and fails in CI.
"""

import os

import pytest

from search.backends.elasticsearch import ElasticsearchBackend
from search.chinese import analyse
from search.documents import FILTER_FIELDS
from search.query import SearchQuery
from search.synonyms import Synonyms

from .cluster_stub import Request
from .conftest import ELASTICSEARCH, doc
from .request_spec import ToolchainMissing, summary, toolchain, unmapped, violations

SYNONYMS = Synonyms([["社保", "社会保险"], ["公积金", "住房公积金"]])
QUERIES = {
    "browse (no text)": SearchQuery(),
    "one term": SearchQuery("社保"),
    "several terms": SearchQuery("社保 缴费 通知"),
    "synonyms": SearchQuery("社保缴费"),
    "a single Han character": SearchQuery("费"),
    "a 发文字号": SearchQuery("江发改〔2025〕3号"),
    "letters and digits": SearchQuery("5G 12345"),
    "relaxed": SearchQuery("社保 缴费 基数", relaxed=True),
    "relaxed with synonyms": SearchQuery("公积金 提取", relaxed=True),
    "filters and excludes": SearchQuery(
        "社保",
        filters={"site_code": "fgw", "kind": ["policy", "article"], "year": 2025},
        exclude={"validity": "repealed", "topic": ["其他"]},
    ),
    "every facet": SearchQuery("社保", facets=FILTER_FIELDS),
    "browse by date, filtered": SearchQuery(sort="date", filters={"language": "zh-hans"}),
    "by date": SearchQuery("社保", sort="date"),
    "page 3": SearchQuery("社保", page=3, page_size=10),
}


@pytest.fixture(scope="module")
def node():
    try:
        return toolchain()
    except ToolchainMissing as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the API specification check needs node and npm in CI: {missing}")
        pytest.skip(f"API specification check skipped: {missing}")


def documents():
    policy = {
        "kind": "policy",
        "document_number": "江发改〔2025〕3号",
        "issuing_organ": "江州市发展和改革委员会",
        "topic": "社会保障",
        "validity": "valid",
    }
    return [
        doc("p1", "关于调整社保缴费基数的通知", "各单位：现将社保缴费基数调整如下。", **policy),
        doc("a1", "住房公积金提取指南", "5G 基站 12345 热线", site="qhq", days_ago=400),
        doc("e1", "Urban renewal plan", "Social insurance", language="en", days_ago=30),
    ]


def drive(engine, record):
    """Every public path of the backend; `record(step, call)` runs and labels each one."""
    docs = documents()
    record("upsert", lambda: engine.upsert(docs))
    record("delete", lambda: engine.delete([docs[2].id, "test.doc:never-indexed"]))
    record("rebuild", lambda: engine.rebuild(docs))
    record("fingerprints", engine.fingerprints)
    record("size_bytes", engine.size_bytes)
    if hasattr(engine, "status"):
        record("status", engine.status)
    for name, query in QUERIES.items():
        record(f"search: {name}", lambda q=query: engine.search(q, analyse(q.text, SYNONYMS)))
    record("drop", engine.drop)


def test_every_request_matches_the_api_specification(node, cluster, tmp_path):
    labelled, failures = [], []

    def record(step, call):
        start = len(cluster.requests)
        try:
            call()
        except Exception as error:  # reported below with the requests' problems
            failures.append(f"{step}: {type(error).__name__}: {error}")
        for request in cluster.requests[start:]:
            labelled.append(
                (f"r{len(labelled) + 1} {step}: {request.method} {request.path}", request)
            )

    for flavour in ("cjk", "smartcn"):
        params = {"ENGINE": ELASTICSEARCH, "URL": cluster.url, "INDEX": "jiyue-test"}
        engine = ElasticsearchBackend(
            "elasticsearch", {**params, "REFRESH": True, "ANALYZER": flavour}
        )
        drive(engine, lambda step, call, f=flavour: record(f"[{f}] {step}", call))

    problems = [f"no request type for {label}" for label, _ in unmapped(labelled)]
    problems += summary(violations(labelled, tmp_path))
    problems += [f"backend call failed: {failure}" for failure in failures]
    kinds = {f"{r.method} {r.path.split('/')[-1] or '/'}" for _, r in labelled}
    assert len(kinds) >= 8, f"too few kinds of request were exercised: {sorted(kinds)}"
    assert not problems, f"{len(problems)} problems in {len(labelled)} requests:\n" + "\n".join(
        problems
    )


def request(method, path, body=None, **params):
    return Request(method, path, params, {}, body)


MAPPING = {
    "properties": {
        "title": {"type": "text", "analyzer": "a", "fields": {"chars": {"type": "text"}}},
        "body": {"type": "text", "analyzer": "jiyue_missing"},
        "year": {"type": "integer"},
    }
}
ANALYSIS = {
    "analyzer": {"a": {"type": "custom", "tokenizer": "standard", "filter": ["cjk_bigarm"]}}
}
MISTAKES = {  # label → (request, what the message must name)
    "misspelt query option": (
        request("POST", "/i/_search", {"query": {"match": {"title": {"qeury": "x"}}}}),
        "qeury",
    ),
    "misspelt body key": (request("POST", "/i/_search", {"sizee": 10}), "sizee"),
    "wrong shape": (request("POST", "/i/_search", {"size": "ten"}), "string"),
    "misspelt query parameter": (request("POST", "/i/_search", None, scrol="1m"), "scrol"),
    "misspelt field": (
        request("POST", "/jiyue/_search", {"query": {"term": {"titel": "x"}}}),
        "titel",
    ),
    "misspelt sort field": (request("POST", "/i/_search", {"sort": [{"yeer": "desc"}]}), "yeer"),
    "misspelt analyzer key": (
        request(
            "PUT",
            "/j",
            {
                "settings": {
                    "analysis": {
                        "analyzer": {
                            "b": {"type": "custom", "tokenizer": "standard", "filters": []}
                        }
                    }
                }
            },
        ),
        "filters",
    ),
}


def test_the_check_rejects_misspelt_keys_and_wrong_shapes(node, tmp_path):
    bulk = [
        {"index": {"_index": "jiyue", "_id": "1"}},
        {"title": "t", "yaer": 2025},
        {"delete": {"_index": "i", "_idd": "2"}},
    ]
    labelled = [
        ("create", request("PUT", "/i", {"mappings": MAPPING, "settings": {"analysis": ANALYSIS}})),
        (
            "alias",
            request("POST", "/_aliases", {"actions": [{"add": {"index": "i", "alias": "jiyue"}}]}),
        ),
        (
            "good search",
            request("POST", "/jiyue/_search", {"query": {"match": {"title.chars": "x"}}}),
        ),
        ("bulk", request("POST", "/_bulk", bulk)),
        ("reset", request("PUT", "/i/_settings", {"refresh_interval": None})),
        *((label, mistake) for label, (mistake, _) in MISTAKES.items()),
    ]
    found = {v.label: v.message for v in violations(labelled, tmp_path)}
    expected = {
        **{label: needle for label, (_, needle) in MISTAKES.items()},
        "create: analyzer jiyue_missing": "jiyue_missing",
        "create: filter cjk_bigarm": "cjk_bigarm",
        "bulk line 2": "yaer",
        "bulk line 3": "_idd",
    }
    assert set(found) == set(expected), found
    for label, needle in expected.items():
        assert needle in found[label], (label, found[label])


def test_an_endpoint_without_a_request_type_is_reported():
    labelled = [("known", request("GET", "/")), ("new", request("GET", "/_nodes/stats"))]
    assert [label for label, _ in unmapped(labelled)] == ["new"]
