"""Best bets (置顶推荐, issue 5, point 5): validation in Chinese, matching by normalised words and
synonyms, scope and dates, the API field and the page (escaped), and an admin that only platform
admins can reach — real rows, real requests on each site's hostname."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page

from search.models import BestBet
from sites.models import SiteProfile, SiteRole
from tests.factories import UserFactory, add_article, column, role_users

from .public_world import host, indexed, sites  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("indexed")]

GUIDE_URL = "https://www.example.gov.cn/shebao/"


def bet(terms="社保卡", title="社保卡申领入口", **fields):
    values = {"external_url": GUIDE_URL, "description": "在线申领、补换社保卡。", **fields}
    best_bet = BestBet(terms=terms, title=title, **values)
    best_bet.full_clean()
    best_bet.save()
    return best_bet


def profile(code):
    return SiteProfile.objects.select_related("site").get(code=code)


def api_bets(client, code="fgw", **params):
    response = client.get("/api/search", params, **host(code))
    assert response.status_code == 200, response.content.decode()
    return response.json()["best_bets"]


def titles(client, q, code="fgw"):
    return [item["title"] for item in api_bets(client, code, q=q)]


def errors_of(best_bet):
    with pytest.raises(ValidationError) as caught:
        best_bet.full_clean()
    return {
        field: [str(m) for m in messages] for field, messages in caught.value.message_dict.items()
    }


# --- Validation --------------------------------------------------------------------------------


def test_a_target_is_required_and_only_one():
    page = Page.objects.get(pk=profile("fgw").site.root_page_id)
    neither = BestBet(terms="社保", title="社保")
    assert errors_of(neither) == {"external_url": ["请选择一个站内页面，或填写一个外部链接。"]}
    both = BestBet(terms="社保", title="社保", page=page, external_url=GUIDE_URL)
    assert errors_of(both) == {"external_url": ["站内页面和外部链接只能二选一，请删去其中一个。"]}


def test_the_period_must_end_after_it_starts_and_terms_are_required():
    now = timezone.now()
    backwards = BestBet(
        terms="，、 ", title="社保", external_url=GUIDE_URL, active_from=now, active_until=now
    )
    assert errors_of(backwards) == {
        "terms": ["请至少填写一个触发搜索词。"],
        "active_until": ["结束时间必须晚于开始时间。"],
    }


def test_only_web_addresses_are_accepted():
    assert "external_url" in errors_of(
        BestBet(terms="社保", title="社保", external_url="javascript:alert(1)")
    )
    assert "external_url" in errors_of(
        BestBet(terms="社保", title="社保", external_url="ftp://example.gov.cn/")
    )


def test_trigger_terms_are_stored_normalised_and_once():
    saved = bet(terms="社保卡，ＳＢ卡、 社保卡\n社會保險卡")
    assert saved.terms == "社保卡，sb卡，社会保险卡"


# --- Matching ----------------------------------------------------------------------------------


def test_a_query_equal_to_a_trigger_term_shows_the_bet(client):
    bet(terms="社保卡，社保卡办理")
    assert titles(client, "社保卡") == ["社保卡申领入口"]
    assert titles(client, "  社保卡办理 ") == ["社保卡申领入口"]
    assert titles(client, "社保卡在哪里办") == []
    assert titles(client, "社保") == []


def test_synonyms_match_too(client):
    bet(terms="社会保险", title="社会保险服务专区")
    assert titles(client, "社保") == ["社会保险服务专区"]
    assert titles(client, "社會保險") == ["社会保险服务专区"]


def test_a_bet_for_one_site_shows_only_there(client):
    bet(title="全市通用")
    bet(title="只在发改委", site=profile("fgw"))
    assert titles(client, "社保卡", "fgw") == ["全市通用", "只在发改委"]
    assert titles(client, "社保卡", "qhq") == ["全市通用"]
    assert titles(client, "社保卡", "www") == ["全市通用"]


def test_bets_show_only_in_their_period_and_in_their_order(client):
    now = timezone.now()
    bet(title="第二", sort_order=2, active_until=now + timedelta(days=1))
    bet(title="第一", sort_order=1, active_from=now - timedelta(days=1))
    bet(title="还没开始", active_from=now + timedelta(hours=1))
    bet(title="已经结束", active_from=now - timedelta(days=9), active_until=now - timedelta(days=2))
    assert titles(client, "社保卡") == ["第一", "第二"]


def test_a_page_target_links_to_the_live_page_only(client):
    article = add_article(column(profile("qhq"), "gzdt"), "社保卡申领指南")
    bet(title="社保卡申领指南", external_url="", page=article)
    assert api_bets(client, q="社保卡") == [
        {
            "title": "社保卡申领指南",
            "url": article.get_full_url(),
            "description": "在线申领、补换社保卡。",
        }
    ]
    assert article.get_full_url().startswith("http://qhq.localhost")
    article.unpublish()
    assert api_bets(client, q="社保卡") == []
    article.delete()
    assert not BestBet.objects.exists()


def test_an_edit_applies_to_the_next_search(client):
    saved = bet()
    assert titles(client, "社保卡") == ["社保卡申领入口"]
    saved.title = "社保卡服务"
    saved.save()
    assert titles(client, "社保卡") == ["社保卡服务"]
    saved.delete()
    assert titles(client, "社保卡") == []


def test_best_bets_show_on_the_first_page_only(client):
    bet()
    assert api_bets(client, q="社保卡", page_size=1)
    assert api_bets(client, q="社保卡", page=2, page_size=1) == []


# --- The search page ---------------------------------------------------------------------------


def search_page(client, code="fgw", **params):
    response = client.get("/search/", params, **host(code))
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_page_shows_best_bets_labelled_above_the_results(client):
    bet(terms="社保", title="社保服务专区")
    page = search_page(client, q="社保")
    section = page.find("section", class_="best-bets")
    heading = page.find(id=section["aria-labelledby"])
    assert heading.get_text() == "置顶推荐"
    link = section.find("a")
    assert (link.get_text(), link["href"]) == ("社保服务专区", GUIDE_URL)
    assert section.find(class_="best-bet__description").get_text() == "在线申领、补换社保卡。"
    assert section.find_next(class_="search-results") is not None, "bets come before results"


def test_the_page_shows_best_bets_even_when_nothing_else_is_found(client):
    bet(terms="营业执照补办", title="营业执照补办入口")
    page = search_page(client, q="营业执照补办")
    assert page.find("section", class_="best-bets") is not None
    assert page.find(class_="search-page__empty") is not None


def test_titles_and_descriptions_are_escaped(client):
    bet(title="<script>alert(1)</script>社保", description="<b>加粗</b>")
    response = client.get("/search/", {"q": "社保卡"}, **host("fgw"))
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html and "<b>加粗</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;社保" in html
    assert "&lt;b&gt;加粗&lt;/b&gt;" in html


def test_no_best_bet_no_section(client):
    assert search_page(client, q="社保").find("section", class_="best-bets") is None


# --- The admin ---------------------------------------------------------------------------------


@pytest.fixture
def staff():
    users = {code: role_users(SiteProfile.objects.get(code=code)) for code in ("fgw", "qhq")}
    users["platform"] = UserFactory(username="platform_admin", is_superuser=True)
    return users


def admin_urls():
    saved = bet()
    return {
        "list": reverse("wagtailsnippets_search_bestbet:list"),
        "add": reverse("wagtailsnippets_search_bestbet:add"),
        "edit": reverse("wagtailsnippets_search_bestbet:edit", args=[saved.pk]),
        "delete": reverse("wagtailsnippets_search_bestbet:delete", args=[saved.pk]),
    }


def form_data(**fields):
    return {
        "terms": "社保卡",
        "title": "社保卡申领入口",
        "description": "",
        "page": "",
        "external_url": GUIDE_URL,
        "site": "",
        "active_from": "",
        "active_until": "",
        "sort_order": "0",
        **fields,
    }


@pytest.mark.parametrize("role", [SiteRole.SITE_ADMIN, SiteRole.EDITOR], ids=str)
@pytest.mark.parametrize("code", ["fgw", "qhq"])
def test_site_staff_cannot_reach_best_bets(client, staff, code, role):
    urls = admin_urls()
    client.force_login(staff[code][role])
    for name, url in urls.items():
        response = client.get(url)
        assert response.status_code in (403, 404) or (  # 404: the admin gate, platform-only
            response.status_code == 302 and response.url == reverse("wagtailadmin_home")
        ), f"{name} answered {response.status_code}"
    client.post(urls["add"], form_data(title="偷偷加的"))
    client.post(urls["edit"], form_data(title="偷偷改的"))
    client.post(urls["delete"])
    assert list(BestBet.objects.values_list("title", flat=True)) == ["社保卡申领入口"]
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert '"name": "best-bets"' not in home


def test_platform_admins_manage_best_bets(client, staff):
    client.force_login(staff["platform"])
    assert '"name": "best-bets"' in client.get(reverse("wagtailadmin_home")).content.decode()
    add = reverse("wagtailsnippets_search_bestbet:add")
    response = client.post(add, form_data(terms="营商环境", site=profile("fgw").pk))
    assert response.status_code == 302
    saved = BestBet.objects.get()
    assert (saved.terms, saved.site, saved.external_url) == ("营商环境", profile("fgw"), GUIDE_URL)
    assert titles(client, "营商环境") == ["社保卡申领入口"]


def test_the_admin_form_explains_what_is_wrong_and_saves_nothing(client, staff):
    client.force_login(staff["platform"])
    add = reverse("wagtailsnippets_search_bestbet:add")
    home = profile("fgw").site.root_page_id
    both = client.post(add, form_data(page=home))
    assert "站内页面和外部链接只能二选一，请删去其中一个。" in both.content.decode()
    neither = client.post(add, form_data(external_url=""))
    assert "请选择一个站内页面，或填写一个外部链接。" in neither.content.decode()
    backwards = client.post(
        add, form_data(active_from="2026-03-02 09:00", active_until="2026-03-01 09:00")
    )
    assert "结束时间必须晚于开始时间。" in backwards.content.decode()
    assert not BestBet.objects.exists()
