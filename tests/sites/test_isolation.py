"""Permission isolation between sites (统一安全防护 / 一分散).

Every role of site A against every admin action on site B's objects, and the reverse, reached by
typing the URL directly and through the admin listings and choosers: never a 200, never a leak.
Positive controls show the same URLs work for the owning site, so a broken URL cannot pass.

Wagtail's admin answers a refused action in one of three ways, all of which render nothing of
the object: 403/404, or (for ordinary page requests) a redirect to the dashboard with its
"no permission" message, or, in the explorer, a redirect to the user's own explorable root.
`assert_denied` accepts exactly these and follows the redirect to prove nothing leaks there.
"""

from dataclasses import dataclass

import pytest
from django.urls import reverse
from wagtail.models import Page

from sites.models import SiteRole
from tests.conftest import module_world
from tests.factories import (
    UserFactory,
    add_article,
    add_document,
    add_image,
    column,
    provision,
    role_users,
)

SITES = ("east", "west")


@dataclass
class SiteWorld:
    profile: object
    users: dict
    column: object
    article: object
    draft: object
    image: object
    document: object
    task_state: object


def _build_site(code):
    profile = provision(code)
    users = role_users(profile)
    news = column(profile, "gzdt")
    article = add_article(news, f"{code}-已发布文章-标题")
    draft = add_article(news, f"{code}-待审稿件-标题", live=False)
    draft.save_revision(user=users[SiteRole.EDITOR], log_action=True)
    workflow = draft.get_workflow()
    workflow_state = workflow.start(draft, users[SiteRole.EDITOR])
    return SiteWorld(
        profile=profile,
        users=users,
        column=news,
        article=article,
        draft=draft,
        image=add_image(profile, f"{code}-图片-标题"),
        document=add_document(profile, f"{code}-文件-标题"),
        task_state=workflow_state.current_task_state,
    )


def _build():
    provision("www", "portal")
    world = {code: _build_site(code) for code in SITES}
    world["platform"] = UserFactory(username="platform_admin", is_superuser=True)
    return world


world = module_world(_build)


def _page_urls(site):
    article, draft = site.article, site.draft
    return {
        "explore": reverse("wagtailadmin_explore", args=[site.column.pk]),
        "edit": reverse("wagtailadmin_pages:edit", args=[article.pk]),
        "view_draft": reverse("wagtailadmin_pages:view_draft", args=[draft.pk]),
        "preview": reverse("wagtailadmin_pages:preview_on_edit", args=[article.pk]),
        "history": reverse("wagtailadmin_pages:history", args=[article.pk]),
        "add_child": reverse(
            "wagtailadmin_pages:add", args=["home", "articlepage", site.column.pk]
        ),
        "copy": reverse("wagtailadmin_pages:copy", args=[article.pk]),
        "move": reverse("wagtailadmin_pages:move", args=[article.pk]),
        "delete": reverse("wagtailadmin_pages:delete", args=[article.pk]),
        "unpublish": reverse("wagtailadmin_pages:unpublish", args=[article.pk]),
        "approve": reverse(
            "wagtailadmin_pages:workflow_action",
            args=[draft.pk, "approve", site.task_state.pk],
        ),
        "image_edit": reverse("wagtailimages:edit", args=[site.image.pk]),
        "document_edit": reverse("wagtaildocs:edit", args=[site.document.pk]),
        "profile_edit": reverse("sites_profile:edit", args=[site.profile.pk]),
        "profile_history": reverse("sites_profile:history", args=[site.profile.pk]),
    }


ACTIONS = [
    "explore",
    "edit",
    "view_draft",
    "preview",
    "history",
    "add_child",
    "copy",
    "move",
    "delete",
    "unpublish",
    "approve",
    "image_edit",
    "document_edit",
    "profile_edit",
    "profile_history",
]
POST_ACTIONS = {"approve", "delete", "unpublish", "move", "copy"}
ROLES = list(SiteRole)
DIRECTIONS = [("east", "west"), ("west", "east")]


def _request(client, action, url):
    if action in POST_ACTIONS:
        return client.post(url, {})
    return client.get(url)


def assert_denied(client, response, own, other, description):
    if response.status_code in (403, 404):
        return
    allowed_targets = {
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore", args=[own.profile.home_page.pk]),
    }
    assert response.status_code == 302 and response.url in allowed_targets, (
        f"{description} answered {response.status_code} {getattr(response, 'url', '')}"
    )
    landing = client.get(response.url).content.decode()
    for title in _titles(other):
        assert title not in landing, f"{description} leaked {title!r} after redirect"


def _titles(site):
    return [site.article.title, site.draft.title, site.image.title, site.document.title]


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value)
@pytest.mark.parametrize("own,other", DIRECTIONS, ids=["east->west", "west->east"])
def test_role_cannot_act_on_other_site_by_url(client, world, own, other, role, action):
    client.force_login(world[own].users[role])
    url = _page_urls(world[other])[action]
    response = _request(client, action, url)
    assert_denied(client, response, world[own], world[other], f"{own}:{role.label} {action} {url}")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "action", ["explore", "edit", "history", "add_child", "image_edit", "document_edit"]
)
@pytest.mark.parametrize("own", SITES)
def test_editor_reaches_own_site_by_url(client, world, own, action):
    """Positive control: the same URLs answer 200 for the owning site's editor."""
    client.force_login(world[own].users[SiteRole.EDITOR])
    assert client.get(_page_urls(world[own])[action]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("own", SITES)
def test_site_admin_edits_own_profile(client, world, own):
    client.force_login(world[own].users[SiteRole.SITE_ADMIN])
    assert client.get(_page_urls(world[own])["profile_edit"]).status_code == 200


LISTINGS = {
    "explorer_root": lambda site: reverse("wagtailadmin_explore_root"),
    "page_search": lambda site: reverse("wagtailadmin_pages:search") + "?q=标题",
    "page_chooser": lambda site: reverse("wagtailadmin_choose_page") + "?q=标题",
    "images": lambda site: reverse("wagtailimages:index"),
    "image_chooser": lambda site: reverse("wagtailimages_chooser:choose"),
    "documents": lambda site: reverse("wagtaildocs:index"),
    "document_chooser": lambda site: reverse("wagtaildocs_chooser:choose"),
    "site_profiles": lambda site: reverse("sites_profile:index"),
    "workflow_tasks": lambda site: reverse("wagtailadmin_home"),
    "site_history": lambda site: reverse("wagtailadmin_reports:site_history"),
    "aging_pages": lambda site: reverse("wagtailadmin_reports:aging_pages"),
    "locked_pages": lambda site: reverse("wagtailadmin_reports:locked_pages"),
    "workflow_report": lambda site: reverse("wagtailadmin_reports:workflow"),
    "workflow_tasks_report": lambda site: reverse("wagtailadmin_reports:workflow_tasks"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("listing", LISTINGS)
@pytest.mark.parametrize("role", ROLES, ids=lambda role: role.value)
@pytest.mark.parametrize("own,other", DIRECTIONS, ids=["east->west", "west->east"])
def test_listings_never_show_other_site(client, world, own, other, role, listing):
    client.force_login(world[own].users[role])
    response = client.get(LISTINGS[listing](world[own]), follow=True)
    assert response.status_code in (200, 403, 404)
    html = response.content.decode()
    for title in _titles(world[other]):
        assert title not in html, f"{own}:{role.label} sees {title!r} in {listing}"
    if listing in ("site_profiles", "explorer_root"):
        assert world[other].profile.name not in html
    if listing == "explorer_root":
        assert f"{other}_{SiteRole.EDITOR.value}" not in html, "filter names other site staff"


@pytest.mark.django_db
@pytest.mark.parametrize("own", SITES)
def test_own_items_are_listed(client, world, own):
    """Positive control for the listings: the owning editor sees its own media and pages."""
    client.force_login(world[own].users[SiteRole.EDITOR])
    assert world[own].image.title in client.get(reverse("wagtailimages:index")).content.decode()
    assert world[own].document.title in client.get(reverse("wagtaildocs:index")).content.decode()
    explore = client.get(reverse("wagtailadmin_explore", args=[world[own].column.pk]))
    assert world[own].article.title in explore.content.decode()
    filters = client.get(reverse("wagtailadmin_explore_root"), follow=True).content.decode()
    assert world[own].profile.name in filters, "own site offered in the site filter"
    assert f"{own}_{SiteRole.EDITOR.value}" in filters, "own editor offered in 'edited by'"


@pytest.mark.django_db
def test_three_approvals_of_own_site_publish(client, world):
    """The three-step review publishes only after 初审, 复审 and 终审 of the same site."""
    site = world["east"]
    for role in [SiteRole.FIRST_REVIEWER, SiteRole.SECOND_REVIEWER, SiteRole.FINAL_REVIEWER]:
        draft = Page.objects.get(pk=site.draft.pk)
        assert not draft.live
        client.force_login(site.users[role])
        state = draft.current_workflow_task_state
        url = reverse("wagtailadmin_pages:workflow_action", args=[draft.pk, "approve", state.pk])
        assert client.post(url, {"comment": ""}).status_code == 302
    draft = Page.objects.get(pk=site.draft.pk)
    assert draft.current_workflow_state is None
    assert draft.live


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["edit", "image_edit", "document_edit", "profile_edit"])
@pytest.mark.parametrize("site", SITES)
def test_platform_admin_reaches_everything(client, world, site, action):
    client.force_login(world["platform"])
    assert client.get(_page_urls(world[site])[action]).status_code == 200
