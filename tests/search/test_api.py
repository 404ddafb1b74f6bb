"""GET /api/search (issue 5, point 7): scope, filters, facets, highlights and errors as JSON,
from a real index, on each site's own hostname (docs/search-api.md)."""

import pytest

from .conftest import UNREACHABLE, elasticsearch_config, embedded_config, search_setting
from .public_world import PORTAL, XSS_TITLE, host, indexed, sites  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indexed")]


def api(client, code="fgw", status=200, **params):
    response = client.get("/api/search", params, **host(code))
    assert response.status_code == status, response.content.decode()
    assert response["Content-Type"] == "application/json"
    return response.json()


def titles(answer):
    return [hit["title"] for hit in answer["results"]]


def test_a_department_searches_itself_by_default_and_the_city_on_request(client):
    own = api(client, q="社保")
    assert own["total"] == 3
    assert {hit["site"]["code"] for hit in own["results"]} == {"fgw"}
    assert own["query"]["scope"] == "site"
    city = api(client, q="社保", scope="all")
    assert city["total"] == 6 and city["query"]["scope"] == "all"


def test_the_portal_searches_every_site_by_default(client):
    answer = api(client, "www", q="社保")
    assert answer["total"] == 6 and answer["query"]["scope"] == "all"
    assert api(client, "www", q="社保", scope="site")["results"][0]["site"] == {
        "code": "www",
        "name": PORTAL,
    }


def test_a_result_carries_everything_the_page_shows(client):
    answer = api(client, q="缴费基数")
    assert answer["total"] == 1
    assert answer["results"] == [
        {
            "title": "关于调整社保缴费基数的通知",
            "title_html": "关于调整社保<mark>缴费基数</mark>的通知",
            "url": "http://fgw.localhost/p1/",
            "site": {"code": "fgw", "name": "江州市发展和改革委员会"},
            "kind": {"value": "policy", "label": "政策文件"},
            "published_at": "2025-01-25T17:30:00+08:00",
            "snippet_html": "各单位：现将2025年度社保<mark>缴费基数</mark>调整如下。",
            "document_number": "江发改〔2025〕3号",
            "validity": {"value": "valid", "label": "有效"},
        }
    ]
    assert answer["page"] == 1 and answer["page_count"] == 1
    assert answer["fallback"] is False and answer["limited"] is False


def test_facets_count_sites_kinds_and_years_over_all_matches(client):
    facets = api(client, q="社保", scope="all", page_size=1)["facets"]
    assert facets["site_code"][0] == {"value": "fgw", "label": "江州市发展和改革委员会", "count": 3}
    assert {v["value"]: v["count"] for v in facets["site_code"]} == {"fgw": 3, "qhq": 2, "www": 1}
    assert {v["value"]: (v["label"], v["count"]) for v in facets["kind"]} == {
        "article": ("文章", 4),
        "policy": ("政策文件", 2),
    }
    assert [(v["value"], v["count"]) for v in facets["year"]] == [(2026, 4), (2025, 1), (2023, 1)]
    assert "validity" not in facets


def test_policy_filters_and_their_facets(client):
    policies = api(client, q="社保", scope="all", kind="policy")
    assert policies["total"] == 2
    facets = policies["facets"]
    assert {v["value"]: v["label"] for v in facets["validity"]} == {
        "valid": "有效",
        "abolished": "废止",
    }
    assert len(facets["issuing_organ"]) == 2
    valid = api(client, q="社保", scope="all", kind="policy", validity="valid")
    assert titles(valid) == ["关于调整社保缴费基数的通知"]
    organ = api(client, q="社保", kind="policy", issuing_organ="江州市人力资源和社会保障局")
    assert titles(organ) == ["社保补贴暂行办法"]


def test_site_codes_repeat_and_imply_all_sites(client):
    answer = client.get("/api/search?q=社保&site=qhq&site=www", **host("fgw")).json()
    assert answer["total"] == 3 and answer["query"]["scope"] == "all"
    assert answer["query"]["site"] == ["qhq", "www"]
    assert api(client, q="社保", year=2025)["total"] == 1


def test_sort_by_date_puts_the_newest_first(client):
    answer = api(client, q="社保", scope="all", sort="date")
    dates = [hit["published_at"] for hit in answer["results"]]
    assert dates == sorted(dates, reverse=True)
    assert answer["results"][0]["title"] == "全市社保工作会议召开"


def test_pages_split_the_results(client):
    pages = [api(client, q="社保", scope="all", page_size=4, page=n) for n in (1, 2)]
    assert [len(p["results"]) for p in pages] == [4, 2]
    assert [p["page_count"] for p in pages] == [2, 2]
    assert not set(titles(pages[0])) & set(titles(pages[1]))


def test_markup_in_titles_comes_back_escaped(client):
    hit = api(client, "qhq", q="社保演示")["results"][0]
    assert hit["title"] == XSS_TITLE
    assert hit["title_html"] == "&lt;script&gt;alert(1)&lt;/script&gt;<mark>社保演示</mark>"
    assert "<b>" not in hit["snippet_html"] and "&lt;b&gt;" in hit["snippet_html"]


def test_when_all_words_do_not_match_any_of_them_may(client):
    answer = api(client, q="社保 飞船")
    assert answer["query"]["relaxed"] is True and answer["total"] == 3


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "请输入搜索词。"),
        ({"q": "   "}, "请输入搜索词。"),
        ({"q": "社" * 101}, "搜索词不能超过 100 个字。"),
        ({"q": "社保\x00"}, "搜索词不能含有空字符（NUL）。"),
        ({"q": "社保", "scope": "province"}, "搜索范围只能是“本站”（site）或“全市”（all）。"),
        ({"q": "社保", "site": "nowhere"}, "没有代码为“nowhere”的站点。"),
        ({"q": "社保", "kind": "movie"}, "没有“movie”这种内容类型。"),
        ({"q": "社保", "year": "1800"}, "年份“1800”无效。"),
        ({"q": "社保", "validity": "maybe"}, "有效性“maybe”无效。"),
        ({"q": "社保", "sort": "title"}, "排序方式只能是“相关度”（relevance）或“日期”（date）。"),
        ({"q": "社保", "page": "二"}, "页码须为正整数。"),
        ({"q": "社保", "page": "0"}, "页码须为正整数。"),
        ({"q": "社保", "page_size": "500"}, "每页条数须在 1 到 50 之间。"),
        ({"q": "社保", "page": "300"}, "最多只能查看前 1000 条结果，请缩小搜索范围。"),
    ],
)
def test_bad_parameters_get_a_400_with_a_chinese_message(client, params, message):
    assert api(client, status=400, **params) == {"error": message}


def test_answers_may_be_cached_briefly(client):
    response = client.get("/api/search", {"q": "社保"}, **host("fgw"))
    assert response["Cache-Control"] == "public, max-age=60"
    assert response.has_header("Access-Control-Allow-Origin") is False
    assert client.post("/api/search", {"q": "社保"}, **host("fgw")).status_code == 405


def test_unreachable_elasticsearch_without_fallback_answers_limited(client, settings):
    settings.SEARCH = search_setting(
        "elasticsearch", elasticsearch=elasticsearch_config(UNREACHABLE)
    )
    response = client.get("/api/search", {"q": "社保"}, **host("fgw"))
    assert response.status_code == 200
    answer = response.json()
    assert answer["limited"] is True and answer["total"] == 0 and answer["results"] == []
    assert "no-store" in response["Cache-Control"]


def test_unreachable_elasticsearch_with_fallback_answers_from_the_embedded_index(
    client, settings, index_path
):
    """The fallback is the test's embedded index, which holds the corpus."""
    settings.SEARCH = search_setting(
        "elasticsearch",
        fallback="embedded",
        elasticsearch=elasticsearch_config(UNREACHABLE),
        embedded=embedded_config(index_path),
    )
    answer = api(client, q="社保")
    assert answer["fallback"] is True and answer["limited"] is False
    assert answer["total"] == 3
