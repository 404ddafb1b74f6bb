"""Admin hooks of the shared resource library: its listing, its page actions, its audit entries."""

from django.core.exceptions import PermissionDenied
from django.urls import reverse
from wagtail import hooks
from wagtail.admin.widgets.button import Button
from wagtail.permissions import register_permission_policy

from ..models import Submission
from .permissions import SubmissionPermissionPolicy
from .services import SyndicationError, check_pushable, submitting_site
from .viewsets import submission_viewset

register_permission_policy(Submission, SubmissionPermissionPolicy(Submission))

# (label, URL name, icon, check): a page shows the action when `check(page, user)` passes.
PAGE_ACTIONS = [
    ("报送至门户网站", "syndication:submit", "upload", submitting_site),
    ("推送至各站点", "syndication:push", "resubmit", check_pushable),
]


@hooks.register("register_admin_viewset")
def register_submissions():
    return submission_viewset


@hooks.register("register_page_header_buttons")
def sharing_page_actions(page, user, view_name, next_url=None):
    """报送 on a site's live article for its editors; 推送 on a portal article for platform admins.

    The checks are the services' own, so a page never offers an action the service would refuse.
    """
    for label, url_name, icon, check in PAGE_ACTIONS:
        try:
            check(page, user)
        except (PermissionDenied, SyndicationError):
            continue
        yield Button(label, url=reverse(url_name, args=[page.pk]), icon_name=icon, priority=75)


@hooks.register("register_log_actions")
def register_sharing_log_actions(actions):
    actions.register_action("syndication.submitted", "信息报送", "已报送至门户网站")
    actions.register_action("syndication.accepted", "采用报送", "门户网站已采用")
    actions.register_action("syndication.rejected", "不予采用", "门户网站不予采用")
