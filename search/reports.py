"""搜索统计: the admin report of what citizens search for (报告 → 搜索统计).

For a site (or, for platform admins, all sites) and the last 7, 30 or 90 days: the totals, the
most searched queries and the queries that found nothing, which tell editors what content is
missing. Platform admins see every site; a site's 站点管理员 sees only the sites they manage;
no other role may open it. The whole period's per-query figures download as CSV.
"""

import csv
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Sum
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from sites.models import SiteProfile, SiteRole

from .models import DailySearchCount

PERIODS = {7: _("最近 7 天"), 30: _("最近 30 天"), 90: _("最近 90 天")}
ROWS_SHOWN = 50
FORMULA_STARTS = ("=", "+", "-", "@")


def report_sites(user):
    """The sites whose statistics `user` may read: all for platform admins, else the sites
    whose 站点管理员 group the user is in (none for editors and reviewers)."""
    if user.is_superuser:
        return SiteProfile.objects.all()
    return SiteProfile.objects.filter(
        site_groups__role=SiteRole.SITE_ADMIN, site_groups__group__user=user
    ).distinct()


class SearchReportForm(forms.Form):
    """Which site and period; platform admins may also leave the site empty for all sites."""

    site = forms.ModelChoiceField(
        label=_("站点"),
        queryset=SiteProfile.objects.none(),
        required=False,
        error_messages={"invalid_choice": _("没有这个站点，或您无权查看它的搜索统计。")},
    )
    days = forms.TypedChoiceField(
        label=_("时间范围"),
        choices=list(PERIODS.items()),
        coerce=int,
        required=False,
        error_messages={"invalid_choice": _("时间范围只能是最近 7 天、30 天或 90 天。")},
    )

    def __init__(self, data, *, user):
        super().__init__(data)
        self.sites = report_sites(user)
        field = self.fields["site"]
        field.queryset = self.sites
        if user.is_superuser:
            field.empty_label = _("全部站点")
        else:
            field.empty_label = None
            field.initial = self.sites.first()

    def report(self):
        """The report asked for by this valid form."""
        site = self.cleaned_data["site"] or self.fields["site"].initial
        sites = [site] if site else self.sites
        return SearchReport.of(sites, self.cleaned_data["days"] or min(PERIODS), site)


@dataclass
class SearchReport:
    site: SiteProfile | None  # None: all sites
    days: int
    searches: int
    zero_results: int
    queries: int
    per_query: object  # {"query", "searches", "zero_results"} rows, most searched first

    @classmethod
    def of(cls, sites, days, site=None):
        since = timezone.localdate() - timedelta(days=days - 1)
        rows = DailySearchCount.objects.filter(site__in=sites, day__gte=since)
        totals = rows.aggregate(
            searches=Sum("searches"),
            zero_results=Sum("zero_results"),
            queries=Count("query", distinct=True),
        )
        per_query = (
            rows.values("query")
            .annotate(total=Sum("searches"), zero=Sum("zero_results"))
            .order_by("-total", "query")
        )
        return cls(
            site=site,
            days=days,
            searches=totals["searches"] or 0,
            zero_results=totals["zero_results"] or 0,
            queries=totals["queries"],
            per_query=per_query,
        )

    @property
    def zero_rate(self):
        """Share of searches that found nothing, in per cent."""
        return round(100 * self.zero_results / self.searches, 1) if self.searches else 0

    def top(self):
        return self.per_query[:ROWS_SHOWN]

    def without_results(self):
        return self.per_query.filter(zero__gt=0).order_by("-zero", "query")[:ROWS_SHOWN]


class SearchReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/admin/search_report.html"
    page_title = _("搜索统计")
    header_icon = "search"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": "", "label": _("报告")},
            {"url": "", "label": self.page_title},
        ]

    def dispatch(self, request, *args, **kwargs):
        if not report_sites(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        form = SearchReportForm(request.GET, user=request.user)
        report = form.report() if form.is_valid() else None
        if report and request.GET.get("format") == "csv":
            return csv_response(report)
        return self.render_to_response(self.get_context_data(form=form, report=report))


def csv_response(report):
    """Every query of the report's period, with a BOM so that Excel reads the Chinese."""
    code = report.site.code if report.site else "all"
    filename = f"search-{code}-{report.days}d-{timezone.localdate():%Y%m%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([_("搜索词"), _("搜索次数"), _("无结果次数")])
    for row in report.per_query:
        writer.writerow([_inert(row["query"]), row["total"], row["zero"]])
    return response


def _inert(text):
    """Citizens typed these words: one that a spreadsheet would read as a formula (=…, +…,
    -…, @…) is quoted so that it stays text."""
    return f"'{text}" if text[:1] in FORMULA_STARTS else text
