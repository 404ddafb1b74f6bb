"""The site registry in the admin: platform admins provision and edit all, site admins theirs."""

import pytest
from django.urls import reverse
from wagtail.log_actions import log
from wagtail.models import Page

from sites.models import SiteProfile, SiteRole
from tests.factories import UserFactory, add_article, column, provision, role_users

pytestmark = pytest.mark.django_db

FORM = {
    "code": "env",
    "kind": "department",
    "name": "测试市生态环境局",
    "sponsor": "测试市生态环境局",
    "site_id_code": "3698000077",
    "icp_number": "赣ICP备2099000077号",
    "police_number": "赣公网安备36990000000077号",
    "contact_phone": "0799-77777",
    "contact_email": "env@example.gov.cn",
    "contact_address": "测试市人民路7号",
    "accent_colour": "green",
    "parent": "",
}


@pytest.fixture
def platform_admin():
    return UserFactory(username="platform", is_superuser=True)


@pytest.fixture
def sites():
    return provision("www", "portal"), provision("edu")


def test_platform_admin_provisions_a_site_from_the_form(client, sites, platform_admin):
    client.force_login(platform_admin)
    url = reverse("sites_profile:add")
    assert "创建站点" in client.get(url).content.decode()
    response = client.post(url, FORM)
    assert response.status_code == 302
    profile = SiteProfile.objects.get(code="env")
    assert profile.site.hostname == "env.localhost"
    assert profile.site_groups.count() == 5


@pytest.mark.parametrize(
    "change, message",
    [
        ({"code": "edu"}, "站点代码「edu」已被「测试市edu局」使用"),
        ({"site_id_code": "123"}, "网站标识码「123」无效"),
        ({"name": ""}, "必需字段"),
    ],
)
def test_form_errors_are_shown_and_nothing_is_created(
    client, sites, platform_admin, change, message
):
    client.force_login(platform_admin)
    before = SiteProfile.objects.count()
    response = client.post(reverse("sites_profile:add"), {**FORM, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert SiteProfile.objects.count() == before


def test_site_admin_edits_only_contact_and_branding(client, sites):
    _, edu = sites
    users = role_users(edu)
    client.force_login(users[SiteRole.SITE_ADMIN])
    url = reverse("sites_profile:edit", args=[edu.pk])
    form = client.get(url).context["form"]
    assert set(form.fields) == {
        "contact_phone",
        "contact_email",
        "contact_address",
        "logo",
        "accent_colour",
    }
    response = client.post(
        url,
        {
            "contact_phone": "0799-55555",
            "contact_email": "",
            "contact_address": "新地址",
            "accent_colour": "teal",
            "name": "被篡改的名称",
            "site_id_code": "0000000000",
        },
    )
    assert response.status_code == 302
    edu.refresh_from_db()
    assert (edu.contact_phone, edu.accent_colour) == ("0799-55555", "teal")
    assert edu.name == "测试市edu局" and edu.site_id_code != "0000000000"


def test_site_admin_cannot_add_or_delete_sites(client, sites):
    _, edu = sites
    client.force_login(role_users(edu)[SiteRole.SITE_ADMIN])
    assert client.get(reverse("sites_profile:add")).status_code in (302, 403)
    response = client.post(reverse("sites_profile:delete", args=[edu.pk]))
    assert response.status_code in (302, 403)
    assert SiteProfile.objects.filter(pk=edu.pk).exists()


def test_editors_have_no_access_to_the_registry(client, sites):
    _, edu = sites
    client.force_login(role_users(edu)[SiteRole.EDITOR])
    response = client.get(reverse("sites_profile:edit", args=[edu.pk]))
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or response.url == reverse("wagtailadmin_home")


def test_platform_admin_sees_every_site(client, sites, platform_admin):
    client.force_login(platform_admin)
    html = client.get(reverse("sites_profile:index")).content.decode()
    assert all(profile.name in html for profile in sites)


def test_site_history_shows_only_own_sites_profile_changes(client, sites):
    _, edu = sites
    env = provision("env")
    log(instance=env, action="wagtail.edit", user=None)
    log(instance=edu, action="wagtail.edit", user=None)
    client.force_login(role_users(edu)[SiteRole.SITE_ADMIN])
    html = client.get(reverse("wagtailadmin_reports:site_history"), follow=True).content.decode()
    assert edu.name in html
    assert env.name not in html


def test_registry_listing_shows_code_and_site_id(client, sites, platform_admin):
    client.force_login(platform_admin)
    html = client.get(reverse("sites_profile:index")).content.decode()
    _, edu = sites
    assert edu.site_id_code in html and "edu.localhost" in html


def test_registry_lists_the_portal_first_with_pages_last_edit_and_reviews(
    client, sites, platform_admin
):
    portal, edu = sites
    provision("aaa")  # sorts before the portal by code and by kind
    draft = add_article(column(edu, "gzdt"), "待审稿件", live=False)
    editor = role_users(edu)[SiteRole.EDITOR]
    draft.save_revision(user=editor)
    draft.get_workflow().start(draft, editor)
    client.force_login(platform_admin)
    response = client.get(reverse("sites_profile:index"))
    rows = list(response.context["object_list"])
    assert rows[0] == portal
    by_code = {row.code: row for row in rows}
    expected_pages = Page.objects.descendant_of(edu.home_page, inclusive=True).count()
    assert by_code["edu"].page_count == expected_pages
    assert by_code["edu"].pending_reviews == 1 and by_code["aaa"].pending_reviews == 0
    assert by_code["edu"].last_edited_at is not None
    html = response.content.decode()
    assert "页面数" in html and "待审核" in html


def test_new_site_form_gives_format_hints_and_no_second_portal(client, sites, platform_admin):
    client.force_login(platform_admin)
    form = client.get(reverse("sites_profile:add")).context["form"]
    assert "portal" not in dict(form.fields["kind"].choices), "the cluster has its portal"
    assert form.fields["kind"].initial == "department"
    html = form.as_div()
    for hint in ("10 位数字，如 3699000001", "如 赣ICP备2026000001号-1", "9 位数字或大写字母"):
        assert hint in html
