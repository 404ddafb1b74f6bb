"""A cluster in trouble, played by a real HTTP server on loopback (issue 14, points 4 and 7).

Every answer carries Elasticsearch's product header, so the official client takes it for a
cluster: 401, 400, 413, 429 and 503 errors, and a missing product header. The search answers
from the fallback (never a 500), index writes record the error for a retry, and after a
failure of the cluster the breaker stops asking for a while.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from search.backends import SearchUnavailable, backend
from search.query import SearchQuery
from search.service import search

from .conftest import doc, elasticsearch_config, embedded_config, search_setting

pytestmark = pytest.mark.django_db


class TroubledCluster(ThreadingHTTPServer):
    """Answers every request with one status and an Elasticsearch-shaped error."""

    daemon_threads = True

    def __init__(self, status, error_type, product=True):
        self.status, self.error_type, self.product = status, error_type, product
        self.requests = []
        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        self.server.requests.append((self.command, self.path))
        error = {"type": self.server.error_type, "reason": "played by the test"}
        body = json.dumps({"error": {**error, "root_cause": [error]}, "status": 0}).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        if self.server.product:
            self.send_header("X-Elastic-Product", "Elasticsearch")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _answer

    def log_message(self, *args):
        pass


@pytest.fixture
def troubled(settings, index_path):
    servers = []

    def start(status, error_type="error", product=True):
        server = TroubledCluster(status, error_type, product)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        settings.SEARCH = search_setting(
            "elasticsearch",
            fallback="embedded",
            elasticsearch=elasticsearch_config(server.url, BREAKER_SECONDS=3600),
            embedded=embedded_config(index_path),
        )
        backend("embedded").upsert([doc("a", "社保缴费基数调整")])
        return server

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


CASES = [
    (401, "security_exception", True, True),
    (403, "security_exception", True, True),
    (429, "es_rejected_execution_exception", True, True),
    (503, "unavailable_shards_exception", True, True),
    (400, "parsing_exception", True, False),
    (413, "request_entity_too_large", True, False),
    (200, "not a cluster", False, True),
]


@pytest.mark.parametrize(("status", "error_type", "product", "trips"), CASES)
def test_the_search_falls_back_and_the_breaker_holds_off_a_sick_cluster(
    troubled, status, error_type, product, trips
):
    cluster = troubled(status, error_type, product)
    first = search(SearchQuery("社保"))
    assert first.fallback and first.backend == "embedded" and first.total == 1
    asked = len(cluster.requests)
    assert asked >= 1
    second = search(SearchQuery("社保"))
    assert second.fallback and second.total == 1
    if trips:
        assert len(cluster.requests) == asked, "the breaker kept the second search away"
    else:
        assert len(cluster.requests) > asked, "one refused request does not stop the others"


@pytest.mark.parametrize(("status", "error_type", "product", "trips"), CASES)
def test_index_writes_become_unavailable_not_a_crash(troubled, status, error_type, product, trips):
    troubled(status, error_type, product)
    with pytest.raises(SearchUnavailable):
        backend("elasticsearch").upsert([doc("b", "医保报销")])


def test_the_status_shows_the_refusal(troubled):
    troubled(401, "security_exception")
    state = backend("elasticsearch").status()
    assert "凭据" in state["error"] and state["documents"] is None
