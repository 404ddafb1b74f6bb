from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail import views as wagtail_views
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from home import site_files
from home import views as home_views
from home.page_cache import cached_serve
from sites import admin_overrides

from .views import healthz

handler404 = "home.errors.page_not_found"
handler500 = "home.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", include(admin_overrides)),  # site-scoped versions of Wagtail routes, first
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("archived/<slug:code>/", home_views.archived_site_notice, name="archived_site_notice"),
    path("sitemap/", home_views.site_map, name="site_map"),
    path("sitemap.xml", site_files.sitemap_xml, name="sitemap_xml"),
    path("robots.txt", site_files.robots_txt, name="robots_txt"),
    path("favicon.ico", site_files.favicon, name="favicon"),
    path("preferences/", include("home.preferences")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    # Images only: documents go through Wagtail's serve view, which keeps unpublished ones private.
    for folder in ("original_images", "images"):
        urlpatterns += static(
            f"{settings.MEDIA_URL}{folder}/", document_root=settings.MEDIA_ROOT / folder
        )

# Public pages and the search in every content language: 简体中文 at /, English at /en/. Wagtail's
# own patterns, with its catch-all page view wrapped in the page cache.
urlpatterns += i18n_patterns(
    path("", include("search.urls")),
    *[pattern for pattern in wagtail_urls.urlpatterns if pattern.name != "wagtail_serve"],
    re_path(wagtail_urls.serve_pattern, cached_serve(wagtail_views.serve), name="wagtail_serve"),
    prefix_default_language=False,
)
