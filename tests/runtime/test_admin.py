"""The platform admin's view of the clock, the workers, the queue and the outbox."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from runtime import clock, schedule
from runtime.models import JobState, OutgoingMail, WorkerHeartbeat
from sites.models import SiteRole
from tests.factories import provision, role_users

pytestmark = pytest.mark.django_db


def test_the_status_page_lists_every_job_with_its_last_run(admin_client):
    jobs = schedule.load()
    clock.ensure_states(jobs)
    JobState.objects.filter(name="check_search_index").update(
        result=JobState.Result.FAILED,
        last_error="搜索后端无法连接",
        consecutive_failures=2,
        last_duration=timedelta(seconds=3.2),
        last_started_at=timezone.now(),
    )
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker_id="w-live", started_at=now, seen_at=now, pid=11)
    WorkerHeartbeat.objects.create(
        worker_id="w-silent", started_at=now, seen_at=now - timedelta(minutes=5), pid=12
    )
    html = admin_client.get(reverse("runtime_status")).content.decode()
    for job in jobs:
        assert job.title in html
    assert "失败（连续失败 2 次）" in html
    assert "搜索后端无法连接" in html
    assert "3.2 秒" in html
    assert "每天 03:00" in html
    assert html.count("正常") == 1 and "无响应" in html


def test_without_a_worker_the_page_says_tasks_only_wait(admin_client):
    html = admin_client.get(reverse("runtime_status")).content.decode()
    assert "没有正在运行的后台进程" in html


def test_run_now_makes_the_job_due(admin_client):
    clock.ensure_states(schedule.load())
    JobState.objects.filter(name="prune_audit_log").update(
        next_run_at=timezone.now() + timedelta(hours=5)
    )
    response = admin_client.post(reverse("runtime_run_job", args=["prune_audit_log"]))
    assert response.status_code == 302
    assert JobState.objects.get(name="prune_audit_log").next_run_at <= timezone.now()
    assert admin_client.post(reverse("runtime_run_job", args=["nope"])).status_code == 404


def test_the_outbox_lists_messages_and_filters_by_status(admin_client):
    OutgoingMail.objects.create(
        subject="审核提醒", sender="a@x.cn", recipients=["r@x.cn"], message=b"", status="sent"
    )
    OutgoingMail.objects.create(
        subject="退信",
        sender="a@x.cn",
        recipients=["bad@x.cn"],
        message=b"",
        status="failed",
        error="邮件服务器拒收",
    )
    html = admin_client.get(reverse("runtime_outgoing_mail")).content.decode()
    assert "审核提醒" in html and "退信" in html
    html = admin_client.get(reverse("runtime_outgoing_mail") + "?status=failed").content.decode()
    assert "退信" in html and "审核提醒" not in html


@pytest.mark.parametrize("name", ["runtime_status", "runtime_outgoing_mail"])
def test_site_roles_are_refused(client, name):
    """Wagtail answers PermissionDenied with a redirect to the dashboard and a message."""
    clock.ensure_states(schedule.load())
    before = JobState.objects.get(name="prune_audit_log").next_run_at
    client.force_login(role_users(provision("east"))[SiteRole.SITE_ADMIN])
    assert client.get(reverse(name))["Location"] == reverse("wagtailadmin_home")
    refused = client.post(reverse("runtime_run_job", args=["prune_audit_log"]))
    assert refused["Location"] == reverse("wagtailadmin_home")
    assert JobState.objects.get(name="prune_audit_log").next_run_at == before


def test_the_dashboard_warns_platform_admins_of_a_year_without_holidays(admin_client, client):
    from runtime.models import CalendarYear

    CalendarYear.objects.filter(year__gte=timezone.localdate().year).delete()
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert f"工作日历缺少{timezone.localdate().year}" in html
    assert "暂按周一至周五计算" in html
    client.force_login(role_users(provision("east"))[SiteRole.SITE_ADMIN])
    assert "工作日历缺少" not in client.get(reverse("wagtailadmin_home")).content.decode()
