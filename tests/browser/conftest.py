"""Real-browser tests: Debian's Chromium driven by Playwright against a live Django server.

Skipped, with the reason in the test report, where no Chromium is installed (`.ci/run` installs
Debian's `chromium` package). Never runs `playwright install`: there is no browser download here.
"""

import shutil
from datetime import date
from urllib.parse import urlsplit

import pytest

from home.models import Attachment, InterpretationPage, PolicyDocumentPage
from tests.factories import add_article, add_document, column, provision

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM:
        pytest.skip("no Chromium found (apt-get install chromium): browser tests skipped")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, which makes Django
    # refuse ORM calls as if they came from async code; the test thread is not async.
    with (
        pytest.MonkeyPatch.context() as patch,
        sync_playwright() as playwright,
    ):
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors and CSP violations; the test fails on any."""
    context = browser.new_context()
    page = context.new_page()
    page.problems = []
    page.on(
        "console", lambda message: message.type == "error" and page.problems.append(message.text)
    )
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    context.close()
    assert page.problems == [], page.problems


@pytest.fixture
def cluster(live_server):
    """A portal, a department with news, a policy document (interpreted, with an attachment)
    and a district, served by the live server; {name: URL} of the pages the tests visit."""
    provision("www", "portal")
    edu = provision("edu")
    provision("qx", "district", accent_colour="green")
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
    Attachment.objects.create(page=policy, document=add_document(edu, "招生计划表"))
    interpretation = InterpretationPage(title="招生政策问答", live=True, kind="qa")
    interpretation.policies = [policy]
    column(edu, "zcjd").add_child(instance=interpretation)
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
    }


def tab_to(page, predicate, limit=40):
    """Press Tab until `predicate` (a JS function of the focused element) holds; fail if never."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"({predicate})(document.activeElement)"):
            return
    pytest.fail(f"not reachable by keyboard within {limit} tabs: {predicate}")


def turn_on_elder_mode(page, url):
    page.context.add_cookies([{"name": "elder_mode", "value": "1", "url": url}])
