"""Password ageing and history (等保 2.0 三级): a change every 90 days, none of the last 5 again.

Changes go through Wagtail's account page (its 修改密码 form), the one the expiry gate sends to.
"""

from datetime import timedelta

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts import passwords
from accounts.models import PasswordHistory
from sites.models import SiteRole
from tests.accounts.conftest import login
from tests.conftest import module_world
from tests.factories import PASSWORD, provision, role_users

pytestmark = pytest.mark.django_db

ACCOUNT = reverse("wagtailadmin_account")
HOME = reverse("wagtailadmin_home")
REUSED = "新密码不能与最近 5 次使用过的密码相同。"
EXPIRED = "您的密码已超过 90 天未修改，请先修改密码再继续使用管理后台。"


def _build():
    """One user per role, each with the name and e-mail the account page requires."""
    users = role_users(provision("east"))
    for role, user in users.items():
        user.first_name, user.last_name = "测试", role.label
        user.email = f"{role.value}@example.gov.cn"
        user.save()
    return users


users = module_world(_build)


def _change(client, old, new):
    """Submit the account page as it is, with the password change filled in."""
    data = {}
    for panels in client.get(ACCOUNT).context["panels_by_tab"].values():
        for panel in panels:
            for field in panel.get_form():
                if field.value() not in (None, False, ""):
                    data[field.html_name] = field.value()
    data.update(
        {
            "password-old_password": old,
            "password-new_password1": new,
            "password-new_password2": new,
        }
    )
    return client.post(ACCOUNT, data)


def _fresh(users, role):
    """The user as stored: each test's changes roll back, but not those of the shared objects."""
    user = users[role]
    return type(user).objects.get(pk=user.pk)


def _age(user, days):
    """Make the user's password (and account) `days` old."""
    then = timezone.now() - timedelta(days=days)
    user.password_history.update(changed_at=then)
    type(user).objects.filter(pk=user.pk).update(date_joined=then)


def _numbered(number):
    return f"Histor-{number}-Passw0rd!"


# --- History ---------------------------------------------------------------------------------


def test_every_password_change_is_recorded_whatever_saves_it(users):
    editor = _fresh(users, SiteRole.EDITOR)
    assert editor.password_history.count() == 1, "the account's first password"
    editor.set_password(_numbered(1))
    editor.save()
    editor.first_name = "改名"
    editor.save()
    editor.save(update_fields=["last_login"])
    type(editor).objects.get(pk=editor.pk).save()
    hashes = list(editor.password_history.values_list("password", flat=True))
    assert len(hashes) == 2
    assert hashes[0] == editor.password


def test_only_the_last_five_are_kept(users):
    editor = _fresh(users, SiteRole.EDITOR)
    for number in range(1, 9):
        editor.set_password(_numbered(number))
        editor.save()
    assert editor.password_history.count() == 5


def test_one_of_the_last_five_is_refused_the_sixth_last_is_allowed(client, users):
    editor = _fresh(users, SiteRole.EDITOR)
    for number in range(1, 6):  # with the current one, five passwords: 1 … 5
        editor.set_password(_numbered(number))
        editor.save()
    client.force_login(editor)
    for reused in (_numbered(5), _numbered(2)):
        response = _change(client, _numbered(5), reused)
        assert response.status_code == 200
        assert REUSED in response.content.decode()
    editor.refresh_from_db()
    assert editor.check_password(_numbered(5))

    editor.set_password(_numbered(6))  # now 2 … 6: the first password is the sixth-last
    editor.save()
    client.force_login(editor)
    assert _change(client, _numbered(6), _numbered(1)).status_code == 302
    editor.refresh_from_db()
    assert editor.check_password(_numbered(1))


def test_a_password_set_before_the_history_was_kept_still_counts(users):
    editor = _fresh(users, SiteRole.EDITOR)
    editor.password_history.all().delete()
    with pytest.raises(ValidationError) as raised:
        validate_password(PASSWORD, user=editor)
    assert [error.code for error in raised.value.error_list] == ["password_reused"]


def test_a_new_account_may_have_any_valid_password():
    from django.contrib.auth import get_user_model

    assert validate_password(PASSWORD, user=get_user_model()(username="new")) is None


# --- Expiry ----------------------------------------------------------------------------------


def test_a_password_older_than_90_days_must_be_changed_first(client, users):
    site_admin = _fresh(users, SiteRole.SITE_ADMIN)
    _age(site_admin, 91)
    assert login(client, site_admin).status_code == 302
    for url in (HOME, reverse("wagtailimages:index"), reverse("wagtailadmin_reports:site_history")):
        response = client.get(url)
        assert response.status_code == 302 and response.url == ACCOUNT, url
    page = client.get(ACCOUNT)
    assert page.status_code == 200
    assert EXPIRED in page.content.decode()

    assert _change(client, PASSWORD, "Renewed-Passw0rd!").status_code == 302
    assert client.get(HOME).status_code == 200
    assert not passwords.expired(site_admin)


def test_a_password_of_89_days_is_still_good(client, users):
    editor = _fresh(users, SiteRole.EDITOR)
    _age(editor, 89)
    login(client, editor)
    assert client.get(HOME).status_code == 200


def test_without_a_recorded_change_the_account_creation_counts(client, users):
    editor = _fresh(users, SiteRole.EDITOR)
    editor.password_history.all().delete()
    _age(editor, 120)
    login(client, editor)
    assert client.get(HOME).url == ACCOUNT


def test_the_expiry_follows_the_setting(client, users, settings):
    settings.PASSWORD_EXPIRY_DAYS = 30
    editor = _fresh(users, SiteRole.EDITOR)
    _age(editor, 31)
    login(client, editor)
    assert client.get(HOME).url == ACCOUNT
    assert "超过 30 天未修改" in client.get(ACCOUNT).content.decode()


def test_history_rows_are_removed_with_the_user(users):
    editor = _fresh(users, SiteRole.EDITOR)
    editor.delete()
    assert not PasswordHistory.objects.filter(user_id=editor.pk).exists()
