"""Template tags of the public search: the hot searches under every search box."""

from django import template
from django.conf import settings
from django.utils.translation import get_language

from ..analytics import hot_searches as site_hot_searches

register = template.Library()


@register.simple_tag(takes_context=True)
def hot_searches(context):
    """The answering site's hot searches; none on a host without a site, and none on pages in
    another language than the default, whose readers did not type these words."""
    profile = context.get("site_profile")
    if not profile or get_language() != settings.LANGUAGE_CODE:
        return []
    return site_hot_searches(profile)
