"""Platform-admin screens of the runtime: the clock's jobs, the workers and queue, the outbox."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.http import Http404
from django.shortcuts import redirect
from django.utils import timezone
from django.views import View
from django.views.generic import ListView, TemplateView
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import schedule
from .models import JobState, OutgoingMail, WorkerHeartbeat
from .worker import SILENT_AFTER


class PlatformAdminRequiredMixin:
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RuntimeStatusView(PlatformAdminRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "runtime/status.html"
    page_title = "定时任务与后台进程"
    header_icon = "time"

    def get_context_data(self, **kwargs):
        now = timezone.now()
        states = JobState.objects.in_bulk()
        jobs = [(job, states.get(job.name)) for job in schedule.load()]
        by_status = dict(
            DBTaskResult.objects.values_list("status").annotate(Count("pk")).order_by()
        )
        oldest_ready = DBTaskResult.objects.ready().aggregate(Min("enqueued_at"))
        return super().get_context_data(
            jobs=jobs,
            workers=WorkerHeartbeat.objects.order_by("started_at"),
            silent_before=now - SILENT_AFTER,
            queue={
                "ready": by_status.get(TaskResultStatus.READY, 0),
                "running": by_status.get(TaskResultStatus.RUNNING, 0),
                "failed": by_status.get(TaskResultStatus.FAILED, 0),
                "oldest_ready": oldest_ready["enqueued_at__min"],
            },
            **kwargs,
        )


class RunJobNowView(PlatformAdminRequiredMixin, View):
    """Make a job due now; the scheduler hands it to the worker at its next look."""

    http_method_names = ["post"]

    def post(self, request, name):
        try:
            job = schedule.job_named(name)
        except schedule.ScheduleError:
            raise Http404 from None
        JobState.objects.filter(name=name).update(next_run_at=timezone.now())
        messages.success(request, f"「{job.title}」将在调度器下次检查时运行。")
        return redirect("runtime_status")


class OutgoingMailView(PlatformAdminRequiredMixin, WagtailAdminTemplateMixin, ListView):
    template_name = "runtime/outgoing_mail.html"
    page_title = "外发邮件"
    header_icon = "mail"
    paginate_by = 50

    def get_queryset(self):
        mails = OutgoingMail.objects.defer("message")
        status = self.request.GET.get("status")
        if status in OutgoingMail.Status.values:
            mails = mails.filter(status=status)
        return mails

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            statuses=OutgoingMail.Status.choices,
            current_status=self.request.GET.get("status", ""),
            **kwargs,
        )
