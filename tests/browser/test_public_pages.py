"""The public pages in Chromium: WCAG 2.1 AA by axe-core, no console error, keyboard-only use."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from home.models import PolicyDocumentPage
from tests.factories import add_article, column, provision

# serialized_rollback: the live server needs committed data, and flushing would drop the page
# tree root and locales that migrations create.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture
def cluster(live_server):
    provision("www", "portal")
    edu = provision("edu")
    district = provision("qx", "district")
    add_article(column(edu, "gzdt"), "全市教育工作会议召开")
    policy = column(edu, "zfxxgk/fdzdgknr/zcwj").add_child(
        instance=PolicyDocumentPage(
            title="关于做好招生工作的通知",
            live=True,
            written_date=date(2026, 3, 1),
            topic="科技、教育",
            document_number="测教发〔2026〕1号",
        )
    )
    port = urlsplit(live_server.url).port

    def url(host, path="/"):
        return f"http://{host}:{port}{path}"

    return {
        "portal home": url("localhost"),
        "department home": url("edu.localhost"),
        "column": url("edu.localhost", "/gzdt/"),
        "policy document": url("edu.localhost", policy.url_path.removeprefix("/edu")),
        "district home": url("qx.localhost"),
        "policy library": url("localhost", "/zcwjk/"),
        "_district": district,
    }


@pytest.mark.parametrize(
    "name",
    [
        "portal home",
        "department home",
        "column",
        "policy document",
        "district home",
        "policy library",
    ],
)
def test_page_meets_wcag_21_aa(page, cluster, name):
    response = page.goto(cluster[name])
    assert response.status == 200
    result = Axe().run(page, options=WCAG_21_AA)
    assert result.violations_count == 0, result.generate_report()


def test_keyboard_alone_reaches_main_content_and_a_column(page, cluster):
    page.goto(cluster["department home"])
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到主要内容"
    assert page.locator(".skip-link").is_visible()
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == "工作动态":
            break
    else:
        pytest.fail("the 工作动态 column link is not reachable by keyboard")
    page.keyboard.press("Enter")
    page.wait_for_url("**/gzdt/")
    assert page.locator("h1").inner_text() == "工作动态"
