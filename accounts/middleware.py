"""The admin's account gate: a signed-in user who still owes a second factor, or whose password
is too old, reaches no admin page but the one that settles it.

Listed after django-otp's OTPMiddleware (which tells whether the session is verified) and
before the site gates, it decides on every admin route, so a page added later is gated too.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse

from . import passwords, two_factor

# Routes open to everyone: signing in and out, password reset, the icons and JS translations.
OPEN_ROUTES = {
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_sprite",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_password_reset",
    "wagtailadmin_password_reset_done",
    "wagtailadmin_password_reset_confirm",
    "wagtailadmin_password_reset_complete",
}
STEP_ROUTES = {
    "verify": "accounts_two_factor_verify",
    "enrol": "accounts_two_factor_setup",
}
PASSWORD_CHANGE_ROUTE = "wagtailadmin_account"  # Wagtail's account page holds the change form


class AccountGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        route = request.resolver_match.view_name
        if (
            not request.path.startswith(reverse("wagtailadmin_home"))
            or route in OPEN_ROUTES
            or route in STEP_ROUTES.values()
            or not request.user.is_authenticated  # only now: the open routes need no session
        ):
            return None
        step = two_factor.pending_step(request.user)
        if step is not None:
            target = reverse(STEP_ROUTES[step])
            if step == "verify" and request.method == "GET":  # back here once verified
                target += "?" + urlencode({"next": request.get_full_path()})
            return redirect(target)
        if route != PASSWORD_CHANGE_ROUTE and passwords.expired(request.user):
            messages.warning(
                request,
                f"您的密码已超过 {settings.PASSWORD_EXPIRY_DAYS} 天未修改，"
                "请先修改密码再继续使用管理后台。",
            )
            return redirect(PASSWORD_CHANGE_ROUTE)
        return None
