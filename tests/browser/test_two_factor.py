"""Signing in to the admin with two-factor authentication in Chromium: a 站点管理员 enrols an
authenticator from the QR page's secret, and signs in with password and then a code computed
here from the device's key. Any console error or CSP violation fails a test (see conftest)."""

import threading
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from sites.models import SiteRole
from tests.factories import PASSWORD, provision, role_users

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def one_request_at_a_time(live_server):
    """An admin page fetches its icons and translations in parallel, and on SQLite every thread
    of the live server shares one in-memory connection ("database table is locked"): answer
    the browser's requests one after another."""
    httpd = live_server.thread.httpd
    app, lock = httpd.get_app(), threading.Lock()

    def in_turn(environ, start_response):
        with lock:
            response = app(environ, start_response)
            try:
                return [b"".join(response)]
            finally:
                response.close()

    httpd.set_app(in_turn)
    yield
    httpd.set_app(app)


@pytest.fixture
def site_admin(settings, one_request_at_a_time):
    settings.ADMIN_2FA_ENFORCED = True
    return role_users(provision("edu"))[SiteRole.SITE_ADMIN]


def _sign_in(page, live_server, user):
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("input[name=username]", user.get_username())
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")


def _code(key_bytes):
    return f"{totp(key_bytes):06d}"


def test_password_then_code_lands_on_the_dashboard(page, live_server, site_admin):
    device = TOTPDevice.objects.create(user=site_admin, key=two_factor.new_key(), confirmed=True)
    _sign_in(page, live_server, site_admin)
    page.wait_for_url("**/admin/accounts/two-factor/verify/**")
    page.fill("input[name=code]", _code(device.bin_key))
    page.click("main form button[type=submit] >> text=验证")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert page.title().startswith("控制面板")


def test_enrolling_from_the_qr_page_shows_the_recovery_codes(page, live_server, site_admin):
    _sign_in(page, live_server, site_admin)
    page.wait_for_url("**/admin/accounts/two-factor/setup/")
    assert page.locator("figure svg").is_visible()
    secret = page.locator("[data-secret]").inner_text().replace(" ", "")
    page.fill("input[name=code]", _code(b32decode(secret)))
    with page.expect_navigation():
        page.click("text=确认绑定")
    assert page.locator(".recovery-codes li").count() == 10
    page.click("text=我已保存，进入管理后台")
    page.wait_for_url(f"{live_server.url}/admin/")
    assert TOTPDevice.objects.get(user=site_admin).confirmed
