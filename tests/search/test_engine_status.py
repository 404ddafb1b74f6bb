"""设置 → 搜索引擎状态: the engines' true state for platform admins; a fallback never looks
healthy (issue 14, point 3)."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.cache import cache

from search.query import SearchQuery
from search.service import search

from .conftest import UNREACHABLE, elasticsearch_config, embedded_config, search_setting

pytestmark = pytest.mark.django_db
URL = "/admin/search/status/"


@pytest.fixture(autouse=True)
def fresh_health():
    cache.clear()


@pytest.fixture
def platform_admin(client):
    user = get_user_model().objects.create_superuser("platform", "p@example.cn", "pw-12345678")
    client.force_login(user)
    return client


def page(client):
    response = client.get(URL)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_embedded_alone_is_healthy(platform_admin):
    shown = page(platform_admin)
    assert shown.select_one("[data-search-health]")["data-search-health"] == "ok"
    row = shown.select_one("tr[data-engine=embedded]")
    assert "主引擎" in row.get_text() and "可用" in row.get_text()


def test_unreachable_primary_and_the_fallback_answering_are_problems(
    platform_admin, settings, index_path
):
    settings.SEARCH = search_setting(
        "elasticsearch",
        fallback="embedded",
        elasticsearch=elasticsearch_config(UNREACHABLE),
        embedded=embedded_config(index_path),
    )
    assert search(SearchQuery("社保")).fallback, "the citizen got an answer from the fallback"
    shown = page(platform_admin)
    assert shown.select_one("[data-search-health]")["data-search-health"] == "problem"
    problems = shown.select_one("[role=alert]").get_text()
    assert "elasticsearch 现在无法使用" in problems
    assert "由备用引擎回答" in problems
    assert "暂停访问" in problems, "the breaker holds the cluster off after the failure"
    row = shown.select_one("tr[data-engine=elasticsearch]").get_text()
    assert "不可用" in row and "127.0.0.1:9" in row


def test_only_platform_admins(client):
    user = get_user_model().objects.create_user("editor", "e@example.cn", "pw-12345678")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(URL)
    assert (response.status_code, response.url) == (302, "/admin/"), "Wagtail's permission denial"
