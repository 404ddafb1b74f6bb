"""Admin routes of Wagtail's that list the whole install, replaced by site-scoped versions.

`config/urls.py` includes these before Wagtail's admin, at the same paths, so they answer first.
- Tag autocomplete: Wagtail suggests every tag of the install; here only the tags of the media
  the user sees.
- The image chooser: Wagtail offers the most used tags of the install; here of the user's media.
- 页面类型使用情况 (page types usage): Wagtail counts every site's pages and names the last edited
  page of each type, drafts included; here it reports on one of the user's own sites.
"""

from django.db.models import Count
from django.http import Http404, JsonResponse
from django.urls import path
from django.views.decorators.cache import never_cache
from taggit.models import Tag
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.images.views.chooser import ImageChooseView
from wagtail.images.views.chooser import viewset as image_chooser

from .access import scope_of

TAGS_AUTOCOMPLETE_LIMIT = 10


def tag_autocomplete(request, app_name=None, model_name=None):
    if app_name and (app_name, model_name) != ("taggit", "tag"):
        raise Http404
    term = request.GET.get("term", "")
    tags = scope_of(request.user).restrict(Tag.objects.all()) if term else Tag.objects.none()
    names = tags.filter(name__istartswith=term).order_by("name").values_list("name", flat=True)
    return JsonResponse(list(names[:TAGS_AUTOCOMPLETE_LIMIT]), safe=False)


class SiteScopedImageChooseView(ImageChooseView):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["popular_tags"] = (
            scope_of(self.request.user)
            .tags(self.model)
            .annotate(item_count=Count("taggit_taggeditem_items"))
            .order_by("-item_count")[:TAGS_AUTOCOMPLETE_LIMIT]
        )
        return context


class SiteScopedPageTypesUsageReportView(PageTypesUsageReportView):
    """Counts and last edits of one site: the chosen one if it is the user's, else their first."""

    def get_filterset_kwargs(self):
        kwargs = super().get_filterset_kwargs()
        scope = scope_of(self.request.user)
        if not scope.everything:
            own = [profile.site.root_page.path for profile in scope.sites]
            data = kwargs["data"].copy()
            if data.get("site") not in own:
                data["site"] = own[0] if own else "-"
            kwargs["data"] = data
        return kwargs


def _admin(view):
    return never_cache(require_admin_access(view))


urlpatterns = [
    path(
        "images/chooser/",
        _admin(
            image_chooser.construct_view(
                image_chooser.inject_view_methods(SiteScopedImageChooseView, ["get_object_list"]),
                icon=image_chooser.icon,
                page_title=image_chooser.page_title,
                search_tab_label=image_chooser.search_tab_label,
                creation_tab_label=image_chooser.creation_tab_label,
            )
        ),
        name="image_chooser_choose",
    ),
    path("tag-autocomplete/", _admin(tag_autocomplete), name="wagtailadmin_tag_autocomplete"),
    path(
        "tag-autocomplete/<slug:app_name>/<slug:model_name>/",
        _admin(tag_autocomplete),
        name="wagtailadmin_tag_model_autocomplete",
    ),
    path(
        "reports/page-types-usage/",
        _admin(SiteScopedPageTypesUsageReportView.as_view()),
        name="page_types_usage",
    ),
    path(
        "reports/page-types-usage/results/",
        _admin(SiteScopedPageTypesUsageReportView.as_view(results_only=True)),
        name="page_types_usage_results",
    ),
]
