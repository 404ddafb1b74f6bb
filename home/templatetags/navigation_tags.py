"""The chrome of every public page: main navigation, breadcrumb, portal link, site title and
language switch."""

from django import template
from django.utils.html import format_html
from wagtail.models import Page

from sites.models import portal_profile

register = template.Library()

SITE_HOME_DEPTH = 2  # the tree is Root → site home → column → item (DESIGN §5)


@register.inclusion_tag("components/main_navigation.html", takes_context=True)
def main_navigation(context, profile, page=None):
    """The first level of the site's column tree (columns marked "show in menus").

    `current` is the entry whose section holds `page`, for `aria-current`.
    """
    home = profile.site.root_page.localized
    columns = list(Page.objects.child_of(home).live().in_menu().order_by("path"))
    current = None
    if isinstance(page, Page) and page.pk == home.pk:
        current = home.pk
    elif isinstance(page, Page) and page.path.startswith(home.path):
        section_path = page.path[: (home.depth + 1) * Page.steplen]
        current = next((column.pk for column in columns if column.path == section_path), None)
    return {
        "request": context.get("request"),
        "home": home,
        "columns": columns,
        "current": current,
        "page": page,
    }


@register.inclusion_tag("components/breadcrumb.html", takes_context=True)
def breadcrumb(context, page):
    """The trail from the site's home page down to `page`; nothing on a home page itself."""
    is_below_a_home = isinstance(page, Page) and page.depth > SITE_HOME_DEPTH
    return {
        "request": context.get("request"),
        "page": page,
        "trail": list(page.get_ancestors().filter(depth__gte=SITE_HOME_DEPTH))
        if is_below_a_home
        else [],
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


@register.simple_tag
def site_title(profile):
    """The site's name in the language being served (the official name in 简体中文)."""
    home = profile.site.root_page.localized
    return profile.name if home.pk == profile.site.root_page_id else home.title


@register.inclusion_tag("components/language_switch.html", takes_context=True)
def language_switch(context, page):
    """Links to this page in every language it is published in; hidden when there is one."""
    if page is None or not hasattr(page, "get_translations"):
        return {"links": []}
    translations = page.get_translations(inclusive=True).live().select_related("locale")
    links = [
        {
            "url": translation.get_url(context.get("request")),
            "language": translation.locale.language_code,
            "label": translation.locale.language_name_local,
            "current": translation.pk == page.pk,
        }
        for translation in translations.order_by("locale__pk")
    ]
    return {"links": links if len(links) > 1 else []}
