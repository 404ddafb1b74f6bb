"""Admin: platform admins see the clock, the workers and the outbox (设置 → 定时任务, 外发邮件),
and keep the working-day calendar (设置 → 放假调休日, 放假安排年份). The snippets have no
permission granted to any group, so only superusers see them."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import workdays
from .models import CalendarDay, CalendarYear
from .views import OutgoingMailView, RunJobNowView, RuntimeStatusView


class PlatformAdminMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


@hooks.register("register_admin_urls")
def register_runtime_urls():
    return [
        path("runtime/", RuntimeStatusView.as_view(), name="runtime_status"),
        path("runtime/jobs/<str:name>/run/", RunJobNowView.as_view(), name="runtime_run_job"),
        path("runtime/mail/", OutgoingMailView.as_view(), name="runtime_outgoing_mail"),
    ]


@hooks.register("register_settings_menu_item")
def register_runtime_menu_item():
    return PlatformAdminMenuItem(
        "定时任务与后台进程", reverse("runtime_status"), name="runtime", icon_name="time", order=900
    )


@hooks.register("register_settings_menu_item")
def register_outgoing_mail_menu_item():
    return PlatformAdminMenuItem(
        "外发邮件",
        reverse("runtime_outgoing_mail"),
        name="outgoing-mail",
        icon_name="mail",
        order=901,
    )


class CalendarDayViewSet(SnippetViewSet):
    model = CalendarDay
    icon = "date"
    menu_label = "放假调休日"
    menu_name = "work-calendar"
    add_to_settings_menu = True
    list_display = ["date", "kind", "name", "source"]
    list_filter = ["kind"]
    search_fields = ["name"]


class CalendarYearViewSet(SnippetViewSet):
    model = CalendarYear
    icon = "date"
    menu_label = "放假安排年份"
    menu_name = "work-calendar-years"
    add_to_settings_menu = True
    list_display = ["year", "source"]


register_snippet(CalendarDayViewSet)
register_snippet(CalendarYearViewSet)


class WorkCalendarWarning(Component):
    """On the platform admin's dashboard while this year (or, from November, next year) has no
    放假安排: working-day deadlines then count Monday to Friday only."""

    template_name = "runtime/work_calendar_warning.html"
    order = 10

    def __init__(self, years):
        self.years = years

    def get_context_data(self, parent_context):
        return {"years": self.years}


@hooks.register("construct_homepage_panels")
def warn_of_missing_calendar_years(request, panels):
    if request.user.is_superuser and (years := workdays.uncovered_years()):
        panels.insert(0, WorkCalendarWarning(years))
