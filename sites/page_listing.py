"""The page explorer's filters, scoped: choices name only the user's own sites and colleagues.

Wagtail's explorer already lists only pages a user may explore, but its filter choices (site,
owner, edited by) come from the whole install and would name every department's sites and staff.
"""

from django.contrib.auth import get_user_model
from wagtail.admin.views.pages.listing import GenericPageFilterSet
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.models import Page, Site

from .models import SiteProfile


class SiteScopedPageFilterSet(GenericPageFilterSet):
    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or request.user.is_superuser:
            return
        profiles = SiteProfile.objects.visible_to(request.user)
        self.filters["site"].queryset = Site.objects.filter(profile__in=profiles)
        colleagues = get_user_model().objects.filter(groups__site_group__profile__in=profiles)
        for name in ("owner", "edited_by"):
            everyone = self.filters[name].queryset
            self.filters[name].queryset = lambda request, everyone=everyone: everyone(
                request
            ).filter(pk__in=colleagues)


class SiteScopedPageViewSet(PageViewSet):
    model = Page
    filterset_class = SiteScopedPageFilterSet
