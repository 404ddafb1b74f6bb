"""Admin: platform admins see the clock, the workers and the outbox (设置 → 定时任务, 外发邮件)."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .views import OutgoingMailView, RunJobNowView, RuntimeStatusView


class PlatformAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_urls")
def register_runtime_urls():
    return [
        path("runtime/", RuntimeStatusView.as_view(), name="runtime_status"),
        path("runtime/jobs/<str:name>/run/", RunJobNowView.as_view(), name="runtime_run_job"),
        path("runtime/mail/", OutgoingMailView.as_view(), name="runtime_outgoing_mail"),
    ]


@hooks.register("register_settings_menu_item")
def register_runtime_menu_item():
    return PlatformAdminMenuItem(
        "定时任务与后台进程", reverse("runtime_status"), name="runtime", icon_name="time", order=900
    )


@hooks.register("register_settings_menu_item")
def register_outgoing_mail_menu_item():
    return PlatformAdminMenuItem(
        "外发邮件",
        reverse("runtime_outgoing_mail"),
        name="outgoing-mail",
        icon_name="mail",
        order=901,
    )
