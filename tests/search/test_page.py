"""The search page /search/ (issue 5, points 5 and 8): scope, facets, filters, sort, highlights,
pagination, suggestions when nothing is found, bad input and engine outages — real requests on
each site's hostname, answered from a real index."""

from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import UNREACHABLE, elasticsearch_config, embedded_config, search_setting
from .public_world import XSS_TITLE, host, indexed, sites  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indexed")]

LIMITED = "搜索服务暂时受限，请稍后再试。"


def get(client, code="fgw", **params):
    response = client.get("/search/", params, **host(code))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def result_titles(page):
    return [a.get_text() for a in page.select(".search-result__title a")]


def summary(page):
    status = page.find(class_="search-page__summary")
    return status.get_text(strip=True) if status else None


def params_of(link):
    return parse_qs(urlsplit(link["href"]).query)


def link_with(element, text):
    return next(a for a in element.find_all("a") if text in a.get_text())


def nav(page, label):
    return page.find("nav", attrs={"aria-label": label})


def test_without_a_query_the_page_offers_the_form(client):
    page = get(client)
    form = page.find("form", class_="search-page__form")
    assert form["action"] == "/search/" and form["method"] == "get"
    assert form.find("input", attrs={"name": "scope"})["value"] == "site"
    assert page.find(role="alert") is None and not page.select(".search-result")


def test_the_page_is_the_site_s_own_with_title_and_meta(client):
    page = get(client, q="社保")
    assert page.title.get_text() == "“社保”的搜索结果 - 江州市发展和改革委员会"
    assert page.find("meta", attrs={"name": "SiteName"})["content"] == "江州市发展和改革委员会"
    assert page.find("meta", attrs={"name": "ColumnName"})["content"] == "搜索"
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert (
        page.find("a", class_="site-header__name").get_text(strip=True) == "江州市发展和改革委员会"
    )
    assert page.find("footer")
    assert page.h1.get_text() == "搜索"
    assert page.find(id="search-page-q")["value"] == "社保"


def test_a_department_searches_itself_with_one_click_to_the_whole_city(client):
    page = get(client, q="社保")
    assert summary(page) == "找到 3 条与“社保”相关的结果"
    assert page.find(class_="search-page__summary")["role"] == "status"
    assert {p.span.get_text() for p in page.select(".search-result__meta")} == {
        "江州市发展和改革委员会"
    }
    scope = nav(page, "搜索范围")
    assert scope.find("a", attrs={"aria-current": "true"}).get_text() == "本站"
    everywhere = scope.find("a", string="全市")
    assert params_of(everywhere) == {"q": ["社保"], "scope": ["all"]}
    page = get(client, **{k: v[0] for k, v in params_of(everywhere).items()})
    assert summary(page) == "找到 6 条与“社保”相关的结果"
    assert nav(page, "搜索范围").find("a", attrs={"aria-current": "true"}).get_text() == "全市"


def test_the_portal_searches_every_site_and_has_no_scope_switch(client):
    page = get(client, "www", q="社保")
    assert summary(page) == "找到 6 条与“社保”相关的结果"
    assert nav(page, "搜索范围") is None
    assert page.find("form", class_="search-page__form").find(attrs={"name": "scope"})["value"] == (
        "all"
    )


def test_a_hit_shows_highlighted_title_site_kind_date_snippet_and_policy_metadata(client):
    hit = get(client, q="缴费基数").find(class_="search-result")
    title = hit.find(class_="search-result__title").a
    assert title["href"] == "http://fgw.localhost/p1/"
    assert (
        str(title)
        == '<a href="http://fgw.localhost/p1/">关于调整社保<mark>缴费基数</mark>的通知</a>'
    )
    meta = [
        part.get_text() for part in hit.find(class_="search-result__meta").children if part.name
    ]
    assert meta == ["江州市发展和改革委员会", "政策文件", "2025-01-25"]
    assert hit.time["datetime"] == "2025-01-25T17:30:00+08:00"
    assert hit.find(class_="search-result__snippet").mark.get_text() == "缴费基数"
    policy = {
        div.dt.get_text(): div.dd.get_text() for div in hit.select(".search-result__policy div")
    }
    assert policy == {"发文字号": "江发改〔2025〕3号", "有效性": "有效"}


def test_titles_with_markup_are_shown_escaped(client):
    response = client.get("/search/", {"q": "社保演示"}, **host("qhq"))
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<mark>社保演示</mark>" in html
    assert result_titles(BeautifulSoup(html, "html.parser")) == [XSS_TITLE]


def test_facet_links_narrow_the_results_and_keep_the_other_parameters(client):
    page = get(client, q="社保", scope="all", sort="date")
    facets = page.find(class_="search-facets")
    assert [h.get_text() for h in facets.find_all("h3")] == ["站点", "类型", "年份"]
    qhq = link_with(facets, "江州市清河区人民政府")
    assert " ".join(qhq.get_text().split()) == "江州市清河区人民政府 (2)"
    assert params_of(qhq) == {"q": ["社保"], "scope": ["all"], "sort": ["date"], "site": ["qhq"]}

    page = get(client, **{k: v[0] for k, v in params_of(qhq).items()})
    assert summary(page) == "找到 2 条与“社保”相关的结果"
    selected = page.find(class_="search-facets").find("a", attrs={"aria-current": "true"})
    assert "已选，再次点击取消" in selected.get_text()
    assert params_of(selected) == {"q": ["社保"], "scope": ["all"], "sort": ["date"]}


def test_policy_facets_appear_for_policy_documents_and_filter_them(client):
    page = get(client, q="社保", kind="policy")
    headings = [h.get_text() for h in page.select(".search-facets h3")]
    assert headings == ["类型", "年份", "发布机构", "有效性"]
    abolished = link_with(page.find(class_="search-facets"), "废止")
    assert params_of(abolished) == {"q": ["社保"], "kind": ["policy"], "validity": ["abolished"]}
    page = get(client, **{k: v[0] for k, v in params_of(abolished).items()})
    assert result_titles(page) == ["社保补贴暂行办法"]
    assert page.find(class_="search-result__policy").find(class_="validity--abolished")


def test_sort_switch_orders_by_date(client):
    page = get(client, q="社保", scope="all")
    by_date = nav(page, "排序方式").find("a", string="按日期")
    assert params_of(by_date) == {"q": ["社保"], "scope": ["all"], "sort": ["date"]}
    page = get(client, q="社保", scope="all", sort="date")
    dates = [time["datetime"] for time in page.select(".search-result time")]
    assert dates == sorted(dates, reverse=True) and len(dates) == 6
    assert nav(page, "排序方式").find("a", attrs={"aria-current": "true"}).get_text() == "按日期"


def test_pagination_keeps_the_query_and_numbers_the_results(client):
    first = get(client, q="社保", scope="all", page_size=4)
    pagination = first.find("nav", class_="pagination")
    assert "第 1 / 2 页" in pagination.get_text()
    following = pagination.find("a", rel="next")
    assert params_of(following) == {
        "q": ["社保"],
        "scope": ["all"],
        "page_size": ["4"],
        "page": ["2"],
    }
    second = get(client, **{k: v[0] for k, v in params_of(following).items()})
    assert second.find("ol", class_="search-results")["start"] == "5"
    assert len(result_titles(second)) == 2
    assert not set(result_titles(first)) & set(result_titles(second))
    beyond = get(client, q="社保", scope="all", page_size=4, page=3)
    assert "第 3 页没有结果。" in beyond.find(class_="search-page__results").get_text()


def test_nothing_found_suggests_all_sites_no_filters_and_fewer_words(client):
    page = get(client, q="清河区", kind="article")
    assert summary(page) == "找到 0 条与“清河区”相关的结果"
    empty = page.find(class_="search-page__empty")
    links = {a.get_text(): params_of(a) for a in empty.find_all("a")}
    assert links == {
        "在全市所有网站中搜索“清河区”": {"q": ["清河区"], "kind": ["article"], "scope": ["all"]},
        "取消筛选条件后再搜索": {"q": ["清河区"]},
    }
    assert "减少搜索词" in empty.get_text()
    page = get(client, **{k: v[0] for k, v in links["在全市所有网站中搜索“清河区”"].items()})
    assert result_titles(page) == ["清河区社保服务大厅搬迁"]


def test_when_not_every_word_matches_the_page_says_so(client):
    page = get(client, q="社保 飞船")
    assert summary(page) == "找到 3 条与“社保 飞船”相关的结果"
    assert "没有同时包含全部搜索词的结果" in page.find(class_="callout").get_text()


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": ""}, "请输入搜索词。"),
        ({"q": "社保", "kind": "movie"}, "没有“movie”这种内容类型。"),
        ({"q": "社保", "page": "x"}, "页码须为正整数。"),
        ({"q": "社保", "sort": "title", "site": "nowhere"}, "没有代码为“nowhere”的站点。"),
    ],
)
def test_bad_parameters_show_a_chinese_message_and_keep_the_form(client, params, message):
    page = get(client, **params)
    alert = page.find(role="alert")
    assert message in [item.get_text() for item in alert.find_all("li")]
    assert page.find(id="search-page-q")["value"] == params["q"]
    assert not page.select(".search-result") and summary(page) is None


def test_results_come_from_the_index_without_queries_per_hit(client):
    get(client, q="社保")  # caches (sites, synonyms) warm up
    counts = []
    for size in (1, 6):
        with CaptureQueriesContext(connection) as queries:
            page = get(client, q="社保", scope="all", page_size=size)
        assert len(result_titles(page)) == size
        counts.append([query["sql"] for query in queries])
    assert counts[0] == counts[1], counts[1]


def test_unreachable_search_engine_shows_a_notice_not_an_error(client, settings):
    settings.SEARCH = search_setting(
        "elasticsearch", elasticsearch=elasticsearch_config(UNREACHABLE)
    )
    page = get(client, q="社保")
    assert LIMITED in page.find(class_="callout--warning").get_text()
    assert page.find(id="search-page-q")["value"] == "社保"
    assert not page.select(".search-result") and summary(page) is None


def test_unreachable_elasticsearch_falls_back_to_the_embedded_index(client, settings, index_path):
    settings.SEARCH = search_setting(
        "elasticsearch",
        fallback="embedded",
        elasticsearch=elasticsearch_config(UNREACHABLE),
        embedded=embedded_config(index_path),
    )
    page = get(client, q="社保")
    assert summary(page) == "找到 3 条与“社保”相关的结果"
    assert LIMITED not in page.get_text()


def test_only_get_and_head_are_answered(client):
    assert client.post("/search/", {"q": "社保"}, **host("fgw")).status_code == 405
    assert client.head("/search/", {"q": "社保"}, **host("fgw")).status_code == 200


def test_the_search_speaks_english_under_en(client):
    response = client.get("/en/search/", {"q": "社保"}, **host("fgw"))
    assert response.status_code == 200
    page = BeautifulSoup(response.content, "html.parser")
    assert page.html["lang"] == "en"
    assert page.find("form", class_="search-page__form")["action"] == "/en/search/"
    assert page.find("input", attrs={"name": "q"})["data-autocomplete"] == "/en/api/search"
    assert result_titles(page)  # the same index answers in every language
