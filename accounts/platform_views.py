"""Platform-admin screens: the login record (设置 → 登录记录) and resetting a user's 2FA."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import cached_property
from django.views.generic import ListView, TemplateView
from django_otp import user_has_device
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from runtime.views import PlatformAdminRequiredMixin

from . import two_factor
from .models import LoginEvent

RESET_ACTION = "accounts.reset_two_factor"


class LoginEventsView(PlatformAdminRequiredMixin, WagtailAdminTemplateMixin, ListView):
    template_name = "accounts/login_events.html"
    page_title = "登录记录"
    header_icon = "list-ul"
    paginate_by = 50

    def get_queryset(self):
        events = LoginEvent.objects.select_related("user")
        if self.kind in LoginEvent.Kind.values:
            events = events.filter(kind=self.kind)
        if self.username:
            events = events.filter(username__icontains=self.username)
        return events

    @property
    def kind(self):
        return self.request.GET.get("kind", "")

    @property
    def username(self):
        return self.request.GET.get("username", "").strip()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            kinds=LoginEvent.Kind.choices,
            current_kind=self.kind,
            current_username=self.username,
            filter_query=urlencode({"kind": self.kind, "username": self.username}),
            **kwargs,
        )


class ResetTwoFactorView(PlatformAdminRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Remove a user's authenticator and recovery codes (a lost phone): they enrol again."""

    template_name = "accounts/reset_two_factor.html"
    page_title = "重置两步验证"
    header_icon = "key"

    @cached_property
    def account(self):
        return get_object_or_404(get_user_model(), pk=self.kwargs["user_id"])

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            account=self.account, enrolled=user_has_device(self.account), **kwargs
        )

    def post(self, request, user_id):
        if user_has_device(self.account):
            two_factor.reset(self.account)
            log(instance=self.account, action=RESET_ACTION, user=request.user)
            messages.success(request, f"已重置 {self.account.get_username()} 的两步验证。")
        return redirect("wagtailusers_users:index")
