"""The files crawlers and browsers ask every host for: /sitemap.xml, /robots.txt, /favicon.ico.

Each answers for the site of the request's hostname, so fifty sites need no fifty files. Archived
sites never get here: `ArchivedSiteMiddleware` answers their hostnames with a 301 first.
"""

from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe
from wagtail.contrib.sitemaps import Sitemap
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap
from wagtail.images.models import SourceImageIOError
from wagtail.models import Page, Site

from sites.access import profile_for_request

DEFAULT_FAVICON = "img/favicon.svg"
FAVICON_FILTER = "fill-64x64|format-png"
FAVICON_MAX_AGE = 24 * 60 * 60  # a changed logo shows within a day
ROBOTS_MAX_AGE = 24 * 60 * 60


class SiteSitemap(Sitemap):
    """Wagtail's sitemap of the requesting site, widened to the site's translated trees (the
    portal's English pages under /en/) and narrowed to canonical pages: an alias (信息报送) is
    left out, its source being listed by the source's own site.

    A page's lastmod is the newest date in its subtree: an item's last publication (or its
    publication time when it was imported without a revision), and for a column or home page
    the newest item below it, since that is when its listing last changed. Provisioned pages
    carry no date of their own, so an empty column has no lastmod.
    """

    def items(self):
        return self._pages().order_by("path").defer_streamfields().specific()

    def _pages(self):
        root = self.get_wagtail_site().root_page
        in_some_tree = Q()
        for translated_root in root.get_translations(inclusive=True):
            in_some_tree |= Page.objects.descendant_of_q(translated_root, inclusive=True)
        return Page.objects.filter(in_some_tree, alias_of__isnull=True).live().public()

    def _urls(self, page, protocol, domain):
        newest = self._newest_in_subtrees()
        urls = []
        for item in self.paginator.page(page).object_list:
            for url_info in item.get_sitemap_urls(self.request):
                url_info["lastmod"] = newest.get(item.path)
                urls.append(url_info)
        self.latest_lastmod = max(newest.values(), default=None)
        return urls

    def _newest_in_subtrees(self):
        """tree path → the newest date of that page or of any page below it."""
        dated = self._pages().annotate(
            date=Coalesce("last_published_at", "articlepage__published_at", "first_published_at")
        )
        newest = {}
        for path, date in dated.filter(date__isnull=False).values_list("path", "date"):
            for end in range(Page.steplen, len(path) + 1, Page.steplen):
                ancestor = path[:end]
                if ancestor not in newest or newest[ancestor] < date:
                    newest[ancestor] = date
        return newest


@require_safe
def sitemap_xml(request):
    return wagtail_sitemap(request, {"pages": SiteSitemap})


@require_safe
@cache_control(public=True, max_age=ROBOTS_MAX_AGE)
def robots_txt(request):
    """Crawl everything public, nothing of the admin; point at this site's own sitemap."""
    site = Site.find_for_request(request)
    if site is None:
        raise Http404
    body = render_to_string("robots.txt", {"sitemap_url": site.root_url + reverse("sitemap_xml")})
    return HttpResponse(body, content_type="text/plain; charset=utf-8")


@require_safe
def favicon(request):
    """The site's logo as a 64×64 PNG, or the platform's default mark when it has none.

    A redirect, so the image itself is served (and cached for good) by the media or static
    file server; the redirect is cached for a day, the time a new logo takes to show.
    """
    profile = profile_for_request(request)
    response = HttpResponseRedirect(_logo_favicon_url(profile) or static(DEFAULT_FAVICON))
    patch_cache_control(response, public=True, max_age=FAVICON_MAX_AGE)
    return response


def _logo_favicon_url(profile):
    if profile is None or profile.logo is None:
        return None
    try:
        return profile.logo.get_rendition(FAVICON_FILTER).url
    except SourceImageIOError:  # the original file is gone: the default mark is better than a 500
        return None
