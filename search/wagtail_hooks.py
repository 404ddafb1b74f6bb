"""Admin: platform admins keep the synonym list (设置 → 搜索同义词), the best bets (设置 →
置顶推荐) and the hot-search blocks and approvals (设置 → 热门搜索审核); platform and site admins
read the search statistics (报告 → 搜索统计); platform admins see the engines' state (设置 →
搜索引擎状态).

The snippets have no permission granted to any group, so only superusers (platform
admins) see them. The report scopes itself to the user's sites (search.reports).
"""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import BestBet, HotSearchDecision, SynonymGroup
from .reports import SearchReportView, report_sites
from .status_views import SearchStatusMenuItem, SearchStatusView


class SynonymGroupViewSet(SnippetViewSet):
    model = SynonymGroup
    icon = "search"
    menu_label = _("搜索同义词")
    add_to_settings_menu = True
    list_display = ["__str__", "updated_at"]
    search_fields = ["terms"]


class BestBetViewSet(SnippetViewSet):
    model = BestBet
    icon = "pick"
    menu_label = _("置顶推荐")
    menu_name = "best-bets"
    add_to_settings_menu = True
    list_display = [
        "title",
        "terms",
        Column("site", label=_("适用站点"), accessor=lambda bet: bet.site or _("所有站点")),
        "active_until",
        "sort_order",
    ]
    list_filter = ["site"]
    search_fields = ["title", "terms"]
    panels = [
        FieldPanel("terms"),
        FieldPanel("title"),
        FieldPanel("description"),
        MultiFieldPanel(
            [FieldPanel("page"), FieldPanel("external_url")], heading=_("推荐目标（二选一）")
        ),
        FieldPanel("site"),
        FieldRowPanel([FieldPanel("active_from"), FieldPanel("active_until")]),
        FieldPanel("sort_order"),
    ]


class HotSearchDecisionViewSet(SnippetViewSet):
    model = HotSearchDecision
    icon = "pick"
    menu_label = _("热门搜索审核")
    menu_name = "hot-search-decisions"
    add_to_settings_menu = True
    list_display = ["query", "approved", "note", "updated_at"]
    list_filter = ["approved"]
    search_fields = ["query", "note"]


register_snippet(SynonymGroupViewSet)
register_snippet(HotSearchDecisionViewSet)
register_snippet(BestBetViewSet)


class SearchReportMenuItem(MenuItem):
    def is_shown(self, request):
        return report_sites(request.user).exists()


@hooks.register("register_admin_urls")
def register_search_report_url():
    return [
        path("reports/search/", SearchReportView.as_view(), name="search_report"),
        path("search/status/", SearchStatusView.as_view(), name="search_status"),
    ]


@hooks.register("register_settings_menu_item")
def register_search_status_menu_item():
    return SearchStatusMenuItem(
        _("搜索引擎状态"), reverse("search_status"), name="search-status", icon_name="search"
    )


@hooks.register("register_reports_menu_item")
def register_search_report_menu_item():
    return SearchReportMenuItem(
        _("搜索统计"), reverse("search_report"), name="search-report", icon_name="search", order=50
    )
