"""Admin for site-owned things: every listing and object URL is scoped to the user's sites.

`SiteOwnedViewSet` is the one mechanism for anything a site owns (its profile now; letters,
service guides and the like later): the model's manager offers `visible_to(user)`, the index lists
only those rows and every object view answers 404 for any other row, whatever URL is typed.
"""

from django.db.models import Case, Count, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.models import Page
from wagtail.permission_policies import ModelPermissionPolicy

from .models import SiteProfile
from .references import ScopedReferencesFormMixin


class SiteScopedObjectMixin:
    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        if not self.model._default_manager.visible_to(self.request.user).filter(pk=obj.pk).exists():
            raise Http404
        return obj


class SiteScopedIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().visible_to(self.request.user)


class SiteScopedEditView(SiteScopedObjectMixin, generic.EditView):
    pass


class SiteScopedDeleteView(SiteScopedObjectMixin, generic.DeleteView):
    pass


class SiteScopedHistoryView(SiteScopedObjectMixin, generic.HistoryView):
    pass


class SiteScopedUsageView(SiteScopedObjectMixin, generic.UsageView):
    pass


class SiteScopedInspectView(SiteScopedObjectMixin, generic.InspectView):
    pass


class SiteOwnedViewSet(ModelViewSet):
    index_view_class = SiteScopedIndexView
    edit_view_class = SiteScopedEditView
    delete_view_class = SiteScopedDeleteView
    history_view_class = SiteScopedHistoryView
    usage_view_class = SiteScopedUsageView
    inspect_view_class = SiteScopedInspectView
    copy_view_enabled = False


class SiteProfilePermissionPolicy(ModelPermissionPolicy):
    """Sites are archived, never deleted; adding one means provisioning it (superusers only)."""

    def user_has_permission(self, user, action):
        if action == "delete":
            return False
        return super().user_has_permission(user, action)


IDENTITY_PANELS = [
    FieldRowPanel([FieldPanel("name"), FieldPanel("kind", read_only=True)]),
    FieldRowPanel([FieldPanel("sponsor"), FieldPanel("parent")]),
    FieldRowPanel([FieldPanel("site_id_code"), FieldPanel("code", read_only=True)]),
    FieldRowPanel([FieldPanel("icp_number"), FieldPanel("police_number")]),
    FieldPanel("legacy_hosts"),
]
OWNER_PANELS = [
    MultiFieldPanel(
        [FieldPanel("contact_phone"), FieldPanel("contact_email"), FieldPanel("contact_address")],
        heading=_("联系方式"),
    ),
    MultiFieldPanel(
        [FieldPanel("logo"), FieldPanel("accent_colour")], heading=_("品牌（在标准范围内）")
    ),
]


class SiteProfileForm(ScopedReferencesFormMixin, WagtailAdminModelForm):
    """The logo must come from the site's own media collection."""


PLATFORM_ADMIN_EDIT_HANDLER = ObjectList(
    [MultiFieldPanel(IDENTITY_PANELS, heading=_("网站标识")), *OWNER_PANELS],
    base_form_class=SiteProfileForm,
).bind_to_model(SiteProfile)
SITE_ADMIN_EDIT_HANDLER = ObjectList(OWNER_PANELS, base_form_class=SiteProfileForm).bind_to_model(
    SiteProfile
)


class SiteProfileEditView(SiteScopedEditView):
    """Platform admins edit the identity too; a site's own admin only contact and branding."""

    def get_panel(self):
        if self.request.user.is_superuser:
            return PLATFORM_ADMIN_EDIT_HANDLER
        return SITE_ADMIN_EDIT_HANDLER

    def get_form_class(self):
        return self.panel.get_form_class()

    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.request.user.is_superuser and self.object.kind != "portal":
            action, label = (
                ("restore", _("恢复站点"))
                if self.object.is_archived
                else ("archive", _("归档站点"))
            )
            buttons.append(
                Button(
                    label,
                    url=reverse(f"sites_profile:{action}", args=[self.object.pk]),
                    icon_name="archive",
                )
            )
        return buttons


def _in_site(pages):
    return pages.filter(path__startswith=OuterRef("site__root_page__path"))


def _count(queryset):
    return Subquery(
        queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("*")).values("n"),
        output_field=IntegerField(),
    )


class SiteProfileIndexView(SiteScopedIndexView):
    """The portal first, then by kind and code, each with its pages, last edit and reviews."""

    default_ordering = None

    def get_base_queryset(self):
        pages = Page.objects.all()
        return (
            super()
            .get_base_queryset()
            .select_related("site")
            .annotate(
                portal_first=Case(When(kind="portal", then=0), default=1),
                page_count=Coalesce(_count(_in_site(pages)), 0),
                last_edited_at=Subquery(
                    _in_site(pages)
                    .order_by(F("latest_revision_created_at").desc(nulls_last=True))
                    .values("latest_revision_created_at")[:1]
                ),
                pending_reviews=Coalesce(
                    _count(_in_site(pages).filter(_workflow_states__status="in_progress")), 0
                ),
            )
            .order_by("portal_first", "kind", "code")
        )


class SiteProfileViewSet(SiteOwnedViewSet):
    model = SiteProfile
    icon = "site"
    menu_label = _("站点")
    menu_order = 150
    add_to_admin_menu = True
    url_prefix = "cluster"
    index_view_class = SiteProfileIndexView
    edit_view_class = SiteProfileEditView
    list_filter = ["kind", "status"]
    search_fields = ["name", "code", "sponsor", "site_id_code"]
    list_per_page = 60
    list_display = [
        TitleColumn("name", label=_("网站名称"), url_name="sites_profile:edit"),
        Column("code", label=_("站点代码")),
        Column("kind_label", label=_("类型")),
        Column("site_id_code", label=_("网站标识码")),
        Column("hostname", label=_("域名"), accessor=lambda profile: profile.site.hostname),
        Column("page_count", label=_("页面数")),
        DateColumn("last_edited_at", label=_("最近编辑")),
        Column("pending_reviews", label=_("待审核")),
        StatusTagColumn("get_status_display", label=_("状态"), primary=lambda p: not p.is_archived),
    ]
    edit_handler = PLATFORM_ADMIN_EDIT_HANDLER

    @property
    def add_view(self):
        from .admin_views import ProvisionSiteView

        return ProvisionSiteView.as_view()

    def get_urlpatterns(self):
        from .admin_views import ArchiveSiteView, RestoreSiteView

        return [
            *super().get_urlpatterns(),
            path("<int:pk>/archive/", ArchiveSiteView.as_view(), name="archive"),
            path("<int:pk>/restore/", RestoreSiteView.as_view(), name="restore"),
        ]


site_profile_viewset = SiteProfileViewSet("sites_profile")
