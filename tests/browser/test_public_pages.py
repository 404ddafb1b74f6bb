"""The public pages in Chromium, in normal and elder mode: WCAG 2.1 AA by axe-core, elder-mode
sizes as the browser computes them, and keyboard-only use of the navigation and search. Any
console error or CSP violation fails a test (see conftest)."""

from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import tab_to, turn_on_elder_mode

# serialized_rollback: the live server needs committed data, and flushing would drop the page
# tree root and locales that migrations create.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PAGES = [
    "portal home",
    "department home",
    "column",
    "policy document",
    "district home",
    "policy library",
]
ELDER_MIN_FONT_PX = 18
ELDER_MIN_LINE_HEIGHT = 1.3
ELDER_MIN_TARGET_PX = 60
# Controls that must be large enough to tap; links inside running text are exempt.
CONTROLS = (
    ".site-header a, .main-nav a, .breadcrumb a, .pagination a, .subcolumns a, .tile-list a, "
    ".home-section__more, .list-item__title, .directory__list a, .site-footer a, button, "
    "input, select"
)

# Every visible element with text of its own: its font size and line height in px.
TEXT_METRICS = """() => [...document.body.querySelectorAll("*")]
    .filter((element) => [...element.childNodes].some(
        (node) => node.nodeType === Node.TEXT_NODE && node.textContent.trim()))
    .filter((element) => element.getClientRects().length && !element.closest(".visually-hidden"))
    .map((element) => {
        const style = getComputedStyle(element);
        return {
            text: element.textContent.trim().slice(0, 20),
            size: parseFloat(style.fontSize),
            line: parseFloat(style.lineHeight),
        };
    })"""

TARGET_SIZES = """(selector) => [...document.querySelectorAll(selector)]
    .filter((element) => element.getClientRects().length)
    .map((element) => {
        const box = element.getBoundingClientRect();
        return {
            control: element.outerHTML.slice(0, 60),
            width: Math.round(box.width),
            height: Math.round(box.height),
        };
    })"""


@pytest.mark.parametrize("mode", ["normal", "elder"])
@pytest.mark.parametrize("name", PAGES)
def test_page_meets_wcag_21_aa(page, cluster, name, mode):
    if mode == "elder":
        turn_on_elder_mode(page, cluster[name])
    response = page.goto(cluster[name])
    assert response.status == 200
    assert page.evaluate("document.documentElement.classList.contains('elder')") == (
        mode == "elder"
    )
    result = Axe().run(page, options=WCAG_21_AA)
    assert result.violations_count == 0, result.generate_report()


@pytest.mark.parametrize("name", PAGES)
def test_elder_mode_text_is_large_with_generous_lines(page, cluster, name):
    turn_on_elder_mode(page, cluster[name])
    page.goto(cluster[name])
    metrics = page.evaluate(TEXT_METRICS)
    assert metrics, "no text measured"
    small = [m for m in metrics if m["size"] < ELDER_MIN_FONT_PX]
    assert small == [], small
    tight = [m for m in metrics if m["line"] < ELDER_MIN_LINE_HEIGHT * m["size"]]
    assert tight == [], tight


@pytest.mark.parametrize("name", PAGES)
def test_elder_mode_controls_are_at_least_60_px_square(page, cluster, name):
    turn_on_elder_mode(page, cluster[name])
    page.goto(cluster[name])
    sizes = page.evaluate(TARGET_SIZES, CONTROLS)
    assert sizes, "no controls measured"
    small = [
        size
        for size in sizes
        if size["width"] < ELDER_MIN_TARGET_PX or size["height"] < ELDER_MIN_TARGET_PX
    ]
    assert small == [], small


def test_normal_mode_controls_are_at_least_44_px_square(page, cluster):
    page.goto(cluster["policy library"])
    sizes = page.evaluate(TARGET_SIZES, CONTROLS)
    small = [size for size in sizes if size["width"] < 44 or size["height"] < 44]
    assert small == [], small


def test_keyboard_alone_reaches_main_content_and_a_column(page, cluster):
    page.goto(cluster["department home"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到主要内容"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    page.goto(cluster["department home"])
    tab_to(page, "(element) => element.textContent.trim() === '工作动态'")
    assert page.evaluate("document.activeElement.closest('nav').className") == "main-nav"
    page.keyboard.press("Enter")
    page.wait_for_url("**/gzdt/")
    assert page.locator("h1").inner_text() == "工作动态"
    current = page.locator(".main-nav a[aria-current]")
    assert current.inner_text() == "工作动态"


def test_focus_is_visible_on_every_control_reached_by_keyboard(page, cluster):
    page.goto(cluster["column"])
    for _ in range(15):
        page.keyboard.press("Tab")
        outline = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [s.outlineStyle, parseFloat(s.outlineWidth)]; })()"
        )
        focused = page.evaluate("document.activeElement.outerHTML.slice(0, 60)")
        assert outline[0] != "none" and outline[1] >= 2, focused


def test_search_box_submits_by_keyboard(page, cluster):
    # Only the request is checked: the results page is another component's (and its tests'),
    # so the browser is told "204 No Content" and stays where it is.
    page.route("**/search/?*", lambda route: route.fulfill(status=204))
    page.goto(cluster["district home"])
    tab_to(page, "(element) => element.name === 'q'")
    page.keyboard.type("招生 政策")
    with page.expect_request("**/search/?*") as submitted:
        page.keyboard.press("Enter")
    address = urlsplit(submitted.value.url)
    assert (address.hostname, address.path) == ("qx.localhost", "/search/")
    assert parse_qs(address.query) == {"q": ["招生 政策"]}
    assert submitted.value.method == "GET"
