from urllib.parse import urlencode

from django.http import HttpResponsePermanentRedirect
from django.urls import reverse

from .archiving import archived_hosts
from .models import portal_profile


class ArchivedSiteMiddleware:
    """Answer every public URL of an archived site with a 301 to its notice on the portal.

    The admin stays reachable on every hostname so that the content can still be managed.
    """

    exempt_prefixes = ("/admin/", "/static/", "/media/", "/healthz")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(self.exempt_prefixes):
            code = archived_hosts().get(request.get_host().rsplit(":", 1)[0])
            if code:
                return HttpResponsePermanentRedirect(self.notice_url(code, request.path))
        return self.get_response(request)

    @staticmethod
    def notice_url(code, old_path):
        portal = portal_profile()
        base = portal.site.root_url if portal else ""
        query = urlencode({"from": old_path})
        return f"{base}{reverse('archived_site_notice', args=[code])}?{query}"
