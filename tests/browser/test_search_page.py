"""The search page and autocomplete in Chromium: WCAG 2.1 AA by axe-core in normal and elder
mode, elder-mode sizes, and keyboard-only use — type in the header search box, pick a
suggestion with the arrow keys and Enter, follow a facet link. Any console error or CSP
violation fails a test (see conftest)."""

from io import StringIO
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.cache import cache
from django.core.management import call_command
from wagtail.models import Site

from tests.browser.conftest import tab_to, turn_on_elder_mode
from tests.browser.test_public_pages import TARGET_SIZES, TEXT_METRICS, WCAG_21_AA
from tests.search.conftest import embedded_config, search_setting

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ELDER_MIN_FONT_PX = 18
ELDER_MIN_TARGET_PX = 60
PAGE_CONTROLS = ".search-page a, .search-page button, .search-page input"


@pytest.fixture(autouse=True)
def search_index(settings, tmp_path):
    """This test's own embedded index, set before the cluster's pages are created."""
    settings.SEARCH = search_setting(
        "embedded", embedded=embedded_config(tmp_path / "index.sqlite3")
    )


@pytest.fixture
def searchable(cluster, live_server):
    """The cluster with its sites on the live server's port, indexed afresh so that every
    result links to a page the browser can open."""
    port = urlsplit(live_server.url).port
    for site in Site.objects.all():
        site.port = port
        site.save()
    cache.clear()
    call_command("rebuild_search_index", verbosity=0, stdout=StringIO())
    return {
        **cluster,
        "results": cluster["department home"] + "search/?q=招生&scope=all",
    }


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_search_page_meets_wcag_21_aa(page, searchable, mode):
    if mode == "elder":
        turn_on_elder_mode(page, searchable["results"])
    response = page.goto(searchable["results"])
    assert response.status == 200
    assert page.locator(".search-result").count() == 2
    result = Axe().run(page, options=WCAG_21_AA)
    assert result.violations_count == 0, result.generate_report()


def test_elder_mode_search_page_has_large_text_and_60_px_targets(page, searchable):
    turn_on_elder_mode(page, searchable["results"])
    page.goto(searchable["results"])
    small = [m for m in page.evaluate(TEXT_METRICS) if m["size"] < ELDER_MIN_FONT_PX]
    assert small == [], small
    sizes = page.evaluate(TARGET_SIZES, PAGE_CONTROLS)
    assert len(sizes) > 5
    tiny = [s for s in sizes if min(s["width"], s["height"]) < ELDER_MIN_TARGET_PX]
    assert tiny == [], tiny


def test_pick_a_suggestion_with_the_keyboard(page, searchable):
    page.goto(searchable["department home"])
    tab_to(page, "(element) => element.name === 'q'")
    box = page.locator("#site-search")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.type("招生")
    options = page.locator("#autocomplete-0 [role=option]")
    options.first.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    assert options.count() == 2
    result = Axe().run(page, options=WCAG_21_AA)
    assert result.violations_count == 0, result.generate_report()

    page.keyboard.press("Escape")
    assert page.locator("#autocomplete-0").is_hidden()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    first = options.first
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    title = first.locator("span").first.inner_text()
    target = first.get_attribute("data-url")
    page.keyboard.press("Enter")
    page.wait_for_url(target)
    assert page.locator("h1").inner_text() == title


def test_follow_a_facet_link_with_the_keyboard(page, searchable):
    page.goto(searchable["results"])
    tab_to(page, "(e) => e.closest('.search-facets') && e.textContent.includes('政策解读')", 80)
    page.keyboard.press("Enter")
    page.wait_for_url("**kind=interpretation**")
    assert parse_qs(urlsplit(page.url).query)["kind"] == ["interpretation"]
    assert page.locator(".search-result__title").all_inner_texts() == ["招生政策问答"]
    assert page.locator(".search-page__summary").inner_text() == "找到 1 条与“招生”相关的结果"
