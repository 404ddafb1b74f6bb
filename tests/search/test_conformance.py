"""The conformance suite: every backend behaves the same behind search.service.search.

Parametrised by the `engine` fixture: embedded always, Elasticsearch when ELASTICSEARCH_URL is
set. Documents go straight into the backend; the query goes through the service, as the search
page and the API will send it.
"""

import pytest

from search.backends import SearchUnavailable
from search.query import InvalidQuery, SearchQuery
from search.service import search

from .conftest import doc, embedded_config, search_setting

pytestmark = pytest.mark.django_db


def ids(results):
    return [hit.document.id.split(":")[1] for hit in results.hits]


def find(text="", **options):
    return search(SearchQuery(text=text, **options))


def test_documents_round_trip(engine):
    original = doc(
        "p1",
        "关于调整社保缴费基数的通知",
        "各单位：现将社保缴费基数调整如下。",
        kind="policy",
        document_number="江发改〔2025〕3号",
        issuing_organ="江州市发展和改革委员会",
        topic="社会保障",
        validity="valid",
    )
    engine.upsert([original, doc("q1", "清河区召开工作会议", site="qhq")])
    results = find("社保")
    assert results.total == 1 and results.backend == engine.name
    assert results.hits[0].document == original
    assert not results.fallback and not results.limited


def test_upsert_replaces_and_delete_removes(engine):
    engine.upsert([doc("a", "旧标题：城市绿化规划"), doc("b", "城市绿化养护", site="qhq")])
    engine.upsert([doc("a", "新标题：道路交通规划")])
    assert ids(find("绿化")) == ["b"]
    assert ids(find("交通")) == ["a"]
    engine.delete(["test.doc:a", "test.doc:never-indexed"])
    assert find("交通").total == 0
    assert set(engine.fingerprints()) == {"test.doc:b"}


def test_filters_and_exclusions(engine):
    engine.upsert(
        [
            doc("f1", "城市更新实施方案", site="fgw", kind="policy", validity="valid"),
            doc("f2", "城市更新政策解读", site="fgw", kind="interpretation"),
            doc("q1", "城市更新工作动态", site="qhq", days_ago=400),
            doc("e1", "Urban renewal 城市更新 plan", site="fgw", language="en"),
        ]
    )
    assert sorted(ids(find("城市更新", filters={"site_code": "fgw"}))) == ["e1", "f1", "f2"]
    assert ids(find("城市更新", filters={"kind": ["policy"]})) == ["f1"]
    assert ids(find("城市更新", filters={"validity": "valid"})) == ["f1"]
    assert ids(find("城市更新", filters={"language": "en"})) == ["e1"]
    assert ids(find("城市更新", filters={"year": 2025})) == ["q1"]
    assert "q1" not in ids(find("城市更新", exclude={"site_code": ["qhq"]}))
    assert find("城市更新", filters={"site_code": "fgw", "kind": "article"}).total == 1


def test_facets_count_the_whole_matched_set(engine):
    engine.upsert(
        [doc(f"f{n}", f"营商环境第{n}期", site="fgw", days_ago=n * 400) for n in range(3)]
        + [doc("q0", "营商环境简报", site="qhq", kind="policy")]
        + [doc("x", "无关的内容", site="qhq")]
    )
    results = find("营商环境", page_size=1, facets=("site_code", "kind", "year"))
    assert results.total == 4 and len(results.hits) == 1
    sites = [(v.value, v.count, v.label) for v in results.facets["site_code"]]
    assert sites == [("fgw", 3, "江州市发展和改革委员会"), ("qhq", 1, "江州市清河区人民政府")]
    kinds = {v.value: (v.count, v.label) for v in results.facets["kind"]}
    assert kinds == {"article": (3, "文章"), "policy": (1, "政策文件")}
    years = [(v.value, v.count) for v in results.facets["year"]]
    assert years == [(2026, 2), (2025, 1), (2023, 1)], "newest year first"


def test_pagination(engine):
    engine.upsert([doc(f"d{n:02d}", f"政务公开第{n}号", days_ago=n) for n in range(23)])
    pages = [find("政务公开", page=n, page_size=10, sort="date") for n in (1, 2, 3)]
    assert [len(p.hits) for p in pages] == [10, 10, 3]
    assert pages[0].total == 23 and pages[0].page_count == 3
    seen = [key for page in pages for key in ids(page)]
    assert seen == [f"d{n:02d}" for n in range(23)], "no gaps or repeats, newest first"


def test_sort_by_date_ignores_relevance(engine):
    engine.upsert(
        [
            doc("old", "公积金提取办法", "公积金提取公积金提取", days_ago=30),
            doc("new", "办事指南", "可以提取公积金。", days_ago=1),
        ]
    )
    assert ids(find("公积金 提取")) == ["old", "new"]
    assert ids(find("公积金 提取", sort="date")) == ["new", "old"]


def test_empty_query_browses_newest_first(engine):
    engine.upsert([doc("a", "甲", days_ago=3), doc("b", "乙", days_ago=1, site="qhq")])
    results = find("", filters={"site_code": ["fgw", "qhq"]})
    assert ids(results) == ["b", "a"] and results.total == 2


def test_highlights_are_escaped_and_marked(engine):
    body = "前言" * 100 + "<script>alert(1)</script>申请社保缴费基数调整的材料" + "结尾" * 100
    engine.upsert([doc("h", "社保缴费基数<b>调整</b>", body)])
    hit = find("社保缴费").hits[0]
    assert hit.title_html == "<mark>社保缴费</mark>基数&lt;b&gt;调整&lt;/b&gt;"
    assert "&lt;script&gt;" in hit.snippet_html and "<script>" not in hit.snippet_html
    assert "<mark>社保缴费</mark>" in hit.snippet_html
    assert hit.snippet_html.startswith("…") and hit.snippet_html.endswith("…")


def test_rebuild_swaps_atomically(engine):
    engine.upsert([doc("old", "即将删除的旧文档：垃圾分类")])

    def documents():
        yield doc("n1", "垃圾分类新规")
        # Mid-rebuild, searches still see the old index.
        assert ids(find("垃圾分类")) == ["old"]
        yield doc("n2", "垃圾分类指南", site="qhq")

    assert engine.rebuild(documents()) == 2
    assert sorted(ids(find("垃圾分类"))) == ["n1", "n2"]


def test_failed_rebuild_keeps_the_old_index(engine):
    engine.upsert([doc("kept", "保留的文档：河长制")])

    def documents():
        yield doc("n1", "河长制新文档")
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        engine.rebuild(documents())
    assert ids(find("河长制")) == ["kept"]


def test_fingerprints_show_what_is_indexed(engine):
    first, second = doc("a", "标题一"), doc("b", "标题二")
    engine.upsert([first, second])
    assert engine.fingerprints() == {first.id: first.fingerprint, second.id: second.fingerprint}
    assert engine.size_bytes() > 0


def test_relaxed_matching_when_every_piece_is_too_strict(engine):
    engine.upsert([doc("a", "新生儿医保参保登记"), doc("b", "无关")])
    results = find("如何办理新生儿参保")
    assert ids(results) == ["a"]
    assert results.query.relaxed


def test_relaxed_matching_keeps_synonyms(engine):
    engine.upsert([doc("a", "社会保障卡申领指南"), doc("b", "无关"), doc("c", "社会新闻")])
    results = find("社保 abc")  # no document has abc; 社保 means 社会保障 (seeded group)
    assert ids(results) == ["a"]
    assert results.query.relaxed


def test_site_homes_and_columns_never_outrank_content_when_relaxed(engine):
    engine.upsert(
        [
            doc("home", "社保服务", kind="home"),
            doc("column", "社保 参保", kind="column"),
            doc("item", "办理指南", body="新生儿参保登记需要出生医学证明"),
        ]
    )
    results = find("社保 参保登记")
    assert results.query.relaxed
    assert ids(results) == ["item"]
    alone = find("社保服务 栏目导航")  # no content item matches: the navigation pages answer
    assert set(ids(alone)) == {"home", "column"}


def test_short_queries_are_never_relaxed(engine):
    engine.upsert([doc("a", "社会事务管理局")])
    results = find("社保")  # nothing about 社保 or its synonyms: 社会 alone must not do
    assert results.total == 0 and not results.query.relaxed


def test_punctuation_only_finds_nothing(engine):
    engine.upsert([doc("a", "标题")])
    assert find("，。！？").total == 0


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"text": "长" * 101}, "搜索词不能超过 100 个字。"),
        ({"page": 0}, "页码须为正整数。"),
        ({"page_size": 500}, "每页条数须在 1 到 50 之间。"),
        ({"sort": "hot"}, "排序方式只能是“相关度”或“日期”。"),
        ({"filters": {"author": "x"}}, "不支持按“author”筛选。"),
        ({"page": 200, "page_size": 10}, "最多只能查看前 1000 条结果，请缩小搜索范围。"),
    ],
)
def test_bad_queries_are_refused_in_chinese(options, message):
    with pytest.raises(InvalidQuery) as error:
        SearchQuery(**options)
    assert str(error.value) == message


def test_embedded_reports_an_unusable_index_as_unavailable(settings, tmp_path):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("")
    settings.SEARCH = search_setting(
        "embedded", embedded=embedded_config(blocker / "index.sqlite3")
    )
    from search.backends import primary_backend

    with pytest.raises(SearchUnavailable):
        primary_backend().upsert([doc("a", "标题")])
    results = find("标题")
    assert results.limited and results.total == 0
