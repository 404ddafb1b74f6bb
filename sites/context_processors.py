from django.utils.functional import SimpleLazyObject

from .access import profile_for_request


def site_profile(request):
    """Expose the answering site's identity to templates (footer, meta tags, branding).

    Lazy, so admin pages that never show it do not pay for the lookup.
    """
    return {"site_profile": SimpleLazyObject(lambda: profile_for_request(request))}
