"""The three-step review: who may publish, who is told, scheduling, and what the log keeps."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, PageLogEntry

from sites.models import SiteRole
from tests.factories import add_article, column, provision, role_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    provision("www", "portal")
    sites = {}
    for code in ("east", "west"):
        profile = provision(code)
        users = role_users(profile)
        for role, user in users.items():
            user.email = f"{code}.{role.value}@example.gov.cn"
            user.save()
        sites[code] = (profile, users)
    return sites


def edit_form(page, **changes):
    return {
        "title": page.title,
        "slug": page.slug,
        "lead": "",
        "source": "",
        "author": "",
        "published_at": timezone.localtime(page.published_at).strftime("%Y-%m-%d %H:%M"),
        "cover_alt": "",
        "body-count": "0",
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "comments-TOTAL_FORMS": "0",
        "comments-INITIAL_FORMS": "0",
        "comments-MIN_NUM_FORMS": "0",
        "comments-MAX_NUM_FORMS": "1000",
        **changes,
    }


def test_an_editor_cannot_publish_directly(client, world):
    profile, users = world["east"]
    draft = add_article(column(profile, "gzdt"), "编辑草稿", live=False)
    client.force_login(users[SiteRole.EDITOR])
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    client.post(url, edit_form(draft, **{"action-publish": "publish"}))
    assert not Page.objects.get(pk=draft.pk).live


def test_submission_notifies_only_this_sites_next_reviewers(client, world):
    profile, users = world["east"]
    draft = add_article(column(profile, "gzdt"), "待审稿件", live=False)
    client.force_login(users[SiteRole.EDITOR])
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = client.post(url, edit_form(draft, **{"action-submit": "submit"}))
    assert response.status_code == 302
    page = Page.objects.get(pk=draft.pk)
    assert page.current_workflow_task.name.startswith("科室初审")
    recipients = {address for message in mail.outbox for address in message.to}
    assert recipients == {"east.first_reviewer@example.gov.cn"}

    mail.outbox.clear()
    client.force_login(users[SiteRole.FIRST_REVIEWER])
    state = page.current_workflow_task_state
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]),
        {"comment": "同意"},
    )
    recipients = {address for message in mail.outbox for address in message.to}
    assert "west.second_reviewer@example.gov.cn" not in recipients
    assert "east.second_reviewer@example.gov.cn" in recipients


def test_approved_item_publishes_at_its_scheduled_time_and_expires(world):
    profile, users = world["east"]
    page = add_article(column(profile, "gzdt"), "定时发布", live=False)
    go_live = timezone.now() + timedelta(seconds=1)
    page.go_live_at = go_live
    revision = page.save_revision(user=users[SiteRole.SITE_ADMIN])
    revision.publish(user=users[SiteRole.SITE_ADMIN])
    assert not Page.objects.get(pk=page.pk).live, "scheduled, not yet live"
    call_command("publish_scheduled")
    assert not Page.objects.get(pk=page.pk).live, "the scheduler waits for its time"

    time.sleep(max(0, (go_live - timezone.now()).total_seconds()) + 0.2)
    call_command("publish_scheduled")
    assert Page.objects.get(pk=page.pk).live

    Page.objects.filter(pk=page.pk).update(expire_at=timezone.now() - timedelta(minutes=1))
    call_command("publish_scheduled")
    expired = Page.objects.get(pk=page.pk)
    assert not expired.live and expired.expired


def test_the_review_is_kept_in_revisions_and_the_audit_log(client, world):
    profile, users = world["east"]
    draft = add_article(column(profile, "gzdt"), "留痕稿件", live=False)
    client.force_login(users[SiteRole.EDITOR])
    client.post(
        reverse("wagtailadmin_pages:edit", args=[draft.pk]),
        edit_form(draft, **{"action-submit": "submit"}),
    )
    for role in (SiteRole.FIRST_REVIEWER, SiteRole.SECOND_REVIEWER, SiteRole.FINAL_REVIEWER):
        page = Page.objects.get(pk=draft.pk)
        client.force_login(users[role])
        state = page.current_workflow_task_state
        client.post(
            reverse("wagtailadmin_pages:workflow_action", args=[page.pk, "approve", state.pk]),
            {"comment": f"{role.label}同意"},
        )
    page = Page.objects.get(pk=draft.pk)
    assert page.live and page.revisions.count() >= 1
    actions = list(
        PageLogEntry.objects.filter(page=page).order_by("timestamp").values_list("action", "user")
    )
    assert ("wagtail.workflow.start", users[SiteRole.EDITOR].pk) in actions
    approvals = [user for action, user in actions if action == "wagtail.workflow.approve"]
    assert approvals == [
        users[SiteRole.FIRST_REVIEWER].pk,
        users[SiteRole.SECOND_REVIEWER].pk,
        users[SiteRole.FINAL_REVIEWER].pk,
    ]
    assert ("wagtail.publish", users[SiteRole.FINAL_REVIEWER].pk) in actions
