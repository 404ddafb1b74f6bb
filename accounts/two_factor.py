"""Two-factor authentication over django-otp: an authenticator app (TOTP) and ten one-time
recovery codes.

Platform admins and 站点管理员 must use it (every admin account with
ADMIN_2FA_REQUIRED_FOR_ALL); anyone else may enrol. Whoever has a device enters a code after the
password before the admin treats the session as verified (`accounts.middleware`).
"""

import math
from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp import user_has_device, verify_token
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from sites.models import SiteGroup, SiteRole

RECOVERY_CODE_COUNT = 10
DEVICE_NAME = "身份验证器"
RECOVERY_DEVICE_NAME = "恢复码"


class Throttled(Exception):
    """Too many wrong codes in a row: django-otp refuses to check another until `seconds` pass."""

    def __init__(self, seconds):
        super().__init__(seconds)
        self.seconds = seconds


def required(user):
    if settings.ADMIN_2FA_REQUIRED_FOR_ALL or user.is_superuser:
        return True
    return SiteGroup.objects.filter(role=SiteRole.SITE_ADMIN, group__user=user).exists()


def pending_step(user):
    """What the signed-in user must still do: "verify" a code, "enrol" a device, or nothing."""
    if not settings.ADMIN_2FA_ENFORCED or user.is_verified():
        return None
    if user_has_device(user):
        return "verify"
    return "enrol" if required(user) else None


# --- Enrolment ---------------------------------------------------------------------------------


def new_key():
    return random_hex(20)


def secret(key):
    """The key in base32, in groups of four, for typing into an authenticator app."""
    text = b32encode(unhexlify(key)).decode()
    return " ".join(text[start : start + 4] for start in range(0, len(text), 4))


def qr_code_svg(user, key):
    """An inline SVG of the otpauth:// address an authenticator app scans."""
    address = TOTPDevice(user=user, key=key).config_url
    # A white ground of its own: the admin's dark theme would leave dark modules on dark.
    return segno.make(address, error="m").svg_inline(scale=5, light="white", title="两步验证二维码")


def matching_step(key, code):
    """The time step at which `code` is right for `key` (one step of clock drift allowed)."""
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = TOTP(unhexlify(key))
    return totp.t() if totp.verify(int(code), tolerance=1) else None


@transaction.atomic
def enrol(user, key, step):
    """Replace the user's devices with an authenticator confirmed at `step` (that code cannot be
    used again) and new recovery codes; returns the device and the codes."""
    reset(user)
    device = TOTPDevice.objects.create(
        user=user, name=DEVICE_NAME, key=key, last_t=step, confirmed=True
    )
    return device, new_recovery_codes(user)


@transaction.atomic
def new_recovery_codes(user):
    """Ten fresh one-time codes; any earlier ones stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user):
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def reset(user):
    """Remove every device of the user: they must enrol again."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


# --- Verification ------------------------------------------------------------------------------


def normalise(code):
    return "".join(code.split()).lower()


def verify(user, code):
    """The device that accepts `code` (six digits: the authenticator; otherwise a recovery
    code, used up), or None. A failure counts toward django-otp's back-off, which raises
    Throttled while it lasts."""
    model = TOTPDevice if code.isdigit() and len(code) == 6 else StaticDevice
    device = model.objects.devices_for_user(user, confirmed=True).first()
    if device is None:
        return None
    allowed, details = device.verify_is_allowed()
    if not allowed:
        wait = (details["locked_until"] - timezone.now()).total_seconds()
        raise Throttled(max(1, math.ceil(wait)))
    return verify_token(user, device.persistent_id, code)
