"""Admin: the 2FA pages of every user, the account page's links to them, and the platform
admins' login record (设置 → 登录记录) and 2FA reset (用户列表 → 重置两步验证)."""

from django.urls import path, reverse
from django_otp import user_has_device
from wagtail import hooks
from wagtail.admin.widgets import Button

from runtime.wagtail_hooks import PlatformAdminMenuItem

from . import two_factor
from .platform_views import RESET_ACTION, LoginEventsView, ResetTwoFactorView
from .views import RecoveryCodesView, SetupView, VerifyView


@hooks.register("register_admin_urls")
def register_account_urls():
    return [
        path("accounts/two-factor/setup/", SetupView.as_view(), name="accounts_two_factor_setup"),
        path(
            "accounts/two-factor/verify/", VerifyView.as_view(), name="accounts_two_factor_verify"
        ),
        path(
            "accounts/two-factor/recovery-codes/",
            RecoveryCodesView.as_view(),
            name="accounts_recovery_codes",
        ),
        path("accounts/login-events/", LoginEventsView.as_view(), name="accounts_login_events"),
        path(
            "accounts/users/<int:user_id>/reset-two-factor/",
            ResetTwoFactorView.as_view(),
            name="accounts_reset_two_factor",
        ),
    ]


@hooks.register("register_settings_menu_item")
def register_login_events_menu_item():
    return PlatformAdminMenuItem(
        "登录记录",
        reverse("accounts_login_events"),
        name="login-events",
        icon_name="list-ul",
        order=902,
    )


@hooks.register("register_account_menu_item")
def register_two_factor_account_item(request):
    if user_has_device(request.user):
        return {
            "url": reverse("accounts_two_factor_setup"),
            "label": "更换身份验证器",
            "help_text": "两步验证已启用。换手机时在此绑定新的身份验证器，原有的将失效。",
        }
    return {
        "url": reverse("accounts_two_factor_setup"),
        "label": "启用两步验证",
        "help_text": (
            "您的账号必须启用两步验证。"
            if two_factor.required(request.user)
            else "登录时除密码外还须输入手机身份验证器中的动态验证码。"
        ),
    }


@hooks.register("register_account_menu_item")
def register_recovery_codes_account_item(request):
    if not user_has_device(request.user):
        return None
    return {
        "url": reverse("accounts_recovery_codes"),
        "label": "重新生成恢复码",
        "help_text": f"还剩 {two_factor.recovery_codes_left(request.user)} 个恢复码未使用。",
    }


@hooks.register("register_user_listing_buttons")
def register_reset_two_factor_button(user, request_user):
    if not request_user.is_superuser:
        return []
    return [
        Button(
            "重置两步验证",
            url=reverse("accounts_reset_two_factor", args=[user.pk]),
            icon_name="key",
            priority=50,
        )
    ]


@hooks.register("register_log_actions")
def register_two_factor_actions(actions):
    actions.register_action(RESET_ACTION, "重置两步验证", "两步验证已由平台管理员重置")
