"""Admin-editable synonyms: seeded by migration, validated in Chinese, in force at once."""

import pytest
from django.urls import reverse

from search.models import SynonymGroup
from search.query import SearchQuery
from search.service import search
from tests.factories import UserFactory

from .conftest import doc

pytestmark = pytest.mark.django_db


@pytest.fixture
def platform_admin(client):
    client.force_login(UserFactory(username="platform", is_superuser=True, is_staff=True))
    return client


def test_the_data_migration_seeds_the_common_groups():
    groups = sorted(tuple(group.term_list()) for group in SynonymGroup.objects.all())
    assert groups == [
        ("公积金", "住房公积金"),
        ("医保", "医疗保险"),
        ("噪音", "噪声"),
        ("户口", "户籍"),
        ("环评", "环境影响评价"),
        ("社保", "社会保险", "社会保障"),
    ]


def test_platform_admins_add_a_group_and_it_works_at_once(platform_admin, engine):
    engine.upsert([doc("a", "新能源汽车推广"), doc("b", "电动车充电桩建设", site="qhq")])
    assert search(SearchQuery("新能源汽车")).total == 1
    response = platform_admin.post(
        reverse("wagtailsnippets_search_synonymgroup:add"), {"terms": "新能源汽车、电动车"}
    )
    assert response.status_code == 302
    assert SynonymGroup.objects.get(terms="新能源汽车，电动车")
    assert search(SearchQuery("新能源汽车")).total == 2


@pytest.mark.parametrize(
    ("terms", "message"),
    [
        ("社保", "同义词组至少需要两个不同的词语。"),
        ("医保 医保", "同义词组至少需要两个不同的词语。"),
        ("社保，养老保险", "“社保”已在其他同义词组中，一个词只能属于一个组。"),
    ],
)
def test_bad_groups_are_refused_in_chinese(platform_admin, terms, message):
    count = SynonymGroup.objects.count()
    response = platform_admin.post(
        reverse("wagtailsnippets_search_synonymgroup:add"), {"terms": terms}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SynonymGroup.objects.count() == count


def test_deleting_a_group_takes_effect_at_once(engine):
    engine.upsert([doc("a", "环评审批"), doc("b", "环境影响评价公示", site="qhq")])
    assert search(SearchQuery("环评")).total == 2
    SynonymGroup.objects.get(terms__contains="环评").delete()
    assert search(SearchQuery("环评")).total == 1


def test_editors_cannot_reach_the_synonym_list(client):
    client.force_login(UserFactory(username="editor", is_staff=False))
    response = client.get(reverse("wagtailsnippets_search_synonymgroup:list"))
    assert response.status_code in (302, 403, 404)  # 404: the admin gate, platform-only
