"""Public pages as a visitor gets them: each site on its own hostname, with the national footer
identity and meta tags, the portal's 站群导航, column listings, the site map and the security
headers.

The world is a portal, two department sites, a district site and an archived department site, so
anything that leaks from one site to another, or from the archive to the public, shows up.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from django.conf import settings

from home.models import ColumnPage
from sites.archiving import archive_site
from sites.models import SiteProfile
from sites.standards import load_standards
from tests.conftest import module_world
from tests.factories import add_article, column, provision

# 2025-03-04 20:07 UTC is already the next day in Beijing: the page must show Asia/Shanghai time.
PUBLISHED_AT = datetime(2025, 3, 4, 20, 7, tzinfo=UTC)
PUBLISHED_SHOWN = "2025-03-05 04:07"

NEWS_COLUMN = {"portal": "yw", "department": "gzdt", "district": "gzdt"}
SITE_CODES = ["www", "east", "west", "north"]
PAGES = ["home", "column", "article", "sitemap"]
NOTICES = 21  # one more than ColumnPage.page_size
CUSTOM_COLUMN_TITLE = "西区特色栏目"


# --- Building the world ---------------------------------------------------------------------


@dataclass
class PublicSite:
    profile: object
    column: object
    article: object

    @property
    def host(self):
        return hostname(self.profile.code, self.profile.kind)

    def path(self, page):
        """The path of `page` on this site (what `{% pageurl %}` gives on the same site)."""
        return {
            "home": "/",
            "column": relative_path(self.column),
            "article": relative_path(self.article),
            "sitemap": "/sitemap/",
        }[page]


def hostname(code, kind):
    """The hostname DESIGN §5 promises, computed independently of the stored Site rows."""
    if kind == "portal":
        return settings.PORTAL_HOSTNAME
    return f"{code}.{settings.PLATFORM_DOMAIN}"


def relative_path(page):
    return page.get_url_parts()[2]


def _public_site(code, kind):
    profile = provision(code, kind)
    news = column(profile, NEWS_COLUMN[kind])
    article = add_article(news, f"{code}站工作动态文章", published_at=PUBLISHED_AT)
    return PublicSite(profile=profile, column=news, article=article)


def _build():
    world = {
        "www": _public_site("www", "portal"),
        "east": _public_site("east", "department"),
        "west": _public_site("west", "department"),
        "north": _public_site("north", "district"),
    }
    # Notices created out of date order, so only sorting by published_at lists them right.
    notices = column(world["east"].profile, "tzgg")
    start = datetime(2025, 1, 1, 1, 0, tzinfo=UTC)
    for number in ((i * 8) % NOTICES for i in range(NOTICES)):
        add_article(
            notices, f"通知公告第{number:02d}号", published_at=start + timedelta(hours=number)
        )
    west_home = world["west"].profile.home_page
    world["custom"] = west_home.add_child(
        instance=ColumnPage(title=CUSTOM_COLUMN_TITLE, slug="xqtslm", live=True)
    )
    world["old"] = provision("old", "department")
    archive_site(world["old"])
    return world


world = module_world(_build)


# --- Reading the HTML -----------------------------------------------------------------------

# Elements without an end tag.
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


@dataclass(frozen=True)
class Element:
    tag: str
    attrs: dict
    text: str
    inside: frozenset  # classes of every enclosing element


class Document(HTMLParser):
    """The parts of a page the tests look at: meta tags and every element with its text."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.meta = defaultdict(list)
        self.elements = []
        self._open = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and "name" in attrs:
            self.meta[attrs["name"]].append(attrs.get("content"))
        if tag not in VOID:
            self._open.append((tag, attrs, []))

    def handle_data(self, data):
        for _tag, _attrs, parts in self._open:
            parts.append(data)

    def handle_endtag(self, tag):
        if tag in VOID or tag not in {open_tag for open_tag, _, _ in self._open}:
            return
        while self._open:
            open_tag, attrs, parts = self._open.pop()
            inside = frozenset(
                name for _, outer, _ in self._open for name in (outer.get("class") or "").split()
            )
            text = " ".join("".join(parts).split())
            self.elements.append(Element(open_tag, attrs, text, inside))
            if open_tag == tag:
                break

    def meta_content(self, name):
        values = self.meta.get(name, [])
        assert len(values) == 1, f"expected one <meta name={name!r}>, found {values}"
        return values[0]

    def find(self, tag, within=None):
        return [e for e in self.elements if e.tag == tag and (within is None or within in e.inside)]

    def links(self, within=None):
        return [(e.attrs.get("href"), e.text) for e in self.find("a", within)]

    def footer_identity(self):
        """{term: value} of the footer's <dl class="site-footer__identity">."""
        identity, term = {}, None
        for element in self.elements:
            if "site-footer__identity" not in element.inside:
                continue
            if element.tag == "dt":
                term = element.text
            elif element.tag == "dd":
                identity[term] = element.text
        return identity


def get(client, site, path, **params):
    return client.get(path, params, HTTP_HOST=site.host)


def fetch(client, site, path, **params):
    response = get(client, site, path, **params)
    assert response.status_code == 200, f"{site.host}{path} answered {response.status_code}"
    return response, Document(response.content.decode())


# --- Footer and meta tags (DESIGN §6) -------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("code", SITE_CODES)
def test_page_shows_footer_identity(client, world, code, page):
    site = world[code]
    profile = site.profile
    _, doc = fetch(client, site, site.path(page))
    identity = doc.footer_identity()
    assert identity["主办单位"] == profile.sponsor
    assert identity["网站标识码"] == profile.site_id_code
    assert identity["ICP备案号"] == profile.icp_number
    assert identity["公安机关备案号"] == profile.police_number
    assert identity["联系电话"] == profile.contact_phone
    assert identity["地址"] == profile.contact_address
    assert ("/sitemap/", "网站地图") in doc.links(within="site-footer")


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("code", SITE_CODES)
def test_page_carries_site_meta_tags(client, world, code, page):
    site = world[code]
    _, doc = fetch(client, site, site.path(page))
    assert doc.meta_content("SiteName") == site.profile.name
    assert doc.meta_content("SiteIDCode") == site.profile.site_id_code
    if page != "article":
        assert "ArticleTitle" not in doc.meta
        assert "PubDate" not in doc.meta


@pytest.mark.django_db
@pytest.mark.parametrize("code", SITE_CODES)
def test_column_meta_names_the_column(client, world, code):
    site = world[code]
    _, doc = fetch(client, site, site.path("column"))
    assert doc.meta_content("ColumnName") == site.column.title


@pytest.mark.django_db
@pytest.mark.parametrize("code", SITE_CODES)
def test_article_meta_names_column_title_and_date(client, world, code):
    site = world[code]
    _, doc = fetch(client, site, site.path("article"))
    assert doc.meta_content("ColumnName") == site.column.title
    assert doc.meta_content("ArticleTitle") == site.article.title
    assert doc.meta_content("PubDate") == PUBLISHED_SHOWN


@pytest.mark.django_db
@pytest.mark.parametrize("code", SITE_CODES)
def test_article_shows_publication_time(client, world, code):
    site = world[code]
    _, doc = fetch(client, site, site.path("article"))
    spans = [span.text for span in doc.find("span", within="article-meta")]
    assert f"发布时间：{PUBLISHED_SHOWN}" in spans


# --- Portal 站群导航 ------------------------------------------------------------------------


@pytest.mark.django_db
def test_portal_lists_every_active_department_and_district_site(client, world):
    _, doc = fetch(client, world["www"], "/")
    listed = doc.links(within="directory")
    active = SiteProfile.objects.active().filter(kind__in=["department", "district"])
    assert {"east", "west", "north"} <= set(active.values_list("code", flat=True))
    for profile in active:
        assert (f"{profile.root_url}/", profile.name) in listed
    domain = settings.PLATFORM_DOMAIN
    assert (f"http://east.{domain}/", world["east"].profile.name) in listed
    assert (f"http://north.{domain}/", world["north"].profile.name) in listed


@pytest.mark.django_db
def test_portal_does_not_list_archived_site(client, world):
    old = world["old"]
    response, doc = fetch(client, world["www"], "/")
    assert old.name not in response.content.decode()
    assert not [href for href, _ in doc.links() if href.startswith(old.root_url)]


# --- Columns --------------------------------------------------------------------------------


def _listed_titles(doc):
    return [text for _, text in doc.links(within="article-list")]


@pytest.mark.django_db
def test_column_lists_newest_first_and_paginates(client, world):
    assert ColumnPage.page_size == NOTICES - 1
    east = world["east"]
    _, first = fetch(client, east, "/tzgg/")
    assert _listed_titles(first) == [f"通知公告第{n:02d}号" for n in range(20, 0, -1)]
    assert ("?page=2", "下一页") in first.links(within="pagination")

    _, second = fetch(client, east, "/tzgg/", page=2)
    assert _listed_titles(second) == ["通知公告第00号"]
    assert ("?page=1", "上一页") in second.links(within="pagination")
    assert "第 2 / 2 页" in [span.text for span in second.find("span", within="pagination")]


@pytest.mark.django_db
def test_column_items_link_to_pages_on_the_same_site(client, world):
    east = world["east"]
    _, doc = fetch(client, east, "/tzgg/")
    for href, _title in doc.links(within="article-list"):
        assert href.startswith("/tzgg/")
        assert get(client, east, href).status_code == 200


# --- Sites answer only for their own pages --------------------------------------------------

CROSSINGS = [
    ("east", "west"),
    ("west", "east"),
    ("east", "www"),
    ("www", "east"),
    ("north", "east"),
]


@pytest.mark.django_db
@pytest.mark.parametrize("owner,other", CROSSINGS, ids=[f"{a}-on-{b}" for a, b in CROSSINGS])
def test_page_is_not_reachable_on_another_sites_hostname(client, world, owner, other):
    article = world[owner].article
    path = relative_path(article)
    assert get(client, world[owner], path).status_code == 200  # positive control
    assert get(client, world[other], path).status_code == 404
    assert get(client, world[other], article.url_path).status_code == 404


@pytest.mark.django_db
def test_custom_column_is_not_reachable_on_another_site(client, world):
    path = relative_path(world["custom"])
    assert get(client, world["west"], path).status_code == 200
    assert get(client, world["east"], path).status_code == 404


# --- Site map -------------------------------------------------------------------------------


def _standard_links(kind):
    return {
        ("/" + "/".join(path) + "/", standard.title)
        for path, standard in load_standards().kind(kind).walk_columns()
    }


@pytest.mark.django_db
@pytest.mark.parametrize("code", SITE_CODES)
def test_site_map_lists_the_standard_columns(client, world, code):
    site = world[code]
    _, doc = fetch(client, site, "/sitemap/")
    listed = doc.links(within="site-map")
    expected = _standard_links(site.profile.kind)
    assert expected <= set(listed)
    extra = {(relative_path(world["custom"]), CUSTOM_COLUMN_TITLE)} if code == "west" else set()
    assert len(listed) == len(expected | extra), "site map lists columns of another site"


@pytest.mark.django_db
def test_department_site_map_matches_department_standard(client, world):
    _, doc = fetch(client, world["east"], "/sitemap/")
    assert set(doc.links(within="site-map")) == _standard_links("department")


@pytest.mark.django_db
def test_site_map_leaves_out_another_sites_custom_column(client, world):
    response, _ = fetch(client, world["east"], "/sitemap/")
    assert CUSTOM_COLUMN_TITLE not in response.content.decode()
    _, own = fetch(client, world["west"], "/sitemap/")
    assert (relative_path(world["custom"]), CUSTOM_COLUMN_TITLE) in own.links(within="site-map")


# --- Security headers and escaping ----------------------------------------------------------


def _csp(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        directives[name] = values
    return header, directives


class InlineCode(HTMLParser):
    """Whatever a strict CSP would block: <style>, style="…", on…= handlers, inline <script>."""

    def __init__(self, html):
        super().__init__()
        self.found = []
        self.body_accent = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "body":
            self.body_accent = attrs.get("data-accent")
        if tag == "style" or (tag == "script" and not attrs.get("src")):
            self.found.append(f"<{tag}>")
        if tag == "script" and attrs.get("src") and not attrs["src"].startswith("/static/"):
            self.found.append(f"script from {attrs['src']}")
        self.found += [f"{tag}[{name}]" for name in attrs if name == "style" or name[:2] == "on"]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("code", SITE_CODES)
def test_public_page_has_strict_csp_and_no_inline_code(client, world, code, page):
    site = world[code]
    response, _ = fetch(client, site, site.path(page))
    header, directives = _csp(response)
    assert "'unsafe-inline'" not in header
    assert "'nonce-" not in header
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    html = response.content.decode()
    assert "nonce" not in html
    inline = InlineCode(html)
    assert inline.found == []
    assert inline.body_accent == site.profile.accent_colour, "the accent is a palette key"


@pytest.mark.django_db
def test_public_html_is_the_same_for_every_visitor(client, world, settings):
    """Nothing per request (nonce, token) in a public page: it can be cached whole."""
    settings.PAGE_CACHE_SECONDS = 0
    first, _ = fetch(client, world["east"], "/")
    second, _ = fetch(client, world["east"], "/")
    assert first.content == second.content


@pytest.mark.django_db
def test_contact_address_is_html_escaped(client, world):
    address = '人民路<script>alert("x")</script>1号'
    evil = PublicSite(profile=provision("evil", contact_address=address), column=None, article=None)
    response, doc = fetch(client, evil, "/")
    html = response.content.decode()
    assert "<script>" not in html
    assert "人民路&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;1号" in html
    assert doc.footer_identity()["地址"] == address


@pytest.mark.django_db
def test_a_landing_column_shows_its_sub_columns_and_their_newest_items(client, world):
    """政府信息公开 and 法定主动公开内容 hold no items of their own: an inspector counts a column
    that shows nothing as blank, so they show their children and what the children hold."""
    east = world["east"]
    add_article(column(east.profile, "zfxxgk/fdzdgknr/ghjh"), "东区十五五规划纲要")
    response, disclosure = fetch(client, east, "/zfxxgk/")
    headings = [text for _, text in disclosure.links() if text]
    for title in ("政府信息公开指南", "法定主动公开内容", "政府信息公开年报"):
        assert title in headings
    assert "暂无内容" not in response.content.decode()
    response, statutory = fetch(client, east, "/zfxxgk/fdzdgknr/")
    assert "东区十五五规划纲要" in _listed_titles(statutory)
    assert "暂无内容" not in response.content.decode()


@pytest.mark.django_db
def test_the_lead_is_the_meta_description_not_a_first_paragraph(client, world):
    east = world["east"]
    page = add_article(east.column, "带摘要的文章", lead="这是文章的摘要。")
    response, doc = fetch(client, east, relative_path(page))
    assert doc.meta_content("description") == "这是文章的摘要。"
    assert 'class="lead"' not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("code", SITE_CODES[:2])
def test_a_home_page_title_is_the_site_name_once(client, world, code):
    site = world[code]
    response, _ = fetch(client, site, "/")
    assert f"<title>{site.profile.name}</title>" in response.content.decode()
