"""Layout in Chromium at a phone's 390×844 and a desktop's 1366×900: no layout shift (CLS under
0.1, measured by the browser's own layout-shift entries), content on the phone's first screen,
nothing wider than the phone, and 索引号, 文号 and dates never broken mid-value."""

import pytest

from tests.browser.test_public_pages import PAGES

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
MAX_CLS = 0.1
# Sums the layout shifts not caused by input, from the first paint on (buffered entries).
MEASURE_CLS = """window.__cls = 0;
new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
        if (!entry.hadRecentInput) window.__cls += entry.value;
    }
}).observe({type: "layout-shift", buffered: true});"""
LINES_OF_EACH_VALUE = """() => [...document.querySelectorAll("main .value")].map((cell) => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    return {value: cell.textContent.trim(), lines: lines.size};
})"""


def visit(page, url, viewport):
    page.set_viewport_size(viewport)
    page.add_init_script(MEASURE_CLS)
    page.goto(url)
    page.wait_for_load_state("load")
    page.wait_for_timeout(300)  # let late shifts (scripts showing controls) be recorded


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize("name", PAGES)
def test_no_layout_shift(page, cluster, name, viewport):
    visit(page, cluster[name], viewport)
    assert page.evaluate("window.__cls") < MAX_CLS


@pytest.mark.parametrize("name", PAGES)
def test_phone_content_starts_on_the_first_screen_and_fits_its_width(page, cluster, name):
    visit(page, cluster[name], PHONE)
    main_top = page.evaluate("document.querySelector('main').getBoundingClientRect().top")
    assert main_top < PHONE["height"] / 2, f"the menu pushes the content down to {main_top}px"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


@pytest.mark.parametrize("name", ["policy document", "policy library"])
def test_index_numbers_document_numbers_and_dates_stay_on_one_line(page, cluster, name):
    visit(page, cluster[name], PHONE)
    values = page.evaluate(LINES_OF_EACH_VALUE)
    assert values, "no metadata values on the page"
    assert [v for v in values if v["lines"] != 1] == []
