"""Admin: the staff workbench (信件办理, /admin/letters/) in the main menu of everyone who holds a
mail role or is a 站点管理员; 办理时限 and 承办单位 in the settings menu of platform admins only (no
group holds a permission on them, so `sites.access` treats them as platform-only)."""

from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from .admin_views import (
    AttachmentView,
    LetterActView,
    LetterDetailView,
    LetterIndexView,
    PublicationReviewView,
    is_mail_staff,
)
from .snippets import DeadlinePolicyViewSet, HandlingUnitViewSet

workbench_urls = [
    path("", LetterIndexView.as_view(), name="index"),
    path("results/", LetterIndexView.as_view(results_only=True), name="index_results"),
    path("<int:pk>/", LetterDetailView.as_view(), name="detail"),
    path("<int:pk>/act/<str:transition>/", LetterActView.as_view(), name="act"),
    path("<int:pk>/publish/", PublicationReviewView.as_view(), name="publish"),
    path("<int:pk>/attachments/<int:attachment_id>/", AttachmentView.as_view(), name="attachment"),
]


@hooks.register("register_admin_urls")
def register_workbench_urls():
    return [path("letters/", include((workbench_urls, "letters"), namespace="letters"))]


class WorkbenchMenuItem(MenuItem):
    def is_shown(self, request):
        return is_mail_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_workbench_menu_item():
    return WorkbenchMenuItem(
        "信件办理", reverse("letters:index"), name="letters", icon_name="mail", order=250
    )


register_snippet(DeadlinePolicyViewSet)
register_snippet(HandlingUnitViewSet)
