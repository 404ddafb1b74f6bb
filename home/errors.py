"""The 404 and 500 pages, in the branding of the site the visitor asked for.

Both render inside the site's own header and footer (base.html, through the site-profile
context processor), so a citizen who mistypes an address on a department site stays on that
site. The 500 page must never fail in turn: when the branded page cannot be rendered (the
database is down, or the error lies in the chrome itself) it falls back to templates/500.html,
rendered without the request and so without touching the database.
"""

import logging

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template.loader import render_to_string
from wagtail.models import Site

logger = logging.getLogger(__name__)

LAST_RESORT = "<!DOCTYPE html><title>500</title><h1>服务器错误 (500)</h1>"


def page_not_found(request, exception):
    return render(request, "404.html", {"home_url": _home_url(request)}, status=404)


def server_error(request):
    try:
        return render(request, "500_site.html", {"home_url": _home_url(request)}, status=500)
    except Exception:
        logger.exception("The branded 500 page failed; serving the plain one")
    try:
        return HttpResponseServerError(render_to_string("500.html"))
    except Exception:
        logger.exception("The plain 500 page failed too")
        return HttpResponseServerError(LAST_RESORT)


def _home_url(request):
    """The home page of the answering site in the visitor's language (/en/ on the portal)."""
    site = Site.find_for_request(request)
    return site.root_page.localized.get_url(request) if site else "/"
