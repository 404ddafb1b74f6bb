"""The editors' admin search while Elasticsearch is down (issue 14, point 9): the same query
runs on the database backend, which Wagtail keeps current as a second backend."""

import pytest
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from search import health

from .conftest import UNREACHABLE

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_search_on_an_unreachable_cluster(settings):
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.admin_backend",
            "URLS": [UNREACHABLE],
            "INDEX_PREFIX": "jiyue-test-wagtail-",
            "TIMEOUT": 2,
        },
        "database": {"BACKEND": "wagtail.search.backends.database"},
    }


def test_search_and_count_answer_from_the_database(admin_search_on_an_unreachable_cluster):
    root = Page.get_first_root_node()
    root.add_child(instance=Page(title="防汛抗旱应急预案", slug="fangxun"))
    root.add_child(instance=Page(title="城市绿化规划", slug="lvhua"))
    get_search_backend("database").add_bulk(Page, Page.objects.all())

    results = get_search_backend().search("防汛抗旱应急预案", Page)
    assert [page.title for page in results] == ["防汛抗旱应急预案"]
    assert results.count() == 1
    assert "后台搜索改用数据库" in health.last_error("wagtail-admin")["message"]
