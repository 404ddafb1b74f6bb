"""Sign-ins go through the real Wagtail login view; the 2FA gate, off in the test settings, is
turned on by the `enforced` fixture wherever it is under test."""

from binascii import unhexlify

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import two_factor
from tests.factories import PASSWORD


@pytest.fixture
def enforced(settings):
    settings.ADMIN_2FA_ENFORCED = True


def login(client, user, password=PASSWORD, **extra):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": user.get_username(), "password": password},
        **extra,
    )


def code_for(key):
    """The authenticator's current six-digit code for the hex `key`."""
    return f"{totp(unhexlify(key)):06d}"


def enrol(user):
    """A confirmed authenticator (no code used yet) and ten recovery codes for `user`."""
    device = TOTPDevice.objects.create(user=user, key=two_factor.new_key(), confirmed=True)
    return device, two_factor.new_recovery_codes(user)


def verify(client, code, **extra):
    return client.post(reverse("accounts_two_factor_verify"), {"code": code}, **extra)
