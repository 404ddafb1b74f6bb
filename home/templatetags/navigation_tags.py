from django import template
from django.utils.html import format_html
from wagtail.models import Page

from sites.models import portal_profile

register = template.Library()


@register.inclusion_tag("components/main_navigation.html", takes_context=True)
def main_navigation(context, profile):
    """The first level of the site's column tree (columns marked "show in menus")."""
    home = profile.site.root_page
    return {
        "request": context.get("request"),
        "home": home,
        "columns": Page.objects.child_of(home).live().in_menu().order_by("path"),
    }


@register.simple_tag
def portal_link(profile):
    """Every department and district site links back to the portal (门户网站)."""
    if profile.kind == "portal":
        return ""
    portal = portal_profile()
    if portal is None:
        return ""
    return format_html(
        '<a class="site-header__portal" href="{}/">{}</a>', portal.site.root_url, portal.name
    )
