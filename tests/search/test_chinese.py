"""Chinese that works (issue 5, point 4): every case, on every backend.

Each test indexes a few documents from two sites and asks through search.service.search, so
synonym expansion (the seeded groups), folding and ranking are all in play.
"""

import pytest

from search.query import SearchQuery
from search.service import search

from .conftest import doc

pytestmark = pytest.mark.django_db


def ids(text, **options):
    return [hit.document.id.split(":")[1] for hit in search(SearchQuery(text, **options)).hits]


def test_two_character_word_inside_longer_text(engine):
    engine.upsert([doc("hit", "2026年社保缴费基数公布"), doc("miss", "社区保洁", site="qhq")])
    assert ids("社保") == ["hit"]


def test_four_character_word_inside_longer_text(engine):
    engine.upsert(
        [
            doc("hit", "个体工商户营业执照办理指南", site="qhq"),
            doc("miss", "营业时间调整，执照年检另行通知"),
        ]
    )
    assert ids("营业执照")[0] == "hit"


def test_single_characters(engine):
    engine.upsert(
        [
            doc("end", "个人所得税"),  # the character ends a run
            doc("start", "税务登记", site="qhq"),  # … starts one
            doc("alone", "关于“税”字的说明"),  # … stands alone
            doc("miss", "财政预算"),
        ]
    )
    assert sorted(ids("税")) == ["alone", "end", "start"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [("5G", "fiveg"), ("5g", "fiveg"), ("ＡＩ", "ai"), ("AI", "ai"), ("12345", "hotline")],
)
def test_latin_letters_and_digits_mixed_in(engine, query, expected):
    engine.upsert(
        [
            doc("fiveg", "全市新建5G基站三千个"),
            doc("ai", "AI赋能政务服务", site="qhq"),
            doc("hotline", "12345热线受理情况通报"),
            doc("miss", "2345路公交线路调整"),
        ]
    )
    assert ids(query) == [expected]


def test_mixed_phrase_across_scripts(engine):
    engine.upsert([doc("hit", "推进5G网络建设"), doc("miss", "5G手机补贴与网络安全", site="qhq")])
    assert ids("5G网络")[0] == "hit"


@pytest.mark.parametrize("typed", ["江府发〔2025〕8号", "江府发[2025]8号", "江府发（2025）8号"])
def test_document_number_matches_exactly_and_ranks_first(engine, typed):
    engine.upsert(
        [
            doc("cites", "关于贯彻落实江府发〔2025〕8号文件的通知", "根据江府发〔2025〕8号。" * 5),
            doc("exact", "江州市优化营商环境若干措施", document_number="江府发〔2025〕8号"),
            doc("other", "江州市数字政府建设方案", document_number="江府发〔2025〕18号"),
            doc("year", "另一份文件", document_number="江府发〔2024〕8号", site="qhq"),
        ]
    )
    found = ids(typed)
    assert found[0] == "exact"
    assert "other" not in found and "year" not in found


def test_traditional_query_finds_simplified_text(engine):
    engine.upsert([doc("hit", "个体工商户营业执照办理", "营业执照当场发放。"), doc("miss", "其他")])
    results = search(SearchQuery("營業執照"))
    assert [h.document.id for h in results.hits] == ["test.doc:hit"]
    assert "<mark>营业执照</mark>" in results.hits[0].title_html


@pytest.mark.parametrize(
    ("short", "long"),
    [
        ("社保", "社会保险"),
        ("医保", "医疗保险"),
        ("公积金", "住房公积金"),
        ("噪音", "噪声"),
        ("环评", "环境影响评价"),
    ],
)
def test_synonyms_work_both_ways(engine, short, long):
    engine.upsert(
        [
            doc("short", f"{short}业务办理指南"),
            doc("long", f"{long}政策问答", site="qhq"),
            doc("miss", "其他事项"),
        ]
    )
    assert sorted(ids(short)) == ["long", "short"]
    assert sorted(ids(long)) == ["long", "short"]


def test_synonym_inside_a_longer_query(engine):
    engine.upsert([doc("hit", "社会保险缴费基数调整"), doc("miss", "缴费方式")])
    assert ids("社保缴费") == ["hit"]


def test_title_match_outranks_body_match(engine):
    engine.upsert(
        [
            doc("body", "年度工作总结", "今年推进垃圾分类工作。" * 3, days_ago=0),
            doc("title", "垃圾分类工作推进会召开", "会议在市政府召开。", days_ago=100, site="qhq"),
        ]
    )
    assert ids("垃圾分类") == ["title", "body"]


def test_exact_phrase_outranks_scattered_characters(engine):
    engine.upsert(
        [
            doc("scattered", "营业时间与执照年检", "营业网点延长时间；执照年检照常。", days_ago=0),
            doc("phrase", "个体户营业执照年检", "营业执照年检须知。", days_ago=50, site="qhq"),
        ]
    )
    assert ids("营业执照") == ["phrase", "scattered"]


def test_newer_wins_ties(engine):
    engine.upsert(
        [
            doc("older", "防汛工作通知", "做好防汛准备。", days_ago=10),
            doc("newer", "防汛工作通知", "做好防汛准备。", days_ago=1, site="qhq"),
            doc("oldest", "防汛工作通知", "做好防汛准备。", days_ago=30),
        ]
    )
    assert ids("防汛") == ["newer", "older", "oldest"]
