"""Hot searches under the header's search box and best bets above the results, in Chromium:
WCAG 2.1 AA by axe-core in normal and elder mode, 44 / 60 px targets, elder-mode text size, and
a hot search followed with the keyboard alone."""

from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from search.models import BestBet
from sites.models import SiteProfile
from tests.browser.conftest import tab_to, turn_on_elder_mode
from tests.browser.test_public_pages import TARGET_SIZES, TEXT_METRICS, WCAG_21_AA
from tests.browser.test_search_page import search_index, searchable  # noqa: F401
from tests.factories import seed_searches

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

MIN_TARGET_PX = {"normal": 44, "elder": 60}
ELDER_MIN_FONT_PX = 18
CONTROLS = ".hot-searches a, .best-bets a"


@pytest.fixture
def pinned(searchable):  # noqa: F811 (the fixture imported above)
    """Hot searches on the department site and a best bet for 招生."""
    edu = SiteProfile.objects.get(code="edu")
    for query, searches in (("招生", 9), ("招生计划", 5), ("教育工作会议", 4)):
        seed_searches(edu, query, searches)
    BestBet.objects.create(
        terms="招生",
        title="2026 年招生考试信息专区",
        description="报名、考试与录取的权威发布。",
        external_url="https://www.example.gov.cn/zhaosheng/",
    )
    return searchable


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_hot_searches_and_best_bets_meet_wcag_21_aa_with_large_enough_targets(page, pinned, mode):
    if mode == "elder":
        turn_on_elder_mode(page, pinned["results"])
    for url in (pinned["department home"], pinned["results"]):
        page.goto(url)
        assert page.locator(".site-header .hot-searches a").count() == 3
        result = Axe().run(page, options=WCAG_21_AA)
        assert result.violations_count == 0, result.generate_report()
    assert page.locator(".best-bets a").inner_text() == "2026 年招生考试信息专区"
    sizes = page.evaluate(TARGET_SIZES, CONTROLS)
    assert len(sizes) == 4
    tiny = [s for s in sizes if min(s["width"], s["height"]) < MIN_TARGET_PX[mode]]
    assert tiny == [], tiny
    if mode == "elder":
        small = [m for m in page.evaluate(TEXT_METRICS) if m["size"] < ELDER_MIN_FONT_PX]
        assert small == [], small


def test_the_hot_searches_sit_under_the_search_box(page, pinned):
    page.goto(pinned["department home"])
    box = page.locator(".site-header .search-box").bounding_box()
    label = page.locator(".site-header .hot-searches__label").bounding_box()
    assert label["y"] >= box["y"] + box["height"]
    assert abs(label["x"] - box["x"]) < 2, "the list starts where the box starts"


def test_follow_a_hot_search_with_the_keyboard(page, pinned):
    page.goto(pinned["department home"])
    tab_to(page, "(e) => e.closest('.hot-searches') && e.textContent === '招生计划'")
    page.keyboard.press("Enter")
    page.wait_for_url("**/search/?q=**")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["招生计划"]
    assert page.locator(".search-page__summary").is_visible()
