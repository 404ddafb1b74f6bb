"""Real-browser tests: Debian's Chromium driven by Playwright against a live Django server.

Skipped, with the reason in the test report, where no Chromium is installed (`.ci/run` installs
Debian's `chromium` package). Never runs `playwright install`: there is no browser download here.
"""

import shutil

import pytest

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
