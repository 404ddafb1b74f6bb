from wagtail import hooks
from wagtail.permissions import register_permission_policy

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
