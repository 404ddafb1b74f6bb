"""The 信息报送 listing: a department follows what it sent, the portal works through what arrived.

A site-owned viewset (sites.viewsets), so every row and object URL is limited to
`Submission.objects.visible_to(user)`. There is no add, edit or delete screen (see
`SubmissionPermissionPolicy`): an item is submitted from its page's actions and decided on the
submission's own screen.
"""

from datetime import datetime

from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import StatusTagColumn
from wagtail.admin.widgets.button import Button, HeaderButton

from sites.viewsets import SiteOwnedViewSet, SiteScopedIndexView, SiteScopedInspectView

from ..models import Submission
from .permissions import can_review
from .views import AcceptView, PushView, RejectView, SubmitView, shown_time


class SubmissionIndexView(SiteScopedIndexView):
    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .select_related("source", "source_site", "target_column", "target_site")
        )


class SubmissionInspectView(SiteScopedInspectView):
    """One submission, with 采用 / 不予采用 for the portal's reviewers while it is pending."""

    @cached_property
    def header_buttons(self):
        submission = self.object
        if submission.status != Submission.Status.PENDING or not can_review(
            self.request.user, submission.target_site
        ):
            return []
        return [
            HeaderButton(_("采用"), url=self.action_url("accept"), icon_name="check"),
            HeaderButton(_("不予采用"), url=self.action_url("reject"), icon_name="cross"),
        ]

    @cached_property
    def header_more_buttons(self):
        links = [(_("查看原文"), self.object.source), (_("查看门户网站页面"), self.object.alias)]
        return [
            Button(label, url=page.get_full_url(self.request), icon_name="link-external")
            for label, page in links
            if page is not None and page.live
        ]

    def get_field_display_value(self, field_name, field):
        # Wagtail shows undecided fields as "None" and times in UTC; show them as the public
        # pages do.
        value = super().get_field_display_value(field_name, field)
        if value is None:
            return "—"
        if isinstance(value, datetime):
            return shown_time(value)
        return value

    def action_url(self, name):
        return reverse(f"syndication:{name}", args=[self.object.pk])


class SubmissionViewSet(SiteOwnedViewSet):
    model = Submission
    icon = "upload"
    menu_label = _("信息报送")
    menu_order = 160
    add_to_admin_menu = True
    url_prefix = "syndication"
    index_view_class = SubmissionIndexView
    inspect_view_class = SubmissionInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "source",
        "source_site",
        "target_column",
        "submitted_by",
        "submitted_at",
        "status",
        "reason",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status"]
    list_display = [
        "source",
        "source_site",
        "target_column",
        StatusTagColumn(
            "get_status_display",
            label=_("状态"),
            primary=lambda submission: submission.status != Submission.Status.REJECTED,
        ),
        "reason",
        "submitted_at",
    ]

    def get_permissions_to_register(self):
        # Access follows site membership (SubmissionPermissionPolicy), not Django permissions,
        # so offering them in the group editor would only mislead.
        return Permission.objects.none()

    def get_urlpatterns(self):
        # Listing and inspecting only: the generic add, edit and delete views would bypass the
        # sharing rules (and the policy refuses them anyway), so they get no URL at all.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("inspect/<int:pk>/", self.inspect_view, name="inspect"),
            path("submit/<int:page_id>/", SubmitView.as_view(), name="submit"),
            path("push/<int:page_id>/", PushView.as_view(), name="push"),
            path("<int:pk>/accept/", AcceptView.as_view(), name="accept"),
            path("<int:pk>/reject/", RejectView.as_view(), name="reject"),
        ]


submission_viewset = SubmissionViewSet("syndication")
