"""Which site answers a request."""

from wagtail.models import Site

from .models import SiteProfile


def profile_for_request(request):
    """The SiteProfile of the site answering this request (cached on the request)."""
    if not hasattr(request, "_site_profile"):
        site = Site.find_for_request(request)
        request._site_profile = (
            SiteProfile.objects.filter(site=site).select_related("site", "logo").first()
            if site
            else None
        )
    return request._site_profile
