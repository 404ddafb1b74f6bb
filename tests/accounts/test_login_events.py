"""The login record: every sign-in success, failure and lockout with time, address and browser,
readable only by platform admins (设置 → 登录记录), pruned with the audit log."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from accounts.client_ip import client_ip
from accounts.models import LoginEvent
from runtime import audit
from sites.models import SiteRole
from tests.accounts.conftest import login
from tests.conftest import module_world
from tests.factories import PASSWORD, provision, role_users

pytestmark = pytest.mark.django_db

EVENTS = reverse("accounts_login_events")
HOME = reverse("wagtailadmin_home")
Kind = LoginEvent.Kind
BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) 测试浏览器/1.0"


def _build():
    users = role_users(provision("east"))
    users["platform"] = get_user_model().objects.create_superuser("platform", password=PASSWORD)
    return users


users = module_world(_build)


def _wrong(client, username, **extra):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": "Wrong-Passw0rd!"},
        **extra,
    )


# --- What is recorded ------------------------------------------------------------------------


def test_a_successful_login_is_recorded_with_address_and_browser(client, users):
    editor = users[SiteRole.EDITOR]
    before = timezone.now()
    login(client, editor, REMOTE_ADDR="203.0.113.5", HTTP_USER_AGENT=BROWSER)
    event = LoginEvent.objects.get()
    assert (event.kind, event.username, event.user) == (Kind.LOGIN_SUCCEEDED, "east_editor", editor)
    assert (event.ip_address, event.user_agent) == ("203.0.113.5", BROWSER)
    assert before <= event.timestamp <= timezone.now()


def test_a_wrong_password_is_recorded_with_the_username_as_typed(client, users):
    _wrong(client, "east_editor", REMOTE_ADDR="203.0.113.6", HTTP_USER_AGENT=BROWSER)
    _wrong(client, "nobody-here")
    known, unknown = LoginEvent.objects.order_by("pk")
    assert (known.kind, known.username, known.user) == (
        Kind.LOGIN_FAILED,
        "east_editor",
        users[SiteRole.EDITOR],
    )
    assert (known.ip_address, known.user_agent) == ("203.0.113.6", BROWSER)
    assert (unknown.kind, unknown.username, unknown.user) == (
        Kind.LOGIN_FAILED,
        "nobody-here",
        None,
    )


def test_a_lockout_is_recorded(client, users):
    for _attempt in range(5):
        _wrong(client, "east_editor", REMOTE_ADDR="203.0.113.7")
    assert login(client, users[SiteRole.EDITOR], REMOTE_ADDR="203.0.113.7").status_code == 429
    kinds = list(LoginEvent.objects.order_by("pk").values_list("kind", flat=True))
    # The failure reaching the limit, like the refused right password after it, is the lockout.
    assert kinds == [Kind.LOGIN_FAILED] * 4 + [Kind.LOCKED_OUT] * 2
    lockout = LoginEvent.objects.filter(kind=Kind.LOCKED_OUT).first()
    assert (lockout.username, lockout.ip_address) == ("east_editor", "203.0.113.7")


def test_a_long_browser_name_is_cut_to_255_characters(client, users):
    login(client, users[SiteRole.EDITOR], HTTP_USER_AGENT="浏" * 400)
    assert LoginEvent.objects.get().user_agent == "浏" * 255


# --- The client's address --------------------------------------------------------------------


def _address(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **extra))


def test_x_forwarded_for_is_ignored_without_trusted_proxies():
    assert _address("203.0.113.9", "198.51.100.1") == "203.0.113.9"


def test_behind_a_trusted_proxy_the_address_it_saw_is_taken(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8", "127.0.0.1"]
    assert _address("10.1.2.3", "198.51.100.1") == "198.51.100.1"
    # A client cannot pose as someone else by sending its own header: the proxy appends.
    assert _address("10.1.2.3", "192.0.2.66, 198.51.100.1") == "198.51.100.1"
    assert _address("127.0.0.1", "198.51.100.1, 10.9.9.9") == "198.51.100.1"
    assert _address("10.1.2.3", "not-an-address") == "10.1.2.3"
    assert _address("203.0.113.9", "198.51.100.1") == "203.0.113.9", "not from the proxy"


def test_the_lockout_counts_per_forwarded_address(client, users, settings):
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    for _attempt in range(5):
        _wrong(client, "east_editor", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20")
    other = login(
        client, users[SiteRole.EDITOR], REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.21"
    )
    assert other.status_code == 302, "another client behind the same proxy is not locked out"
    assert LoginEvent.objects.filter(kind=Kind.LOCKED_OUT).get().ip_address == "198.51.100.20"


# --- The platform admins' page ---------------------------------------------------------------


def _event(kind, username, minutes_ago=0):
    return LoginEvent.objects.create(
        kind=kind, username=username, timestamp=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_the_page_lists_the_newest_first_and_filters(client, users):
    _event(Kind.LOGIN_FAILED, "older-name", minutes_ago=30)
    _event(Kind.LOCKED_OUT, "newer-name", minutes_ago=5)
    client.force_login(users["platform"])
    html = client.get(EVENTS).content.decode()
    assert html.index("newer-name") < html.index("older-name")
    assert "账号锁定" in html and "密码错误" in html

    by_kind = client.get(EVENTS, {"kind": Kind.LOGIN_FAILED}).content.decode()
    assert "older-name" in by_kind and "newer-name" not in by_kind
    by_name = client.get(EVENTS, {"username": "NEWER"}).content.decode()
    assert "newer-name" in by_name and "older-name" not in by_name


def test_the_page_is_paginated_keeping_the_filter(client, users):
    for number in range(55):
        _event(Kind.LOGIN_FAILED, f"guess{number:02d}", minutes_ago=number)
    client.force_login(users["platform"])
    first = client.get(EVENTS, {"kind": Kind.LOGIN_FAILED}).content.decode()
    assert "guess00" in first and "guess54" not in first
    assert "第 1 / 2 页" in first and "kind=login_failed" in first
    second = client.get(EVENTS, {"kind": Kind.LOGIN_FAILED, "page": 2}).content.decode()
    assert "guess54" in second and "guess00" not in second


@pytest.mark.parametrize("role", list(SiteRole), ids=lambda role: role.value)
def test_site_roles_cannot_read_it(client, users, role):
    _event(Kind.LOGIN_FAILED, "secret-guess")
    client.force_login(users[role])
    response = client.get(EVENTS)
    assert response.status_code == 302 and response.url == HOME
    assert "secret-guess" not in client.get(HOME).content.decode()


def test_only_platform_admins_see_it_in_the_settings_menu(client, users):
    client.force_login(users[SiteRole.SITE_ADMIN])
    assert EVENTS not in client.get(HOME).content.decode()
    client.force_login(users["platform"])
    assert EVENTS in client.get(HOME).content.decode()


# --- Retention -------------------------------------------------------------------------------


def test_events_are_pruned_with_the_audit_log():
    now = timezone.now()
    for days in (10, 179, 181, 400):
        LoginEvent.objects.create(
            kind=Kind.LOGIN_FAILED, username=f"d{days}", timestamp=now - timedelta(days=days)
        )
    deleted = audit.prune(now)
    assert deleted["accounts.LoginEvent"] == 2
    assert sorted(LoginEvent.objects.values_list("username", flat=True)) == ["d10", "d179"]
