"""A visitor's display preferences that the server renders: elder mode (适老化模式).

Elder mode lives in a cookie, not in the session, so pages stay cacheable per mode (the page
cache keys on `elder_mode(request)`) and the switch works without JavaScript: it is a plain link
to `set_elder_mode`, which sets or clears the cookie and sends the visitor back where they were.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET

ELDER_MODE_COOKIE = "elder_mode"
ELDER_MODE_MAX_AGE = 365 * 24 * 60 * 60  # remembered for a year


def elder_mode(request) -> bool:
    """Whether this request asks for elder mode."""
    return request.COOKIES.get(ELDER_MODE_COOKIE) == "1"


def elder_mode_context(request):
    """Context processor: `elder_mode` for base.html's `<html class="elder">`."""
    return {"elder_mode": elder_mode(request)}


def elder_mode_url(on, next_path):
    """The switch's link: turn elder mode on (or off) and come back to `next_path`."""
    query = urlencode({"on": "1" if on else "0", "next": next_path})
    return f"{reverse('elder_mode')}?{query}"


@require_GET
def set_elder_mode(request):
    """Turn elder mode on (`on=1`) or off (anything else), then go back to `next`.

    A GET because the switch is a link that must work without JavaScript; it changes only the
    visitor's own display preference. `next` must point to this host, else the visitor goes to
    the site's home page (no open redirect).
    """
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.GET.get("on") == "1":
        response.set_cookie(
            ELDER_MODE_COOKIE,
            "1",
            max_age=ELDER_MODE_MAX_AGE,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(ELDER_MODE_COOKIE, samesite="Lax")
    return response


# Mounted by config/urls.py at /preferences/.
urlpatterns = [path("elder-mode/", set_elder_mode, name="elder_mode")]
