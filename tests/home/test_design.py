"""The public design system as served: components on every page type, the portal home, images
through renditions, the accent palette as CSS rules, the page-weight budget and fingerprinted,
compressed static files.

The world is a portal with content in each home section, a department with a policy document,
its interpretation and an attachment, and a district site, so a part that shows another site's
content shows up.
"""

import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings

from home.blocks import BodyBlock
from home.models import Attachment, InterpretationPage, PolicyDocumentPage
from sites.standards import load_standards
from tests.conftest import module_world
from tests.factories import add_article, add_document, add_image, column, provision

pytestmark = pytest.mark.django_db

CSS = settings.BASE_DIR / "static" / "css" / "site.css"
PORTAL_QUERY_BUDGET = 20  # 18 measured: site, page, chrome, sections, directory
NOW = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)


def add_policy(profile, title, **fields):
    return column(profile, "zfxxgk/fdzdgknr/zcwj").add_child(
        instance=PolicyDocumentPage(
            title=title,
            live=True,
            written_date=date(2026, 3, 1),
            topic="综合政务",
            published_at=NOW,
            **fields,
        )
    )


def add_interpretation(profile, title, policy):
    interpretation = InterpretationPage(title=title, live=True, kind="qa", published_at=NOW)
    interpretation.policies = [policy]
    return column(profile, "zcjd").add_child(instance=interpretation)


def _build():
    portal = provision("www", "portal")
    edu = provision("edu", accent_colour="teal")
    district = provision("qx", "district", accent_colour="green")
    cover = add_image(portal, "开工现场")
    news = column(portal, "yw")
    world = {"portal": portal, "edu": edu, "district": district, "cover": cover}
    world["lead"] = add_article(
        news,
        "全市重点项目集中开工",
        cover_image=cover,
        cover_alt="项目开工仪式现场",
        lead="一季度重点项目集中开工。",
        published_at=NOW,
    )
    world["news"] = add_article(news, "市政府常务会议召开", published_at=NOW - timedelta(days=1))
    world["notice"] = add_article(column(portal, "tzgg"), "关于清明节放假的通知", published_at=NOW)
    portal_policy = add_policy(portal, "市政府关于优化营商环境的意见")
    world["portal_policy"] = portal_policy
    world["portal_interpretation"] = add_interpretation(portal, "图解营商环境意见", portal_policy)

    world["edu_news"] = add_article(column(edu, "gzdt"), "全市教育工作会议召开", published_at=NOW)
    policy = add_policy(edu, "关于做好招生工作的通知", document_number="测教发〔2026〕1号")
    world["policy"] = policy
    world["document"] = add_document(edu, "招生计划表")
    Attachment.objects.create(page=policy, document=world["document"], title="附件1：招生计划")
    world["interpretation"] = add_interpretation(edu, "招生政策问答", policy)
    figure = BodyBlock().to_python(
        [
            {
                "type": "figure",
                "value": {
                    "image": {"image": cover.pk, "decorative": False, "alt_text": "新校区"},
                    "caption": "新校区教学楼",
                },
            }
        ]
    )
    world["figure_article"] = add_article(
        column(edu, "gzdt"), "新校区启用", body=figure, published_at=NOW - timedelta(days=1)
    )
    return world


world = module_world(_build)


@pytest.fixture(scope="module", autouse=True)
def _media_root(tmp_path_factory):
    """One media folder for the whole module (it overrides conftest's folder per test): the
    world's images must outlive the test that happens to build it."""
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Each request renders the page (the cache has its own tests)."""
    settings.PAGE_CACHE_SECONDS = 0


def get(client, profile, path="/"):
    response = client.get(path, HTTP_HOST=profile.site.hostname)
    assert response.status_code == 200, f"{profile.site.hostname}{path}: {response.status_code}"
    return response


def soup(client, profile, path="/"):
    return BeautifulSoup(get(client, profile, path).content, "html.parser")


def site_path(page):
    return page.get_url_parts()[2]


def texts(elements):
    return [" ".join(element.get_text().split()) for element in elements]


# --- The palette --------------------------------------------------------------------------


def css_accent_rules():
    rules = re.findall(
        r'\[data-accent="([a-z]+)"\]\s*\{\s*--accent:\s*(#[0-9a-fA-F]{6});\s*\}', CSS.read_text()
    )
    return {key: colour.lower() for key, colour in rules}


def test_every_palette_key_has_its_rule_in_site_css():
    palette = {key: colour.lower() for key, (_label, colour) in load_standards().palette.items()}
    assert css_accent_rules() == palette


def _luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_every_accent_keeps_white_text_readable():
    for key, colour in css_accent_rules().items():
        contrast = (1.05) / (_luminance(colour) + 0.05)
        assert contrast >= 4.5, f"{key} {colour}: {contrast:.2f}:1 against white"


def test_each_site_carries_its_own_accent_key(client, world):
    for profile in (world["portal"], world["edu"], world["district"]):
        assert soup(client, profile).body["data-accent"] == profile.accent_colour


# --- Components on every page -------------------------------------------------------------


def test_element_ids_are_unique_on_every_page_type(client, world):
    pages = [
        (world["portal"], "/"),
        (world["portal"], "/zcwjk/"),
        (world["edu"], "/"),
        (world["edu"], "/gzdt/"),
        (world["edu"], site_path(world["policy"])),
        (world["edu"], site_path(world["interpretation"])),
        (world["edu"], site_path(world["figure_article"])),
        (world["district"], "/sitemap/"),
    ]
    for profile, path in pages:
        ids = [element["id"] for element in soup(client, profile, path).find_all(id=True)]
        assert len(ids) == len(set(ids)), f"{path}: {sorted(ids)}"


def test_head_links_favicon_stylesheet_and_deferred_script(client, world):
    page = soup(client, world["edu"])
    assert page.find("link", rel="icon")["href"] == "/favicon.ico"
    assert page.find("link", rel="stylesheet")["href"] == "/static/css/site.css"
    script = page.find("script")
    assert script["src"] == "/static/js/site.js" and script.has_attr("defer")


def test_header_names_the_site_and_links_the_portal(client, world):
    header = soup(client, world["edu"]).find("header")
    name = header.find("a", class_="site-header__name")
    assert name["href"] == f"{world['edu'].root_url}/"
    assert name.get_text(strip=True) == world["edu"].name
    portal = header.find("a", class_="site-header__portal")
    assert portal["href"] == f"{world['portal'].root_url}/"
    assert soup(client, world["portal"]).find("a", class_="site-header__portal") is None


def test_logo_is_a_sharp_rendition_beside_the_name(client, world):
    edu = world["edu"]
    edu.logo = add_image(edu, "教育局标志")
    edu.save()
    logo = soup(client, edu).find("a", class_="site-header__name").img
    assert logo["alt"] == "", "decorative: the site name is the link text"
    assert logo["height"] == "48" and int(logo["width"]) > 0
    one, two = [candidate.split() for candidate in logo["srcset"].split(", ")]
    assert one == [logo["src"], "1x"] and two[1] == "2x" and two[0] != one[0]
    assert logo["decoding"] == "async"
    assert soup(client, world["district"]).find("img", class_="site-header__logo") is None


def test_search_box_is_a_labelled_get_form_to_search(client, world):
    form = soup(client, world["district"]).find("form", role="search")
    assert form["action"] == "/search/" and form["method"] == "get"
    field = form.find("input", attrs={"name": "q"})
    assert form.find("label", attrs={"for": field["id"]}).get_text() == "搜索"
    assert form.find("button", type="submit")


def test_main_navigation_lists_the_first_level_and_marks_the_current_section(client, world):
    edu = world["edu"]
    nav = soup(client, edu, site_path(world["policy"])).find("nav", class_="main-nav")
    links = {link.get_text(strip=True): link for link in nav.find_all("a")}
    assert list(links)[:3] == ["首页", "机构概况", "工作动态"]
    assert links["政府信息公开"]["href"] == "/zfxxgk/"
    assert links["政府信息公开"]["aria-current"] == "true"
    assert [name for name, link in links.items() if link.has_attr("aria-current")] == [
        "政府信息公开"
    ]
    home_nav = soup(client, edu).find("nav", class_="main-nav")
    assert home_nav.find("a", attrs={"aria-current": "page"}).get_text() == "首页"


def test_breadcrumb_leads_from_home_to_the_page(client, world):
    policy = world["policy"]
    crumbs = soup(client, world["edu"], site_path(policy)).find("nav", class_="breadcrumb")
    assert texts(crumbs.find_all("a")) == [
        "首页",
        "政府信息公开",
        "法定主动公开内容",
        "政策文件",
        policy.title,
    ]
    assert crumbs.find_all("a")[-1]["aria-current"] == "page"
    assert soup(client, world["edu"]).find("nav", class_="breadcrumb") is None


def test_item_pages_offer_print_and_reading_aids_for_scripts_to_reveal(client, world):
    page = soup(client, world["edu"], site_path(world["edu_news"]))
    # data-pending: invisible until site.js runs, but laid out, so revealing them shifts nothing.
    tools = page.find(class_="page-tools")
    assert tools.has_attr("data-pending") and tools.find("button", attrs={"data-print": True})
    aids = page.find(class_="reading-aids")
    assert aids.has_attr("data-pending")
    labels = texts(aids.find_all("button"))
    assert labels == ["A−（缩小字号）", "A（默认字号）", "A+（放大字号）", "朗读"]
    assert all(button["type"] == "button" for button in aids.find_all("button"))
    assert soup(client, world["edu"]).find(class_="page-tools") is None, "not on home pages"


def test_policy_document_shows_metadata_table_interpretations_and_attachments(client, world):
    policy, edu = world["policy"], world["edu"]
    page = soup(client, edu, site_path(policy))
    cells = dict(
        zip(
            texts(page.select(".disclosure-table th")),
            texts(page.select(".disclosure-table td")),
            strict=True,
        )
    )
    assert cells["索引号"] == policy.index_number
    assert cells["发文字号"] == "测教发〔2026〕1号"
    assert cells["发布机构"] == edu.sponsor
    assert cells["成文日期"] == "2026-03-01"
    assert cells["有效性"] == "有效"
    interpretations = page.find("section", class_="interpretations")
    assert (site_path(world["interpretation"]), "招生政策问答") in [
        (link["href"], link.get_text()) for link in interpretations.find_all("a")
    ]
    attachment = page.find("section", class_="attachments").find("a")
    assert attachment.get_text() == "附件1：招生计划"
    assert attachment["href"] == world["document"].url
    assert attachment["data-print-url"] == f"{edu.root_url}{world['document'].url}"


def test_column_lists_items_with_dates_and_feed(client, world):
    page = soup(client, world["edu"], "/gzdt/")
    items = page.select(".article-list .list-item")
    assert [item.a.get_text() for item in items][:1] == ["全市教育工作会议召开"]
    assert items[0].time.get_text() == "2026-03-10 10:00"
    assert page.find("a", string="RSS 订阅")["href"] == "/gzdt/feed/"


def test_content_images_are_responsive_renditions(client, world):
    page = soup(client, world["edu"], site_path(world["figure_article"]))
    image = page.find("figure", class_="figure").img
    assert image["alt"] == "新校区"
    assert image["src"].startswith("/media/images/")
    assert image["width"] and image["height"]
    assert image["loading"] == "lazy" and image["decoding"] == "async"


# --- Home pages ---------------------------------------------------------------------------


def test_portal_home_leads_with_the_newest_news_that_has_a_cover(client, world):
    page = soup(client, world["portal"])
    lead = page.find("article", class_="lead-story")
    assert lead.h2.a.get_text() == world["lead"].title
    image = lead.img
    assert image["alt"] == "项目开工仪式现场"
    assert image["srcset"] and image["sizes"]
    assert image["width"] and image["height"]
    assert image["loading"] == "lazy" and image["decoding"] == "async"
    news = page.find(
        "section", attrs={"aria-labelledby": f"section-{column(world['portal'], 'yw').pk}"}
    )
    assert texts(news.select(".list-item__title")) == ["市政府常务会议召开"], "lead not repeated"


def test_portal_home_sections_show_notices_policies_and_interpretations(client, world):
    page = soup(client, world["portal"])
    sections = {
        section.h2.get_text(): section
        for section in page.find_all("section", class_="home-section")
    }
    assert list(sections) == ["要闻动态", "通知公告", "政策文件", "政府信息公开年报", "政策解读"]
    assert texts(sections["通知公告"].select(".list-item__title")) == ["关于清明节放假的通知"]
    assert texts(sections["政策文件"].select(".list-item__title")) == [world["portal_policy"].title]
    assert texts(sections["政策解读"].select(".list-item__title")) == ["图解营商环境意见"]
    more = sections["通知公告"].find("a", class_="home-section__more")
    assert more["href"] == "/tzgg/" and more.get_text() == "更多通知公告"
    assert "全市教育工作会议召开" not in page.get_text(), "another site's news"


def test_portal_home_offers_the_declared_services(client, world):
    services = soup(client, world["portal"]).find("section", class_="services")
    links = [(link.get_text(), link["href"]) for link in services.find_all("a")]
    standards = load_standards()
    for service in standards.portal_services:
        href = dict(links)[service.title]
        assert urlsplit(href).path == "/search/", service.title
        assert parse_qs(urlsplit(href).query) == {"q": [service.query]}
    assert ("全部服务", standards.portal_services_more) in links


def test_home_pages_lead_into_interaction(client, world):
    for profile, channel in [(world["portal"], "市长信箱"), (world["district"], "区长信箱")]:
        entry = soup(client, profile).find("section", class_="interaction")
        links = {link.get_text(): link["href"] for link in entry.find_all("a")}
        assert links["进入互动交流"] == "/hdjl/"
        assert links[channel].startswith("/hdjl/")


def test_portal_directory_has_a_filter_for_scripts_and_a_live_count(client, world):
    directory = soup(client, world["portal"]).find("section", class_="directory")
    filter_box = directory.find(class_="directory__filter")
    assert filter_box.has_attr("hidden"), "without JavaScript the whole list shows"
    field = filter_box.find("input", id="directory-filter")
    assert filter_box.find("label", attrs={"for": "directory-filter"})
    status = directory.find(id=field["aria-describedby"])
    assert status["aria-live"] == "polite"
    entries = directory.select("li[data-keywords]")
    assert {entry.a.get_text() for entry in entries} == {world["edu"].name, world["district"].name}
    assert "edu" in entries[0]["data-keywords"].split()


def test_department_home_shows_its_own_sections_without_portal_parts(client, world):
    page = soup(client, world["edu"])
    sections = [
        section.h2.get_text() for section in page.find_all("section", class_="home-section")
    ]
    assert sections[:2] == ["工作动态", "通知公告"]
    assert "全市教育工作会议召开" in texts(page.select(".list-item__title"))
    assert page.find("section", class_="directory") is None
    assert page.find("section", class_="services") is None


def test_portal_home_needs_few_queries(client, world):
    get(client, world["portal"])  # renditions are made once, on the first view
    with CaptureQueriesContext(connection) as queries:
        get(client, world["portal"])
    assert len(queries) <= PORTAL_QUERY_BUDGET
