"""/sitemap.xml, /robots.txt and /favicon.ico: one of each per site, answered by hostname.

The world is a portal with its English version, two department sites with live, draft and
password-protected items, an alias of one department item in a portal column, and an archived
site, so a page listed by the wrong site, a draft or a private page shows up.
"""

from datetime import UTC, datetime
from xml.etree import ElementTree

import pytest
from django.templatetags.static import static
from PIL import Image
from wagtail.models import Page, PageViewRestriction

from home.translation import translate_portal
from sites.archiving import archive_site
from tests.conftest import module_world
from tests.factories import add_article, add_image, column, provision

pytestmark = pytest.mark.django_db

SITEMAP_NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}
PUBLISHED_AT = datetime(2025, 3, 4, 20, 7, tzinfo=UTC)
OLDER = datetime(2025, 1, 2, 3, 0, tzinfo=UTC)
HOSTS = {"www": "localhost", "east": "east.localhost", "west": "west.localhost"}


def _build():
    world = {code: provision(code, "portal" if code == "www" else "department") for code in HOSTS}
    for code in ("east", "west"):
        news = column(world[code], "gzdt")
        world[f"{code}_article"] = add_article(news, f"{code}站动态", published_at=PUBLISHED_AT)
    east_news = column(world["east"], "gzdt")
    world["east_older"] = add_article(east_news, "东区旧闻", published_at=OLDER)
    world["draft"] = add_article(east_news, "东区草稿", live=False)
    world["private"] = add_article(east_news, "东区内部通知")
    PageViewRestriction.objects.create(
        page=world["private"], restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    world["alias"] = world["east_article"].create_alias(parent=column(world["www"], "yw"))
    translate_portal()
    world["old"] = provision("old", "department")
    world["old_article"] = add_article(column(world["old"], "gzdt"), "旧站动态")
    archive_site(world["old"])
    return world


world = module_world(_build)


def sitemap(client, host):
    """{location: lastmod} of the sitemap served on `host`."""
    response = client.get("/sitemap.xml", HTTP_HOST=host)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    root = ElementTree.fromstring(response.content)
    return {
        url.findtext("sm:loc", namespaces=SITEMAP_NS): url.findtext(
            "sm:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("sm:url", SITEMAP_NS)
    }


def absolute(host, page):
    return f"http://{host}{page.get_url_parts()[2]}"


def test_a_department_sitemap_lists_its_live_public_pages_only(client, world):
    listed = sitemap(client, HOSTS["east"])

    east_home = world["east"].home_page
    public = Page.objects.descendant_of(east_home, inclusive=True).live().public()
    assert set(listed) == {absolute(HOSTS["east"], page) for page in public}
    assert absolute(HOSTS["east"], world["east_article"]) in listed
    assert f"http://{HOSTS['east']}/" in listed
    for hidden in ("draft", "private"):
        assert absolute(HOSTS["east"], world[hidden]) not in listed, hidden
    assert all(location.startswith("http://east.localhost/") for location in listed)


def test_each_site_has_its_own_sitemap(client, world):
    east, west = sitemap(client, HOSTS["east"]), sitemap(client, HOSTS["west"])
    assert absolute(HOSTS["west"], world["west_article"]) in west
    assert absolute(HOSTS["west"], world["west_article"]) not in east
    assert all(location.startswith("http://west.localhost/") for location in west)


def test_lastmod_is_the_newest_publication_in_the_pages_subtree(client, world):
    listed = sitemap(client, HOSTS["east"])
    east = world["east"]

    # Published 20:07 UTC, already the next day in Beijing.
    assert listed[absolute(HOSTS["east"], world["east_article"])] == "2025-03-05"
    assert listed[absolute(HOSTS["east"], world["east_older"])] == "2025-01-02"
    assert listed[absolute(HOSTS["east"], column(east, "gzdt"))] == "2025-03-05"
    assert listed[f"http://{HOSTS['east']}/"] == "2025-03-05", "the home lists the newest item"
    assert listed[absolute(HOSTS["east"], column(east, "tzgg"))] is None, "empty: no date"


def test_the_portal_sitemap_has_its_english_pages_and_no_alias(client, world):
    listed = sitemap(client, HOSTS["www"])

    assert {"http://localhost/", "http://localhost/en/", "http://localhost/en/yw/"} <= set(listed)
    assert absolute(HOSTS["www"], world["alias"]) not in listed, "the source site lists it"
    assert not [location for location in listed if "east.localhost" in location]


def test_an_archived_site_has_no_sitemap_and_its_pages_are_listed_nowhere(client, world):
    response = client.get("/sitemap.xml", HTTP_HOST="old.localhost")
    assert response.status_code == 301
    assert response["Location"].startswith("http://localhost/archived/old/")

    title = world["old_article"].slug
    for host in HOSTS.values():
        assert not [location for location in sitemap(client, host) if title in location]


@pytest.mark.parametrize("code", ["www", "east"])
def test_robots_txt_points_at_the_sites_own_sitemap(client, world, code):
    response = client.get("/robots.txt", HTTP_HOST=HOSTS[code])

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "max-age=86400" in response["Cache-Control"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Disallow: /" not in lines, "public pages stay crawlable"
    assert f"Sitemap: http://{HOSTS[code]}/sitemap.xml" in lines


def test_without_a_logo_the_favicon_is_the_default_mark(client, world):
    response = client.get("/favicon.ico", HTTP_HOST=HOSTS["east"])

    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")
    assert "public" in response["Cache-Control"]
    assert "max-age=86400" in response["Cache-Control"]
    mark = client.get(response["Location"], HTTP_HOST=HOSTS["east"])
    assert mark.status_code == 200
    assert mark["Content-Type"] == "image/svg+xml"
    assert b"<svg" in b"".join(mark.streaming_content)


def test_a_sites_logo_becomes_its_favicon(client, world):
    east = world["east"]
    east.logo = add_image(east, "东区标志")
    east.save()

    response = client.get("/favicon.ico", HTTP_HOST=HOSTS["east"])

    assert response.status_code == 302
    rendition = east.logo.renditions.get()
    assert response["Location"] == rendition.url
    assert rendition.url.endswith(".png")
    with rendition.file.open() as handle, Image.open(handle) as image:
        assert (image.format, image.size) == ("PNG", (64, 64))
    west = client.get("/favicon.ico", HTTP_HOST=HOSTS["west"])
    assert west["Location"] == static("img/favicon.svg"), "the logo is east's alone"


def test_a_logo_whose_file_is_gone_falls_back_to_the_default_mark(client, world):
    east = world["east"]
    east.logo = add_image(east, "东区标志")
    east.save()
    east.logo.file.delete(save=False)

    response = client.get("/favicon.ico", HTTP_HOST=HOSTS["east"])

    assert response.status_code == 302
    assert response["Location"] == static("img/favicon.svg")
