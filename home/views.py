from django.http import Http404
from django.shortcuts import get_object_or_404, render
from wagtail.models import Page, get_page_models

from sites.access import profile_for_request
from sites.models import SiteProfile


def archived_site_notice(request, code):
    """The portal's notice for an archived site, where its old URLs lead with a 301."""
    profile = get_object_or_404(SiteProfile, code=code, status=SiteProfile.Status.ARCHIVED)
    return render(
        request,
        "home/archived_site_notice.html",
        {"archived": profile, "old_path": request.GET.get("from", "")},
    )


def site_map(request):
    """网站地图: the column tree of the site answering this request — every page type that
    says it belongs there (`in_site_map`: columns, the policy library, mailboxes)."""
    profile = profile_for_request(request)
    if profile is None:
        raise Http404
    home = profile.site.root_page
    columns = list(
        Page.objects.descendant_of(home)
        .type(*[model for model in get_page_models() if getattr(model, "in_site_map", False)])
        .live()
        .public()
        .order_by("path")
    )
    for column in columns:
        column.level = column.depth - home.depth
    return render(request, "home/site_map.html", {"columns": columns})
