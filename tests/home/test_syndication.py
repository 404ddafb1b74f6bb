"""Shared resource library (信息报送) and pushed notices: content shared by reference.

A department submits a live article to a portal column; the portal's 站点管理员 or 终审 accepts
it, and a Wagtail alias appears in that column, naming its source and pointing its canonical
link at the original, or rejects it with a reason the department reads. A platform admin pushes a
portal notice to the same column of many sites at once.

The world is the portal, two department sites and a topic site (which has no 通知公告 column), so
anything leaking from one site to another, and every skipped site, shows up.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse
from wagtail.models import Page
from wagtail.rich_text import RichText

from home.models import ArticlePage, PolicyDocumentPage, Submission
from home.syndication.services import SyndicationError, accept, push, reject, submit
from sites.models import SiteRole
from tests.conftest import module_world
from tests.factories import UserFactory, add_article, column, provision, role_users

REVIEWERS = [SiteRole.SITE_ADMIN, SiteRole.FINAL_REVIEWER]
NON_REVIEWERS = [SiteRole.EDITOR, SiteRole.FIRST_REVIEWER, SiteRole.SECOND_REVIEWER]


@dataclass
class World:
    portal: object
    edu: object
    env: object
    topic: object
    users: dict
    platform: object


def _build():
    sites = {
        "portal": provision("www", "portal"),
        "edu": provision("edu"),
        "env": provision("env"),
        "topic": provision("zt", "topic"),
    }
    users = {name: role_users(sites[name]) for name in ("portal", "edu", "env")}
    platform = UserFactory(username="platform_admin", is_superuser=True)
    return World(**sites, users=users, platform=platform)


world = module_world(_build)


# --- Helpers --------------------------------------------------------------------------------


def article(profile, title, column_slug="gzdt", **fields):
    return add_article(
        column(profile, column_slug),
        title,
        lead=f"{title}摘要",
        body=[("paragraph", RichText(f"<p>{title}正文</p>"))],
        **fields,
    )


def public_get(client, profile, path):
    return client.get(path, HTTP_HOST=profile.site.hostname)


def page_path(page):
    return page.get_url_parts()[2]


def url(name, obj):
    return reverse(f"syndication:{name}", args=[obj.pk])


def submitted(world, title="教育局报送文章"):
    """A pending submission of a fresh edu article to the portal's 要闻动态."""
    source = article(world.edu, title)
    editor = world.users["edu"][SiteRole.EDITOR]
    return submit(source, column(world.portal, "yw"), editor)


def refresh(submission):
    return Submission.objects.get(pk=submission.pk)


def assert_refused(response):
    """Refused the way Wagtail's admin refuses: 403/404, or a redirect to the dashboard."""
    if response.status_code in (403, 404):
        return
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("wagtailadmin_home")


# --- The whole sharing flow -----------------------------------------------------------------


@pytest.mark.django_db
def test_submitted_article_is_shared_by_reference(client, world):
    source = article(world.edu, "教育局年度工作会议召开")
    portal_column = column(world.portal, "yw")

    client.force_login(world.users["edu"][SiteRole.EDITOR])
    response = client.post(url("submit", source), {"target_column": portal_column.pk})
    assert response.status_code == 302
    submission = Submission.objects.get(source=source)
    assert submission.status == Submission.Status.PENDING
    assert (submission.source_site, submission.target_site) == (world.edu, world.portal)
    assert submission.target_column.pk == portal_column.pk

    client.force_login(world.users["portal"][SiteRole.FINAL_REVIEWER])
    assert client.get(url("accept", submission)).status_code == 200
    assert client.post(url("accept", submission), {"reason": ""}).status_code == 302
    submission = refresh(submission)
    assert submission.status == Submission.Status.ACCEPTED
    alias = ArticlePage.objects.get(pk=submission.alias_id)
    assert alias.alias_of_id == source.pk
    assert alias.get_parent().pk == portal_column.pk

    listing = public_get(client, world.portal, page_path(portal_column)).content.decode()
    assert "教育局年度工作会议召开" in listing
    assert page_path(alias) in listing
    shown = public_get(client, world.portal, page_path(alias))
    assert shown.status_code == 200
    html = shown.content.decode()
    source_url = source.get_full_url()
    assert source_url.startswith(f"http://{world.edu.site.hostname}/")
    assert f'<link rel="canonical" href="{source_url}">' in html
    assert f'来源：<a href="{source_url}">{world.edu.name}</a>' in html

    source.title = "教育局年度工作会议召开（更新）"
    source.body = [("paragraph", RichText("<p>会议部署了新学期的重点工作。</p>"))]
    source.save_revision(user=world.users["edu"][SiteRole.EDITOR]).publish()
    html = public_get(client, world.portal, page_path(alias)).content.decode()
    assert "教育局年度工作会议召开（更新）" in html
    assert "会议部署了新学期的重点工作。" in html

    client.force_login(world.users["edu"][SiteRole.SITE_ADMIN])
    unpublish = reverse("wagtailadmin_pages:unpublish", args=[source.pk])
    assert client.post(unpublish, {}).status_code == 302
    assert public_get(client, world.portal, page_path(alias)).status_code == 404
    listing = public_get(client, world.portal, page_path(portal_column)).content.decode()
    assert "教育局年度工作会议召开" not in listing


@pytest.mark.django_db
def test_source_page_offers_submission_to_its_editors_only(client, world):
    live = article(world.edu, "可报送文章")
    draft = article(world.edu, "草稿文章", live=False)
    portal_article = article(world.portal, "门户要闻", column_slug="yw")

    def offers(user, page):
        client.force_login(user)
        html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content.decode()
        return url("submit", page) in html

    assert offers(world.users["edu"][SiteRole.EDITOR], live)
    assert offers(world.users["edu"][SiteRole.SITE_ADMIN], live)
    assert not offers(world.users["edu"][SiteRole.EDITOR], draft)
    assert not offers(world.users["portal"][SiteRole.EDITOR], portal_article)
    client.force_login(world.users["env"][SiteRole.EDITOR])
    assert_refused(client.get(url("submit", live)))


@pytest.mark.django_db
def test_submission_targets_only_portal_columns_without_subcolumns(client, world):
    client.force_login(world.users["edu"][SiteRole.EDITOR])
    form = client.get(url("submit", article(world.edu, "选择栏目"))).context["form"]
    offered = set(form.fields["target_column"].queryset.values_list("url_path", flat=True))
    assert {"/www/yw/", "/www/tzgg/", "/www/zfxxgk/fdzdgknr/zcwj/"} <= offered
    assert "/www/zfxxgk/" not in offered, "a column with sub-columns takes no items"
    assert all(path.startswith("/www/") for path in offered), "only portal columns"


@pytest.mark.django_db
def test_duplicate_submission_is_refused(client, world):
    submission = submitted(world)
    client.force_login(world.users["edu"][SiteRole.EDITOR])
    response = client.post(
        url("submit", submission.source), {"target_column": column(world.portal, "yw").pk}
    )
    assert response.status_code == 200
    assert "不能重复报送" in response.content.decode()
    assert Submission.objects.filter(source=submission.source).count() == 1


@pytest.mark.django_db
def test_only_live_original_articles_can_be_submitted(world):
    editor = world.users["edu"][SiteRole.EDITOR]
    yw = column(world.portal, "yw")
    draft = article(world.edu, "未发布文章", live=False)
    with pytest.raises(SyndicationError, match="已发布"):
        submit(draft, yw, editor)
    policy = column(world.edu, "zfxxgk/fdzdgknr/zcwj").add_child(
        instance=PolicyDocumentPage(
            title="政策文件", written_date=date(2025, 3, 1), topic="综合政务", live=True
        )
    )
    with pytest.raises(SyndicationError, match="政策文件库"):
        submit(policy, yw, editor)
    notice = article(world.portal, "门户通知", column_slug="tzgg")
    push(notice, [world.edu], "tzgg", world.platform)
    pushed_copy = Page.objects.get(alias_of=notice)
    with pytest.raises(SyndicationError, match="请共享原文"):
        submit(pushed_copy, yw, editor)
    assert not Submission.objects.exists()


@pytest.mark.django_db
def test_same_slug_from_two_sites_gets_two_portal_pages(world):
    reviewer = world.users["portal"][SiteRole.FINAL_REVIEWER]
    yw = column(world.portal, "yw")
    aliases = []
    for profile in (world.edu, world.env):
        source = article(profile, "关于开展安全生产大检查的通知")
        submission = submit(source, yw, world.users[profile.code][SiteRole.EDITOR])
        aliases.append(accept(submission, reviewer).alias)
    assert aliases[0].slug != aliases[1].slug
    assert aliases[1].slug == f"{aliases[0].slug}-2"


@pytest.mark.django_db
def test_deleting_the_source_takes_the_portal_page_offline(client, world):
    submission = submitted(world, "将被删除的文章")
    alias = accept(submission, world.users["portal"][SiteRole.SITE_ADMIN]).alias
    path = page_path(alias)
    assert public_get(client, world.portal, path).status_code == 200
    submission.source.delete()
    assert public_get(client, world.portal, path).status_code == 404


# --- Review ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_rejection_reason_is_shown_to_the_submitting_site(client, world):
    submission = submitted(world, "被退回的文章")
    client.force_login(world.users["portal"][SiteRole.SITE_ADMIN])
    response = client.post(url("reject", submission), {"reason": "内容与要闻栏目定位不符"})
    assert response.status_code == 302
    submission = refresh(submission)
    assert submission.status == Submission.Status.REJECTED
    assert submission.alias_id is None
    assert not Page.objects.filter(alias_of=submission.source).exists()

    client.force_login(world.users["edu"][SiteRole.EDITOR])
    listing = client.get(reverse("syndication:index")).content.decode()
    assert "被退回的文章" in listing
    assert "未采用" in listing
    assert "内容与要闻栏目定位不符" in listing
    detail = client.get(url("inspect", submission)).content.decode()
    assert "内容与要闻栏目定位不符" in detail
    assert url("accept", submission) not in detail, "the department does not decide"


@pytest.mark.django_db
@pytest.mark.parametrize("reason", ["", "   "])
def test_rejection_requires_a_reason(client, world, reason):
    submission = submitted(world)
    client.force_login(world.users["portal"][SiteRole.FINAL_REVIEWER])
    response = client.post(url("reject", submission), {"reason": reason})
    assert response.status_code == 200
    assert response.context["form"].errors["reason"]
    assert refresh(submission).status == Submission.Status.PENDING
    with pytest.raises(SyndicationError, match="理由"):
        reject(submission, world.users["portal"][SiteRole.FINAL_REVIEWER], reason)


@pytest.mark.django_db
@pytest.mark.parametrize("role", REVIEWERS, ids=lambda role: role.value)
def test_portal_reviewers_see_and_decide(client, world, role):
    """Positive control for the refusals below: the portal's 站点管理员 and 终审 decide."""
    submission = submitted(world, "待门户审核文章")
    client.force_login(world.users["portal"][role])
    assert "待门户审核文章" in client.get(reverse("syndication:index")).content.decode()
    assert url("accept", submission) in client.get(url("inspect", submission)).content.decode()
    assert client.post(url("accept", submission), {"reason": "采用"}).status_code == 302
    assert refresh(submission).status == Submission.Status.ACCEPTED


@pytest.mark.django_db
@pytest.mark.parametrize("role", NON_REVIEWERS, ids=lambda role: role.value)
def test_other_portal_roles_see_but_cannot_decide(client, world, role):
    submission = submitted(world, "门户编辑可见文章")
    client.force_login(world.users["portal"][role])
    assert "门户编辑可见文章" in client.get(reverse("syndication:index")).content.decode()
    assert url("accept", submission) not in client.get(url("inspect", submission)).content.decode()
    for action in ("accept", "reject"):
        assert_refused(client.get(url(action, submission)))
        assert_refused(client.post(url(action, submission), {"reason": "越权"}))
    assert refresh(submission).status == Submission.Status.PENDING


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(SiteRole), ids=lambda role: role.value)
def test_other_department_neither_sees_nor_decides(client, world, role):
    submission = submitted(world, "教育局内部报送")
    client.force_login(world.users["env"][role])
    listing = client.get(reverse("syndication:index"))
    assert listing.status_code == 200
    assert "教育局内部报送" not in listing.content.decode()
    assert client.get(url("inspect", submission)).status_code == 404
    for action in ("accept", "reject"):
        assert_refused(client.get(url(action, submission)))
        assert_refused(client.post(url(action, submission), {"reason": "越权"}))
    assert refresh(submission).status == Submission.Status.PENDING


@pytest.mark.django_db
def test_submitting_site_cannot_accept_its_own_submission(client, world):
    submission = submitted(world)
    client.force_login(world.users["edu"][SiteRole.SITE_ADMIN])
    assert_refused(client.post(url("accept", submission), {}))
    assert refresh(submission).status == Submission.Status.PENDING


@pytest.mark.django_db
def test_decided_submission_cannot_be_decided_again(client, world):
    submission = submitted(world)
    client.force_login(world.users["portal"][SiteRole.FINAL_REVIEWER])
    client.post(url("accept", submission), {})
    response = client.post(url("reject", submission), {"reason": "改变主意"}, follow=True)
    assert "不能再次审核" in response.content.decode()
    assert refresh(submission).status == Submission.Status.ACCEPTED
    assert Page.objects.filter(alias_of=submission.source).count() == 1


# --- Pushing a portal notice to many sites --------------------------------------------------


@pytest.mark.django_db
def test_platform_admin_pushes_a_notice_to_many_sites(client, world):
    notice = article(world.portal, "关于做好节假日值班工作的通知", column_slug="tzgg")
    client.force_login(world.platform)
    form = client.get(url("push", notice)).context["form"]
    assert form.initial["column_path"] == "tzgg"
    offered = set(form.fields["sites"].queryset)
    assert offered == {world.edu, world.env, world.topic}, "every active site but the portal"

    chosen = {"sites": [world.edu.pk, world.env.pk, world.topic.pk], "column_path": "tzgg"}
    response = client.post(url("push", notice), chosen, follow=True)
    message = response.content.decode()
    assert "已推送至 2 个站点" in message
    assert f"跳过 1 个没有「tzgg」栏目的站点：{world.topic.name}" in message
    for profile in (world.edu, world.env):
        alias = ArticlePage.objects.child_of(column(profile, "tzgg")).get(alias_of=notice)
        listing = public_get(client, profile, page_path(column(profile, "tzgg"))).content.decode()
        assert "关于做好节假日值班工作的通知" in listing
        html = public_get(client, profile, page_path(alias)).content.decode()
        assert f'<link rel="canonical" href="{notice.get_full_url()}">' in html
        assert f'来源：<a href="{notice.get_full_url()}">{world.portal.name}</a>' in html

    again = client.post(url("push", notice), chosen, follow=True).content.decode()
    assert "已推送至 0 个站点" in again
    assert "跳过 2 个已有该文章的站点" in again
    assert Page.objects.filter(alias_of=notice).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "user",
    [("portal", SiteRole.SITE_ADMIN), ("portal", SiteRole.EDITOR), ("edu", SiteRole.SITE_ADMIN)],
    ids=lambda user: f"{user[0]}:{user[1].value}",
)
def test_only_platform_admins_push(client, world, user):
    notice = article(world.portal, "仅平台管理员可推送的通知", column_slug="tzgg")
    client.force_login(world.users[user[0]][user[1]])
    assert_refused(client.get(url("push", notice)))
    assert_refused(
        client.post(url("push", notice), {"sites": [world.edu.pk], "column_path": "tzgg"})
    )
    assert not Page.objects.filter(alias_of=notice).exists()
    if user[0] == "portal":
        edit = client.get(reverse("wagtailadmin_pages:edit", args=[notice.pk])).content.decode()
        assert url("push", notice) not in edit


@pytest.mark.django_db
def test_push_offered_on_portal_articles_to_platform_admins(client, world):
    notice = article(world.portal, "门户通知", column_slug="tzgg")
    department_article = article(world.edu, "部门文章")
    client.force_login(world.platform)
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[notice.pk])).content.decode()
    assert url("push", notice) in edit
    assert url("submit", notice) not in edit
    edit = client.get(reverse("wagtailadmin_pages:edit", args=[department_article.pk]))
    assert url("push", department_article) not in edit.content.decode()
