"""A visitor's display preferences that the server renders: elder mode (适老化模式).

Elder mode lives in a cookie, not in the session, so pages stay cacheable per mode (the page
cache keys on `elder_mode(request)`) and the switch works without JavaScript: it is a plain link
to `set_elder_mode`, which sets or clears the cookie and sends the visitor back where they were.
"""

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import path
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

ELDER_MODE_COOKIE = "elder_mode"
ELDER_MODE_MAX_AGE = 365 * 24 * 60 * 60  # remembered for a year


def elder_mode(request) -> bool:
    """Whether this request asks for elder mode."""
    return request.COOKIES.get(ELDER_MODE_COOKIE) == "1"


def elder_mode_context(request):
    """Context processor: `elder_mode` for base.html's `<html class="elder">`."""
    return {"elder_mode": elder_mode(request)}


@require_GET
@never_cache  # it sets a visitor's cookie: no shared cache may keep it
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
    domain = _cluster_cookie_domain(request)
    if request.GET.get("on") == "1":
        response.set_cookie(
            ELDER_MODE_COOKIE,
            "1",
            max_age=ELDER_MODE_MAX_AGE,
            domain=domain,
            samesite="Lax",
            httponly=True,
            secure=request.is_secure(),
        )
    else:
        response.delete_cookie(ELDER_MODE_COOKIE, domain=domain, samesite="Lax")
    return response


def _cluster_cookie_domain(request):
    """PLATFORM_DOMAIN when this host is a site of the cluster, so the mode follows the visitor
    from the portal to every department and district site; else None (this host only).

    Browsers refuse a Domain without a dot (the demo's `localhost`): there each site keeps its own.
    """
    domain = settings.PLATFORM_DOMAIN
    host = request.get_host().rsplit(":", 1)[0]
    if "." in domain and (host == domain or host.endswith(f".{domain}")):
        return domain
    return None


# Mounted by config/urls.py at /preferences/.
urlpatterns = [path("elder-mode/", set_elder_mode, name="elder_mode")]
