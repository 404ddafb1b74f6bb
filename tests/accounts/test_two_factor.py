"""Two-factor authentication (等保 2.0 三级 双因素): platform admins and 站点管理员 must enrol an
authenticator; whoever has one enters its code after the password on every sign-in."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice
from wagtail.models import ModelLogEntry

from accounts import two_factor
from accounts.models import LoginEvent
from accounts.views import PENDING_KEY
from sites.models import SiteRole
from tests.accounts.conftest import code_for, enrol, login, verify
from tests.conftest import module_world
from tests.factories import PASSWORD, provision, role_users

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("enforced")]

SETUP = reverse("accounts_two_factor_setup")
VERIFY = reverse("accounts_two_factor_verify")
HOME = reverse("wagtailadmin_home")
Kind = LoginEvent.Kind


def _build():
    east = provision("east")
    users = role_users(east)
    users["platform"] = get_user_model().objects.create_superuser("platform", password=PASSWORD)
    return {"profile": east, "users": users}


world = module_world(_build)


def _admin_urls(profile):
    return {
        "dashboard": HOME,
        "pages explorer": reverse("wagtailadmin_explore", args=[profile.home_page.pk]),
        "images": reverse("wagtailimages:index"),
        "documents": reverse("wagtaildocs:index"),
        "site profile": reverse("sites_profile:edit", args=[profile.pk]),
        "account": reverse("wagtailadmin_account"),
        "recovery codes": reverse("accounts_recovery_codes"),
        "site history": reverse("wagtailadmin_reports:site_history"),
    }


def _kinds(user):
    return list(LoginEvent.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def _start_enrolment(client):
    """Open the enrolment page; the secret it shows (kept in the session until confirmed)."""
    response = client.get(SETUP)
    assert response.status_code == 200
    return response, client.session[PENDING_KEY]


# --- Who must enrol ------------------------------------------------------------------------


@pytest.mark.parametrize("who", [SiteRole.SITE_ADMIN, "platform"])
def test_without_a_device_every_admin_url_leads_to_the_enrolment(client, world, who):
    user = world["users"][who]
    assert login(client, user).status_code == 302
    for name, url in _admin_urls(world["profile"]).items():
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302, f"{name} answered {response.status_code}"
            assert response.url == SETUP, f"{name} led to {response.url}"
    html = client.get(SETUP).content.decode()
    assert "平台管理员和站点管理员必须启用两步验证" in html
    assert not user_has_device(user)


def test_an_editor_is_not_required(client, world):
    editor = world["users"][SiteRole.EDITOR]
    login(client, editor)
    assert client.get(HOME).status_code == 200


def test_with_required_for_all_an_editor_must_enrol_too(client, world, settings):
    settings.ADMIN_2FA_REQUIRED_FOR_ALL = True
    login(client, world["users"][SiteRole.EDITOR])
    response = client.get(HOME)
    assert response.status_code == 302 and response.url == SETUP


def test_signed_out_the_enrolment_page_asks_for_the_password_first(client):
    response = client.get(SETUP)
    assert response.status_code == 302
    assert response.url.startswith(reverse("wagtailadmin_login"))


# --- Enrolment -----------------------------------------------------------------------------


def test_enrolment_with_the_right_code_confirms_the_device_and_shows_recovery_codes(client, world):
    site_admin = world["users"][SiteRole.SITE_ADMIN]
    login(client, site_admin)
    page, key = _start_enrolment(client)
    html = page.content.decode()
    assert "<svg" in html and "两步验证二维码" in html
    assert two_factor.secret(key) in html

    response = client.post(SETUP, {"code": code_for(key)})
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    assert all(code in response.content.decode() for code in codes)
    device = TOTPDevice.objects.get(user=site_admin)
    assert device.confirmed and device.key == key
    assert PENDING_KEY not in client.session
    assert client.get(HOME).status_code == 200, "enrolling verifies the session"
    assert _kinds(site_admin) == [Kind.LOGIN_SUCCEEDED, Kind.TWO_FACTOR_ENROLLED]


def test_a_wrong_enrolment_code_is_refused_and_recorded(client, world):
    site_admin = world["users"][SiteRole.SITE_ADMIN]
    login(client, site_admin)
    _page, key = _start_enrolment(client)
    wrong = f"{(int(code_for(key)) + 1) % 1_000_000:06d}"
    response = client.post(SETUP, {"code": wrong}, REMOTE_ADDR="198.51.100.7")
    assert response.status_code == 200
    assert (
        "验证码不正确，请确认手机时间准确后输入应用中当前显示的验证码。"
        in response.content.decode()
    )
    assert not user_has_device(site_admin)
    assert client.get(HOME).url == SETUP
    failure = LoginEvent.objects.get(user=site_admin, kind=Kind.SECOND_FACTOR_FAILED)
    assert failure.ip_address == "198.51.100.7"


def test_the_enrolment_secret_stays_the_same_until_confirmed(client, world):
    login(client, world["users"][SiteRole.SITE_ADMIN])
    _page, key = _start_enrolment(client)
    client.post(SETUP, {"code": ""})
    assert _start_enrolment(client)[1] == key


def test_an_editor_may_enrol_from_the_account_page_and_is_then_asked_for_codes(client, world):
    editor = world["users"][SiteRole.EDITOR]
    login(client, editor)
    account = client.get(reverse("wagtailadmin_account")).content.decode()
    assert "启用两步验证" in account and SETUP in account
    _page, key = _start_enrolment(client)
    client.post(SETUP, {"code": code_for(key)})
    assert user_has_device(editor)
    client.post(reverse("wagtailadmin_logout"))
    login(client, editor)
    assert client.get(HOME).url == f"{VERIFY}?next=%2Fadmin%2F"


# --- Signing in with a device ----------------------------------------------------------------


def test_after_the_password_the_code_is_asked_then_the_dashboard_opens(client, world):
    site_admin = world["users"][SiteRole.SITE_ADMIN]
    device, _codes = enrol(site_admin)
    response = login(client, site_admin)
    assert response.status_code == 302
    images = reverse("wagtailimages:index")
    asked = client.get(images)
    assert asked.url == f"{VERIFY}?next=%2Fadmin%2Fimages%2F"
    assert "请打开手机上的身份验证器应用" in client.get(asked.url).content.decode()

    before = client.session.session_key
    verified = verify(client, code_for(device.key), **{"QUERY_STRING": "next=/admin/images/"})
    assert verified.status_code == 302 and verified.url == images
    assert client.session.session_key != before, "a verified session gets a new key"
    assert client.get(HOME).status_code == 200
    assert _kinds(site_admin) == [Kind.LOGIN_SUCCEEDED, Kind.SECOND_FACTOR_SUCCEEDED]


def test_after_the_code_no_redirect_leaves_the_site(client, world):
    site_admin = world["users"][SiteRole.SITE_ADMIN]
    device, _codes = enrol(site_admin)
    login(client, site_admin)
    response = verify(client, code_for(device.key), QUERY_STRING="next=https://evil.example/")
    assert response.status_code == 302 and response.url == HOME


def test_an_enrolled_user_cannot_replace_the_device_before_entering_a_code(client, world):
    site_admin = world["users"][SiteRole.SITE_ADMIN]
    device, _codes = enrol(site_admin)
    login(client, site_admin)
    response = client.get(SETUP)
    assert response.status_code == 302 and response.url == VERIFY
    client.post(SETUP, {"code": "123456"})
    assert list(TOTPDevice.objects.filter(user=site_admin)) == [device]


def test_a_wrong_code_is_refused_recorded_and_throttled(client, world, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # the first wait: a minute, longer than this test
    site_admin = world["users"][SiteRole.SITE_ADMIN]
    device, _codes = enrol(site_admin)
    login(client, site_admin)
    wrong = f"{(int(code_for(device.key)) + 5) % 1_000_000:06d}"
    refused = verify(client, wrong, HTTP_USER_AGENT="Mozilla/5.0 (X11) 测试")
    assert refused.status_code == 200
    assert "验证码或恢复码不正确。" in refused.content.decode()

    throttled = verify(client, code_for(device.key), HTTP_USER_AGENT="Mozilla/5.0 (X11) 测试")
    assert "验证失败次数过多，请" in throttled.content.decode()
    assert client.get(HOME).url.startswith(VERIFY)
    failures = LoginEvent.objects.filter(user=site_admin, kind=Kind.SECOND_FACTOR_FAILED)
    assert failures.count() == 2
    assert {event.user_agent for event in failures} == {"Mozilla/5.0 (X11) 测试"}


def test_five_wrong_codes_lock_the_account_out(client, world):
    site_admin = world["users"][SiteRole.SITE_ADMIN]
    enrol(site_admin)
    login(client, site_admin)
    for attempt in range(1, 6):
        response = verify(client, "000000")
        if attempt < 5:
            assert response.status_code == 200, f"attempt {attempt}: {response.status_code}"
    assert response.status_code == 429
    assert "sites/locked_out.html" in [template.name for template in response.templates]
    assert client.session.get("_auth_user_id") is None, "the half-signed-in session ends"
    assert login(client, site_admin).status_code == 429, "the right password is refused now"
    kinds = _kinds(site_admin)
    assert kinds.count(Kind.SECOND_FACTOR_FAILED) == 5
    assert Kind.LOCKED_OUT in kinds


def test_a_recovery_code_works_once(client, world):
    site_admin = world["users"][SiteRole.SITE_ADMIN]
    _device, codes = enrol(site_admin)
    login(client, site_admin)
    response = verify(client, f" {codes[3].upper()} ")
    assert response.status_code == 302 and response.url == HOME
    assert "您使用了一个恢复码，还剩 9 个。" in client.get(HOME).content.decode()

    client.post(reverse("wagtailadmin_logout"))
    login(client, site_admin)
    assert "验证码或恢复码不正确。" in verify(client, codes[3]).content.decode()
    assert client.get(HOME).url.startswith(VERIFY)


def test_new_recovery_codes_replace_the_old_ones(client, world):
    site_admin = world["users"][SiteRole.SITE_ADMIN]
    device, old = enrol(site_admin)
    login(client, site_admin)
    verify(client, code_for(device.key))
    new = client.post(reverse("accounts_recovery_codes")).context["codes"]
    assert len(new) == 10 and not set(new) & set(old)
    client.post(reverse("wagtailadmin_logout"))
    login(client, site_admin)
    assert verify(client, new[0]).url == HOME
    client.post(reverse("wagtailadmin_logout"))
    login(client, site_admin)
    assert "验证码或恢复码不正确。" in verify(client, old[0]).content.decode()


# --- Reset by a platform admin ---------------------------------------------------------------


def test_a_platform_admin_resets_a_users_two_factor(client, world):
    site_admin, platform = world["users"][SiteRole.SITE_ADMIN], world["users"]["platform"]
    device, _codes = enrol(platform)
    enrol(site_admin)
    login(client, platform)
    verify(client, code_for(device.key))
    listing = client.get(reverse("wagtailusers_users:index")).content.decode()
    reset_url = reverse("accounts_reset_two_factor", args=[site_admin.pk])
    assert reset_url in listing
    assert "将删除" in client.get(reset_url).content.decode()

    response = client.post(reset_url)
    assert response.status_code == 302
    assert not user_has_device(site_admin)
    entry = ModelLogEntry.objects.get(action="accounts.reset_two_factor")
    assert (entry.object_id, entry.user) == (str(site_admin.pk), platform)


@pytest.mark.parametrize("role", [SiteRole.SITE_ADMIN, SiteRole.EDITOR])
def test_site_roles_cannot_reset_anyones_two_factor(client, world, settings, role):
    settings.ADMIN_2FA_ENFORCED = False  # the refusal itself is under test, not the gate
    platform = world["users"]["platform"]
    enrol(platform)
    client.force_login(world["users"][role])
    reset_url = reverse("accounts_reset_two_factor", args=[platform.pk])
    assert client.get(reset_url).url == HOME
    assert client.post(reset_url).url == HOME
    assert user_has_device(platform)
    assert not ModelLogEntry.objects.filter(action="accounts.reset_two_factor").exists()
