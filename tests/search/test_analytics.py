"""Search analytics (issue 5, point 6): searches counted per day, site and query from real
requests to the search page and the API, nothing personal stored, hot searches under every
search box, and the 搜索统计 report scoped to the user's sites."""

import csv
import io
import logging

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils import timezone

from home.models import ForbiddenExpression
from search.analytics import HOT_MIN_CLIENTS, HOT_MIN_SEARCHES, HOT_SEARCHES
from search.models import DailySearchClient, DailySearchCount, HotSearchDecision
from search.normalise import normalise_query
from sites.models import SiteProfile, SiteRole
from tests.factories import UserFactory, role_users, seed_searches

from .conftest import UNREACHABLE, elasticsearch_config, search_setting
from .public_world import host, indexed, sites  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indexed")]

NOTHING = "没有这种内容的词语"


def page(client, code="fgw", **params):
    response = client.get("/search/", params, **host(code))
    assert response.status_code == 200
    return response


def api(client, code="fgw", **params):
    response = client.get("/api/search", params, **host(code))
    assert response.status_code == 200, response.content.decode()
    return response.json()


def counts():
    """{(site code, query): (searches, zero results)} of today."""
    rows = DailySearchCount.objects.filter(day=timezone.localdate()).select_related("site")
    return {(row.site.code, row.query): (row.searches, row.zero_results) for row in rows}


def add_counts(code, query, searches, zero_results=0, days_ago=0, clients=None):
    profile = SiteProfile.objects.get(code=code)
    return seed_searches(profile, query, searches, zero_results, days_ago, clients)


# --- Counting ----------------------------------------------------------------------------------


def test_searches_on_the_page_and_the_api_are_counted_per_site_and_query(client):
    page(client, q="社保")
    page(client, q="社保", scope="all")
    api(client, "qhq", q="社保")
    page(client, "www", q="公积金")
    assert counts() == {
        ("fgw", "社保"): (2, 0),
        ("qhq", "社保"): (1, 0),
        ("www", "公积金"): (1, 1),
    }


def test_spellings_of_the_same_words_count_as_one_query(client):
    for spelling in ("社保 5G", "  社保　　５Ｇ ", "社保 5g"):
        api(client, q=spelling)
    api(client, q="社會保險")
    assert counts() == {("fgw", "社保 5g"): (3, 0), ("fgw", "社会保险"): (1, 0)}


def test_normalising_folds_width_case_spaces_and_traditional_and_cuts_to_100():
    assert normalise_query("　ＡＢＣ  Déjà\t１２３ ") == "abc déjà 123"
    assert normalise_query("社會保險") == "社会保险"
    assert normalise_query("字" * 99 + " 尾巴") == "字" * 99
    assert normalise_query(" \u3000 ") == ""


def test_a_search_that_finds_nothing_is_counted_as_such(client):
    page(client, q=NOTHING)
    api(client, q=NOTHING)
    api(client, q="社保")
    assert counts() == {("fgw", NOTHING): (2, 2), ("fgw", "社保"): (1, 0)}


def test_each_day_has_its_own_row(client):
    yesterday = add_counts("fgw", "社保", 5, 1, days_ago=1)
    page(client, q="社保")
    yesterday.refresh_from_db()
    assert (yesterday.searches, yesterday.zero_results) == (5, 1)
    assert counts() == {("fgw", "社保"): (1, 0)}


def test_suggestions_further_pages_and_refinements_are_not_counted_again(client):
    api(client, q="社保", page_size=5, autocomplete=1)  # what static/js/search.js sends
    page(client, q="社保", page=2, page_size=1)
    api(client, q="社保", page=2, page_size=1)
    page(client, q="社保", kind="policy")
    api(client, q="社保", scope="all", site="qhq")
    assert counts() == {}
    api(client, q="社保", page_size=20, autocomplete=1)  # not an autocomplete call after all
    assert counts() == {("fgw", "社保"): (1, 0)}


def test_bad_input_head_requests_and_empty_queries_are_not_counted(client):
    client.get("/api/search", {"q": "社保", "page": 0}, **host("fgw"))
    client.get("/search/", {"q": ""}, **host("fgw"))
    client.head("/search/", {"q": "社保"}, **host("fgw"))
    page(client, q="！？")
    assert counts() == {}


@pytest.mark.parametrize(
    "query", ["13912345678", "身份证 36010219900101123X", "zhang.san@example.com 投诉"]
)
def test_queries_that_look_like_personal_identifiers_are_not_stored(client, query):
    page(client, q=query)
    assert counts() == {}


def test_nothing_personal_is_stored(client):
    fields = {field.name: field for field in DailySearchCount._meta.get_fields()}
    assert set(fields) == {"id", "day", "site", "query", "searches", "zero_results"}
    assert isinstance(fields["day"], models.DateField)
    assert not isinstance(fields["day"], models.DateTimeField)

    client.force_login(UserFactory(username="citizen_account"))
    client.get(
        "/search/",
        {"q": "社保"},
        REMOTE_ADDR="203.0.113.7",
        HTTP_USER_AGENT="Mozilla/5.0 test-agent",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
        **host("fgw"),
    )
    stored = [str(value) for value in DailySearchCount.objects.values_list().get()]
    assert not any(
        secret in value
        for value in stored
        for secret in (
            "203.0.113",
            "198.51.100",
            "test-agent",
            "citizen",
            client.session.session_key,
        )
    )


@pytest.mark.parametrize(
    "remote, distinct",
    [
        ("10.0.0.5", 2),  # nginx: the visitor is the forwarded address
        ("203.0.113.7", 1),  # a client that wrote the header itself: ignored
    ],
)
def test_visitors_are_told_apart_by_the_address_the_trusted_proxy_saw(
    client, settings, remote, distinct
):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    for visitor in ("198.51.100.1", "198.51.100.2", "198.51.100.2"):
        client.get(
            "/api/search",
            {"q": "社保"},
            REMOTE_ADDR=remote,
            HTTP_X_FORWARDED_FOR=visitor,
            **host("fgw"),
        )
    assert DailySearchClient.objects.filter(query="社保").count() == distinct


def test_an_unreachable_engine_counts_the_search_but_not_as_one_without_results(client, settings):
    settings.SEARCH = search_setting(
        "elasticsearch", elasticsearch=elasticsearch_config(UNREACHABLE)
    )
    assert api(client, q="社保")["limited"] is True
    assert counts() == {("fgw", "社保"): (1, 0)}


@pytest.mark.parametrize("path", ["/search/", "/api/search"])
def test_counting_never_breaks_a_search(client, path, caplog):
    """The counts table is gone (a failed migration, say): the search is answered all the same.
    The savepoint puts the table back, and on PostgreSQL also ends the aborted transaction."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"ALTER TABLE {DailySearchCount._meta.db_table} RENAME TO search_counts_away"
            )
        with caplog.at_level(logging.ERROR, logger="search.analytics"):
            response = client.get(path, {"q": "社保"}, **host("fgw"))
        transaction.set_rollback(True)
    assert response.status_code == 200
    assert "缴费基数的通知" in response.content.decode()
    assert "a search could not be counted" in caplog.text
    assert not DailySearchCount.objects.exists()


# --- Hot searches ------------------------------------------------------------------------------


def hot(client, code="fgw", path="/"):
    """The hot searches under the header's search box: (label, [(text, href)])."""
    response = client.get(path, **host(code))
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    box = soup.find(class_="site-header").find(class_="hot-searches")
    if box is None:
        return None
    listing = box.find("ul")
    label = soup.find(id=listing["aria-labelledby"]).get_text(strip=True)
    return label, [(a.get_text(), a["href"]) for a in listing.find_all("a")]


def test_hot_searches_are_links_under_the_search_box_of_every_page(client):
    add_counts("fgw", "社保卡", 4)
    add_counts("fgw", "公积金 提取", 2, days_ago=3)
    add_counts("fgw", "公积金 提取", 2, days_ago=6)
    expected = ("热门搜索：", [("社保卡", "/search/?q=%E7%A4%BE%E4%BF%9D%E5%8D%A1")])
    assert hot(client) == (
        expected[0],
        [
            ("公积金 提取", "/search/?q=%E5%85%AC%E7%A7%AF%E9%87%91%20%E6%8F%90%E5%8F%96"),
            *expected[1],
        ],
    )
    assert hot(client, path="/search/") == hot(client)


def test_hot_searches_need_enough_searches_that_found_something_this_week(client):
    add_counts("fgw", "刚够", HOT_MIN_SEARCHES)
    add_counts("fgw", "差一次", HOT_MIN_SEARCHES - 1)
    add_counts("fgw", "多数没结果", HOT_MIN_SEARCHES + 2, zero_results=3)
    add_counts("fgw", "上周的", 50, days_ago=7)
    add_counts("qhq", "别的站点", 50)
    assert hot(client) == ("热门搜索：", [("刚够", "/search/?q=%E5%88%9A%E5%A4%9F")])


def test_hot_searches_are_most_found_first_and_at_most_six(client):
    for number in range(HOT_SEARCHES + 2):
        add_counts("qhq", f"热词{number}", HOT_MIN_SEARCHES + number)
    _, links = hot(client, "qhq")
    assert [text for text, _ in links] == [f"热词{n}" for n in range(HOT_SEARCHES + 1, 1, -1)]


def test_the_portal_shows_the_hot_searches_of_all_sites(client):
    add_counts("fgw", "社保", 2)
    add_counts("qhq", "社保", 2)
    add_counts("www", "公积金", 3)
    _, links = hot(client, "www")
    assert [text for text, _ in links] == ["社保", "公积金"]
    assert hot(client, "fgw") is None


def test_no_hot_searches_means_no_empty_list(client):
    assert hot(client) is None


def test_a_query_with_a_serious_wording_error_is_never_a_hot_search(client):
    add_counts("fgw", "国家工商总局 地址", 10)
    add_counts("fgw", "社保", 5)
    ForbiddenExpression.objects.create(expression="国家工商 总局", correct="国家市场监督管理总局")
    assert [text for text, _ in hot(client)[1]] == ["社保"]


def test_a_new_serious_wording_error_leaves_the_cached_hot_searches_at_once(client):
    add_counts("fgw", "社保 违规表述", 10)
    assert [text for text, _ in hot(client, path="/search/")[1]] == ["社保 违规表述"]
    ForbiddenExpression.objects.create(expression="违规表述")
    assert hot(client, path="/search/") is None


def test_hot_searches_are_cached_for_the_site(client):
    add_counts("fgw", "社保", 5)
    hot(client, path="/search/")
    add_counts("fgw", "公积金", 9)
    assert [text for text, _ in hot(client, path="/search/")[1]] == ["社保"]


def test_one_client_repeating_a_query_never_makes_it_hot(client):
    for _ in range(50):
        response = client.get(
            "/api/search", {"q": "社保"}, REMOTE_ADDR="203.0.113.7", **host("fgw")
        )
        assert response.status_code == 200
    assert counts()[("fgw", "社保")] == (50, 0)
    assert DailySearchClient.objects.filter(query="社保").count() == 1
    assert hot(client) is None


def test_distinct_clients_make_a_hot_search(client):
    for number in range(HOT_MIN_CLIENTS):
        address = f"203.0.113.{number + 1}"
        client.get("/api/search", {"q": "社保"}, REMOTE_ADDR=address, **host("fgw"))
    assert [text for text, _ in hot(client)[1]] == ["社保"]


def test_the_client_is_stored_only_as_a_salted_hash(client):
    client.get("/api/search", {"q": "社保"}, REMOTE_ADDR="203.0.113.9", **host("fgw"))
    stored = DailySearchClient.objects.get(query="社保").client
    assert "203.0.113.9" not in stored and len(stored) == 32
    cache.delete(f"search:client-salt:{timezone.localdate()}")  # the next day's salt
    client.get("/api/search", {"q": "社保"}, REMOTE_ADDR="203.0.113.9", **host("fgw"))
    assert DailySearchClient.objects.filter(query="社保").count() == 2, "not linkable"


def test_a_query_needs_enough_distinct_clients(client):
    add_counts("fgw", "刷出来的", 40, clients=HOT_MIN_CLIENTS - 1)
    add_counts("fgw", "社保", HOT_MIN_SEARCHES)
    assert [text for text, _ in hot(client)[1]] == ["社保"]


def test_platform_admins_block_a_query(client):
    add_counts("fgw", "社保", 9)
    add_counts("fgw", "公积金", 5)
    HotSearchDecision.objects.create(query="社保", approved=False)
    assert [text for text, _ in hot(client)[1]] == ["公积金"]


def test_with_approval_on_only_approved_queries_are_shown(client, settings):
    settings.HOT_SEARCHES_NEED_APPROVAL = True
    add_counts("fgw", "社保", 9)
    add_counts("fgw", "公积金", 5)
    assert hot(client, path="/search/") is None
    HotSearchDecision.objects.create(query=" 公积金 ", approved=True)
    assert [text for text, _ in hot(client, path="/search/")[1]] == ["公积金"]


def test_english_pages_show_no_chinese_hot_searches(client):
    add_counts("www", "社保", 5)
    assert hot(client, "www", path="/en/") is None


# --- The 搜索统计 report ------------------------------------------------------------------------


@pytest.fixture
def staff():
    users = {code: role_users(SiteProfile.objects.get(code=code)) for code in ("fgw", "qhq")}
    users["platform"] = UserFactory(username="platform_admin", is_superuser=True)
    return users


@pytest.fixture
def searched():
    add_counts("fgw", "社保", 7)
    add_counts("fgw", "社保", 3, days_ago=20)
    add_counts("fgw", NOTHING, 2, zero_results=2)
    add_counts("fgw", "很久以前", 9, days_ago=60)
    add_counts("qhq", "清河 办事大厅", 4, zero_results=1)


def report(client, user, **params):
    client.force_login(user)
    return client.get(reverse("search_report"), params)


def tables(response):
    """{table heading: [[cells]]} and the totals of the report page."""
    soup = BeautifulSoup(response.content, "html.parser")
    found = {}
    for table in soup.select("table.listing"):
        heading = soup.find(id=table["aria-labelledby"]).get_text(strip=True)
        found[heading] = [[td.get_text() for td in tr.find_all("td")] for tr in table.tbody("tr")]
    totals = soup.find(class_="search-report__totals")
    if totals:
        found["totals"] = dict(
            zip(
                [dt.get_text() for dt in totals("dt")],
                [dd.get_text() for dd in totals("dd")],
                strict=True,
            )
        )
    return found


@pytest.mark.usefixtures("searched")
def test_platform_admins_see_every_site_and_may_pick_one(client, staff):
    everything = tables(report(client, staff["platform"]))
    assert everything["热门搜索词"] == [
        ["社保", "7", "0"],
        ["清河 办事大厅", "4", "1"],
        [NOTHING, "2", "2"],
    ]
    assert everything["无结果搜索词"] == [[NOTHING, "2", "2"], ["清河 办事大厅", "4", "1"]]
    assert everything["totals"] == {
        "搜索次数": "13",
        "不同搜索词": "3",
        "无结果搜索次数": "3（23.1%）",
    }
    fgw = SiteProfile.objects.get(code="fgw")
    month = tables(report(client, staff["platform"], site=fgw.pk, days=30))
    assert month["热门搜索词"] == [["社保", "10", "0"], [NOTHING, "2", "2"]]
    quarter = tables(report(client, staff["platform"], site=fgw.pk, days=90))
    assert quarter["totals"]["搜索次数"] == "21"


@pytest.mark.usefixtures("searched")
def test_a_site_admin_sees_only_their_own_site(client, staff):
    response = report(client, staff["qhq"][SiteRole.SITE_ADMIN])
    assert tables(response)["热门搜索词"] == [["清河 办事大厅", "4", "1"]]
    choices = BeautifulSoup(response.content, "html.parser").find("select", attrs={"name": "site"})
    assert [option.get_text() for option in choices("option")] == ["江州市清河区人民政府"]
    fgw = SiteProfile.objects.get(code="fgw")
    refused = report(client, staff["qhq"][SiteRole.SITE_ADMIN], site=fgw.pk)
    html = refused.content.decode()
    assert "没有这个站点，或您无权查看它的搜索统计。" in html
    assert "社保" not in html and not tables(refused)


@pytest.mark.parametrize(
    "role", [SiteRole.EDITOR, SiteRole.FIRST_REVIEWER, SiteRole.FINAL_REVIEWER], ids=str
)
def test_other_roles_cannot_open_the_report_nor_see_it_in_the_menu(client, staff, role):
    response = report(client, staff["fgw"][role])
    assert response.status_code == 403 or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    )
    assert (
        '"name": "search-report"' not in client.get(reverse("wagtailadmin_home")).content.decode()
    )


def test_admins_find_the_report_in_the_menu(client, staff):
    for user in (staff["platform"], staff["fgw"][SiteRole.SITE_ADMIN]):
        client.force_login(user)
        assert (
            '"name": "search-report"' in client.get(reverse("wagtailadmin_home")).content.decode()
        )


def test_a_bad_period_is_refused_with_a_message(client, staff):
    response = report(client, staff["platform"], days=365)
    assert "时间范围只能是最近 7 天、30 天或 90 天。" in response.content.decode()
    assert not tables(response)


@pytest.mark.usefixtures("searched")
def test_the_period_downloads_as_csv_with_formulas_kept_as_text(client, staff):
    add_counts("fgw", "=cmd()", 1)
    response = report(client, staff["fgw"][SiteRole.SITE_ADMIN], days=90, format="csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "search-fgw-90d-" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [
        ["搜索词", "搜索次数", "无结果次数"],
        ["社保", "10", "0"],
        ["很久以前", "9", "0"],
        [NOTHING, "2", "2"],
        ["'=cmd()", "1", "0"],
    ]
