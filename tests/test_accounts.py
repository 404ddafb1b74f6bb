"""Account security (等保 2.0 三级): password complexity, lockout after repeated failures and a
30-minute, browser-session-only admin session.

Logins go through the real Wagtail admin login view, so django-axes, the authentication backends
and Wagtail's own session handling are all exercised together.
"""

import datetime

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sites.models import SiteRole
from tests.conftest import module_world
from tests.factories import PASSWORD, provision, role_users

THIRTY_MINUTES = 30 * 60
LOCKED_OUT_MESSAGE = "登录失败次数过多，账号已暂时锁定，请 30 分钟后再试。"


# --- Password validators --------------------------------------------------------------------


@pytest.mark.parametrize(
    "password,code",
    [
        ("password123", "password_too_common"),
        ("abcdefghijk", "password_too_simple"),
        ("Short1!", "password_too_short"),
    ],
)
def test_weak_password_is_rejected(password, code):
    with pytest.raises(ValidationError) as raised:
        validate_password(password)
    assert code in {error.code for error in raised.value.error_list}


def test_only_lower_case_letters_fail_the_character_class_rule():
    with pytest.raises(ValidationError) as raised:
        validate_password("abcdefghijk")
    assert [error.code for error in raised.value.error_list] == ["password_too_simple"]


def test_strong_password_is_accepted():
    assert validate_password("Jiyue@demo2026") is None


def test_factory_password_meets_the_rules():
    """The test users' password must itself be one the platform would accept."""
    assert validate_password(PASSWORD) is None


# --- Lockout and sessions through the admin login -------------------------------------------


def _build():
    provision("www", "portal")
    return {code: role_users(provision(code)) for code in ("east", "west")}


users = module_world(_build)


def _login(client, user, password, **extra):
    return client.post(
        reverse("wagtailadmin_login"), {"username": user.username, "password": password, **extra}
    )


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


def _fail(client, user, times):
    for attempt in range(1, times + 1):
        response = _login(client, user, "Wrong-Passw0rd!")
        if attempt < settings.AXES_FAILURE_LIMIT:
            assert response.status_code == 200, f"failure {attempt} answered {response.status_code}"
    return response


def _assert_locked_out(response):
    assert response.status_code == 429
    assert "sites/locked_out.html" in [template.name for template in response.templates]
    assert LOCKED_OUT_MESSAGE in response.content.decode()


def test_failure_limit_is_five():
    assert settings.AXES_FAILURE_LIMIT == 5


@pytest.mark.django_db
def test_fifth_failure_locks_the_account_out(client, users):
    editor = users["east"][SiteRole.EDITOR]
    _assert_locked_out(_fail(client, editor, 5))
    assert _logged_in_as(client) is None


@pytest.mark.django_db
def test_right_password_after_lockout_does_not_log_in(client, users):
    editor = users["east"][SiteRole.EDITOR]
    _fail(client, editor, 5)
    response = _login(client, editor, PASSWORD)
    _assert_locked_out(response)
    assert _logged_in_as(client) is None


@pytest.mark.django_db
def test_lockout_is_per_account(client, users):
    """Another site's user on the same machine is not locked out by someone else's failures."""
    _fail(client, users["east"][SiteRole.EDITOR], 5)
    other = users["west"][SiteRole.EDITOR]
    response = _login(client, other, PASSWORD)
    assert response.status_code == 302
    assert _logged_in_as(client) == str(other.pk)


@pytest.mark.django_db
def test_four_failures_then_right_password_logs_in(client, users):
    """Positive control: below the limit the right password still works."""
    editor = users["east"][SiteRole.SITE_ADMIN]
    _fail(client, editor, 4)
    response = _login(client, editor, PASSWORD)
    assert response.status_code == 302
    assert _logged_in_as(client) == str(editor.pk)


@pytest.mark.django_db
def test_success_resets_the_failure_count(client, users):
    editor = users["west"][SiteRole.FIRST_REVIEWER]
    _fail(client, editor, 4)
    assert _login(client, editor, PASSWORD).status_code == 302
    client.logout()
    _fail(client, editor, 4)
    assert _login(client, editor, PASSWORD).status_code == 302
    assert _logged_in_as(client) == str(editor.pk)


@pytest.mark.django_db
def test_login_session_lasts_thirty_minutes_and_ends_with_the_browser(client, users):
    editor = users["east"][SiteRole.EDITOR]
    before = timezone.now()
    response = _login(client, editor, PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")

    session = client.session
    assert session["_auth_user_id"] == str(editor.pk)
    assert session.get_expiry_age() == THIRTY_MINUTES
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert session.get_expire_at_browser_close() is True

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == "", "cookie must not be persistent"
    assert cookie["httponly"] is True

    stored = Session.objects.get(session_key=session.session_key).expire_date
    expected = before + datetime.timedelta(seconds=THIRTY_MINUTES)
    assert expected <= stored <= timezone.now() + datetime.timedelta(seconds=THIRTY_MINUTES)


@pytest.mark.django_db
def test_remember_me_still_times_out_after_thirty_minutes(client, users):
    editor = users["west"][SiteRole.EDITOR]
    assert _login(client, editor, PASSWORD, remember="on").status_code == 302
    assert client.session.get_expiry_age() == THIRTY_MINUTES
