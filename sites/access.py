"""Which sites a user acts for; the single place admin listings ask "whose is this?"."""

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


def user_profiles(user):
    return SiteProfile.objects.visible_to(user)
