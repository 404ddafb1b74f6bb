from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .access import scope_of
from .admin_api import register_scoped_media_endpoints
from .documents import serve_public_documents_only
from .models import SiteProfile, SiteProfileLogEntry
from .page_listing import SiteScopedPageViewSet
from .viewsets import SiteProfilePermissionPolicy, site_profile_viewset

register_permission_policy(SiteProfile, SiteProfilePermissionPolicy(SiteProfile))


@hooks.register("register_admin_viewset")
def register_site_profiles():
    return site_profile_viewset


@hooks.register("register_admin_viewset", order=100)  # after Wagtail's own base page viewset
def register_scoped_page_explorer():
    return SiteScopedPageViewSet()


@hooks.register("register_log_actions")
def register_site_lifecycle_actions(actions):
    actions.register_action("sites.archive", "归档站点", "站点已归档")
    actions.register_action("sites.restore", "恢复站点", "站点已恢复")
    actions.register_model(SiteProfile, SiteProfileLogEntry)


# Isolation (sites.access): what choosers and the admin API offer.
hooks.register("construct_admin_api", register_scoped_media_endpoints, order=100)


@hooks.register("construct_page_chooser_queryset")
def choose_own_or_public_pages(pages, request):
    return scope_of(request.user).listable_pages(pages)


@hooks.register("construct_explorer_page_queryset")
def explore_own_pages(parent_page, pages, request):
    return scope_of(request.user).pages(pages)


@hooks.register("construct_image_chooser_queryset")
@hooks.register("construct_document_chooser_queryset")
def choose_own_media(media, request):
    return scope_of(request.user).media(media)


hooks.register("before_serve_document", serve_public_documents_only)
