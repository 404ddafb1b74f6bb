"""The visitor's aids in Chromium, by keyboard: the elder-mode switch, text size, read-aloud,
the print view and the portal's site-directory filter. Any console error or CSP violation fails
a test (see conftest)."""

import pytest

from tests.browser.conftest import tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

IS_ELDER = "document.documentElement.classList.contains('elder')"
ROOT_FONT_PX = "parseFloat(getComputedStyle(document.documentElement).fontSize)"


def focused_text(page):
    return page.evaluate("document.activeElement.textContent.trim()")


def test_elder_switch_by_keyboard_sets_the_cookie_and_persists(page, cluster):
    page.goto(cluster["column"])
    assert not page.evaluate(IS_ELDER)
    tab_to(page, "(element) => element.classList.contains('elder-switch')")
    assert focused_text(page) == "长者模式"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == cluster["column"], "back where the visitor was"
    assert page.evaluate(IS_ELDER)
    assert page.evaluate(ROOT_FONT_PX) == 20
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["elder_mode"]["value"] == "1"
    assert cookies["elder_mode"]["sameSite"] == "Lax"

    tab_to(page, "(element) => element.textContent.trim() === '首页'")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == cluster["department home"]
    assert page.evaluate(IS_ELDER), "remembered on the next page"

    tab_to(page, "(element) => element.classList.contains('elder-switch')")
    assert focused_text(page) == "退出长者模式"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert not page.evaluate(IS_ELDER)
    assert "elder_mode" not in {cookie["name"] for cookie in page.context.cookies()}


def test_text_size_buttons_scale_the_page_and_are_remembered(page, cluster):
    page.goto(cluster["policy document"])
    normal = page.evaluate(ROOT_FONT_PX)
    tab_to(page, "(element) => element.dataset.textSize === 'larger'")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    largest = page.evaluate(ROOT_FONT_PX)
    assert largest == pytest.approx(normal * 1.3)
    page.reload()
    assert page.evaluate(ROOT_FONT_PX) == pytest.approx(largest), "remembered"

    tab_to(page, "(element) => element.dataset.textSize === 'reset'")
    page.keyboard.press("Enter")
    assert page.evaluate(ROOT_FONT_PX) == pytest.approx(normal)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    assert page.evaluate(ROOT_FONT_PX) == pytest.approx(normal * 0.9)


def test_read_aloud_shows_where_speech_synthesis_exists(page, cluster):
    page.goto(cluster["policy document"])
    button = page.locator("[data-read-aloud]")
    assert page.evaluate("'speechSynthesis' in window")
    assert button.is_visible()
    assert button.get_attribute("aria-pressed") == "false"


def test_read_aloud_stays_hidden_without_speech_synthesis(page, cluster):
    page.add_init_script("delete window.speechSynthesis; delete window.SpeechSynthesisUtterance;")
    page.goto(cluster["policy document"])
    assert page.locator(".reading-aids").is_visible()
    assert not page.locator("[data-read-aloud]").is_visible()


def test_print_view_keeps_the_content_and_shows_attachment_addresses(page, cluster):
    page.goto(cluster["policy document"])
    assert page.locator("button[data-print]").is_visible()
    page.emulate_media(media="print")
    for hidden in [".main-nav", ".site-header__tools", ".search-box", ".page-tools"]:
        assert not page.locator(hidden).is_visible(), hidden
    assert page.locator(".disclosure-table").is_visible()
    link = page.locator(".attachments a").first
    shown = link.evaluate("(a) => getComputedStyle(a, '::after').content")
    assert "http://edu.localhost/documents/" in shown


def test_directory_filter_by_keyboard_narrows_the_list_and_announces_it(page, cluster):
    page.goto(cluster["portal home"])
    sites = page.locator(".directory__list li")
    assert sites.count() == 2
    tab_to(page, "(element) => element.id === 'directory-filter'")
    page.keyboard.type("QX")
    visible = [item.inner_text() for item in sites.all() if item.is_visible()]
    assert visible == ["测试市qx局"]
    assert page.locator("#directory-count").inner_text() == "找到 1 个网站"
    assert page.locator("#directory-count").get_attribute("aria-live") == "polite"

    page.keyboard.type("无此网站")
    assert not any(item.is_visible() for item in sites.all())
    assert "没有找到" in page.locator("#directory-count").inner_text()
    assert not page.locator(".directory__group").first.is_visible(), "empty groups hide"

    page.keyboard.press("Control+A")
    page.keyboard.press("Backspace")
    assert all(item.is_visible() for item in sites.all())
    assert page.locator("#directory-count").inner_text() == ""
