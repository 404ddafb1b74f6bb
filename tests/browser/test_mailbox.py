"""Writing a letter in Chromium with JavaScript turned off, in normal and elder mode: a mistake is
summarised and named on its field, the corrected letter is stored and its receipt shown; every
step meets WCAG 2.1 AA by axe-core, and elder mode's text stays large."""

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image

from interaction.models import Letter, MailboxPage
from interaction.submission import find_for_writer
from tests.browser.conftest import turn_on_elder_mode
from tests.browser.test_public_pages import ELDER_MIN_FONT_PX, TEXT_METRICS, WCAG_21_AA
from tests.factories import provision

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def write_url(live_server):
    profile = provision("www", "portal")
    mailbox = MailboxPage.objects.descendant_of(profile.home_page).get()
    port = urlsplit(live_server.url).port
    return f"http://localhost:{port}{mailbox.get_url_parts()[2]}write/"


@pytest.fixture
def scriptless(browser):
    """A page that runs no script of the site's; console errors fail the test (as in conftest)."""
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    problems = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    yield page
    context.close()
    assert problems == [], problems


@pytest.fixture
def photo(tmp_path):
    path = tmp_path / "现场照片.png"
    Image.new("RGB", (16, 16), "blue").save(path)
    return path


def fill_letter(page, photo, phone):
    page.get_by_label("投诉", exact=True).check()
    page.get_by_label("标题", exact=True).fill("小区门口道路长期积水")
    page.get_by_label("内容", exact=True).fill(
        "人民路88号小区门口道路一下雨就积水，老人孩子出行很不方便。"
    )
    page.get_by_label("附件", exact=True).set_input_files(photo)
    page.get_by_label("姓名", exact=True).fill("李四海")
    page.get_by_label("联系电话", exact=True).fill(phone)
    page.get_by_label("不同意公开", exact=True).check()
    page.get_by_role("button", name="提交信件").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("mode", ["normal", "elder"])
def test_a_letter_is_written_without_javascript(browser, scriptless, write_url, photo, mode):
    page = scriptless
    if mode == "elder":
        turn_on_elder_mode(page, write_url)
    assert page.goto(write_url).status == 200
    assert page.evaluate("document.documentElement.classList.contains('elder')") == (
        mode == "elder"
    )
    axe(browser, page)
    if mode == "elder":
        small = [m for m in page.evaluate(TEXT_METRICS) if m["size"] < ELDER_MIN_FONT_PX]
        assert small == [], small

    fill_letter(page, photo, phone="12345")
    summary = page.get_by_role("alert")
    assert "提交未成功" in summary.inner_text()
    phone = page.get_by_label("联系电话", exact=True)
    assert phone.get_attribute("aria-invalid") == "true"
    assert "请填写正确的联系电话" in page.locator("#id_phone_error").inner_text()
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_phone"
    assert not Letter.objects.exists()
    axe(browser, page)

    fill_letter(page, photo, phone="0799-1234567")
    code = page.locator("output[data-query-code]").inner_text()
    password = page.locator("output[data-query-password]").inner_text()
    assert re.fullmatch(r"\d{10}", code) and re.fullmatch(r"[A-Z2-9]{8}", password)
    letter = find_for_writer(code, password)
    assert (letter.phone, letter.wants_public) == ("0799-1234567", False)
    assert [a.original_name for a in letter.attachments.all()] == [Path(photo).name]
    axe(browser, page)


def axe(browser, page):
    """axe-core on what `page` shows. axe cannot run where scripts are off, so it runs in a twin
    page that loads the same HTML from the same address (same styles and cookies, hence elder
    mode) with the site's own scripts blocked."""
    context = browser.new_context()
    context.add_cookies(page.context.cookies())
    twin = context.new_page()
    html = page.content()
    twin.route("**/*.js", lambda route: route.abort())
    twin.route(page.url, lambda route: route.fulfill(body=html, content_type="text/html"))
    twin.goto(page.url)
    result = Axe().run(twin, options=WCAG_21_AA)
    context.close()
    assert result.violations_count == 0, result.generate_report()
