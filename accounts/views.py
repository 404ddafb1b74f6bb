"""The signed-in user's second factor: enrolling an authenticator, entering a code after the
password, and replacing the recovery codes."""

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_static.models import StaticDevice

from . import two_factor
from .forms import EnrolForm, VerifyForm
from .login_events import record, second_factor_failed
from .models import LoginEvent

PENDING_KEY = "accounts_pending_totp_key"  # the secret being enrolled, until confirmed


def _verified(request, device):
    """Mark the session verified by `device`, under a new session key (the privilege rose)."""
    request.session.cycle_key()
    otp_login(request, device)


def _recovery_codes(request, codes):
    return TemplateResponse(
        request, "accounts/recovery_codes.html", {"title": "恢复码", "codes": codes}
    )


class SetupView(View):
    """Enrol an authenticator: scan the QR code (or type the secret), confirm with a code."""

    template_name = "accounts/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        # Open before the second factor, so that an enrolled user must prove theirs first:
        # otherwise knowing the password would be enough to replace the authenticator.
        if user_has_device(request.user) and not request.user.is_verified():
            return redirect("accounts_two_factor_verify")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, EnrolForm())

    def post(self, request):
        form = EnrolForm(request.POST)
        key = request.session.get(PENDING_KEY)
        if key is None or not form.is_valid():
            return self._render(request, form)
        step = two_factor.matching_step(key, form.cleaned_data["code"])
        if step is None:
            second_factor_failed(request, request.user, count_toward_lockout=False)
            form.add_error("code", "验证码不正确，请确认手机时间准确后输入应用中当前显示的验证码。")
            return self._render(request, form)
        device, codes = two_factor.enrol(request.user, key, step)
        del request.session[PENDING_KEY]
        _verified(request, device)
        record(request, LoginEvent.Kind.TWO_FACTOR_ENROLLED, user=request.user)
        return _recovery_codes(request, codes)

    def _render(self, request, form):
        key = request.session.setdefault(PENDING_KEY, two_factor.new_key())
        return TemplateResponse(
            request,
            self.template_name,
            {
                "title": "绑定两步验证",
                "form": form,
                "qr_code": two_factor.qr_code_svg(request.user, key),
                "secret": two_factor.secret(key),
                "required": two_factor.required(request.user),
                "replacing": user_has_device(request.user),
            },
        )


class VerifyView(View):
    """The second step of signing in: a code from the authenticator, or a recovery code."""

    template_name = "accounts/two_factor_verify.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_verified():
            return redirect(self._next(request))
        if not user_has_device(request.user):
            return redirect("accounts_two_factor_setup")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return self._render(request, VerifyForm())

    def post(self, request):
        form = VerifyForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        code = form.cleaned_data["code"]
        try:
            device = two_factor.verify(request.user, code)
        except two_factor.Throttled as throttled:
            device = None
            error = f"验证失败次数过多，请 {throttled.seconds} 秒后再试。"
        else:
            error = "验证码或恢复码不正确。"
        if device is None:
            second_factor_failed(request, request.user)
            if getattr(request, "axes_locked_out", False):
                logout(request)  # axes answers with its lockout page
            form.add_error("code", error)
            return self._render(request, form)
        _verified(request, device)
        record(request, LoginEvent.Kind.SECOND_FACTOR_SUCCEEDED, user=request.user)
        if isinstance(device, StaticDevice):
            left = two_factor.recovery_codes_left(request.user)
            messages.warning(request, f"您使用了一个恢复码，还剩 {left} 个。")
        return redirect(self._next(request))

    def _next(self, request):
        target = request.POST.get("next") or request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return target
        return reverse("wagtailadmin_home")

    def _render(self, request, form):
        return TemplateResponse(
            request,
            self.template_name,
            {"title": "两步验证", "form": form, "next": self._next(request)},
        )


class RecoveryCodesView(View):
    """Replace the recovery codes (the old ones stop working) and show the new ones once."""

    def dispatch(self, request, *args, **kwargs):
        if not user_has_device(request.user):
            return redirect("accounts_two_factor_setup")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return TemplateResponse(
            request,
            "accounts/recovery_codes_confirm.html",
            {
                "title": "重新生成恢复码",
                "left": two_factor.recovery_codes_left(request.user),
            },
        )

    def post(self, request):
        return _recovery_codes(request, two_factor.new_recovery_codes(request.user))
