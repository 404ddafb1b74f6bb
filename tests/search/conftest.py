"""Search test worlds: an index per test, and the backends the conformance suite runs on.

The embedded backend always runs. Elasticsearch runs when ELASTICSEARCH_URL is set (each test
gets its own index, dropped afterwards); otherwise its tests are skipped with a reason that
`pytest -rs` shows.
"""

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from search.backends import backend
from search.documents import SearchDocument

from .cluster_stub import ClusterStub

EMBEDDED = "search.backends.embedded.EmbeddedBackend"
ELASTICSEARCH = "search.backends.elasticsearch.ElasticsearchBackend"
UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, connections are refused
NOW = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


def search_setting(primary, fallback=None, **backends):
    """The SEARCH setting with these backends (name → config), shaped as in settings/base.py."""
    return {"BACKENDS": backends, "PRIMARY": primary, "FALLBACK": fallback}


def embedded_config(path):
    return {"ENGINE": EMBEDDED, "PATH": path}


def elasticsearch_config(url, **extra):
    return {
        "ENGINE": ELASTICSEARCH,
        "URL": url,
        "INDEX": f"jiyue-test-{uuid.uuid4().hex[:12]}",
        "REFRESH": True,
        "TIMEOUT": 2,
        **extra,
    }


@pytest.fixture
def index_path(tmp_path):
    return tmp_path / "search" / "index.sqlite3"


@pytest.fixture(autouse=True)
def search_settings(settings, index_path):
    """The embedded backend alone, in this test's own file."""
    settings.SEARCH = search_setting("embedded", embedded=embedded_config(index_path))
    return settings.SEARCH


@pytest.fixture(params=["embedded", "elasticsearch"])
def engine(request, settings, index_path):
    """Each backend in turn as the primary one (the conformance suite runs on every engine)."""
    if request.param == "elasticsearch":
        url = os.environ.get("ELASTICSEARCH_URL")
        if not url:
            pytest.skip("ELASTICSEARCH_URL not set: the Elasticsearch run of this test is skipped")
        settings.SEARCH = search_setting("elasticsearch", elasticsearch=elasticsearch_config(url))
    engine = backend(request.param)
    yield engine
    if request.param == "elasticsearch":
        engine.drop()


@pytest.fixture
def cluster():
    """A started in-memory Elasticsearch stand-in (cluster_stub.py), stopped afterwards."""
    with ClusterStub() as stub:
        yield stub


def doc(key, title, body="", site="fgw", days_ago=0, **fields):
    """A search document of site `site` (fgw or qhq), published `days_ago` before NOW."""
    names = {"fgw": "江州市发展和改革委员会", "qhq": "江州市清河区人民政府"}
    published = NOW - timedelta(days=days_ago)
    values = {
        "id": f"test.doc:{key}",
        "kind": "article",
        "site_code": site,
        "site_name": names.get(site, site),
        "department": names.get(site, site),
        "title": title,
        "body": body,
        "url": f"http://{site}.localhost/{key}/",
        "published_at": published,
        "updated_at": published,
    }
    values.update(fields)
    return SearchDocument(**values)
