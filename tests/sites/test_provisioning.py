"""Provisioning: what one run creates, that a rerun only adds, that bad input writes nothing."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import (
    Collection,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    WorkflowPage,
)

from home.models import PortalHomePage, SiteHomePage
from sites.models import SiteProfile, SiteRole
from sites.provisioning import ProvisioningError, provision_many, provision_site
from sites.roles import PAGE_PERMISSIONS
from sites.standards import load_standards
from tests.factories import add_article, column, provision, site_spec

pytestmark = pytest.mark.django_db


def snapshot():
    """Row counts of everything provisioning writes."""
    return {
        model.__name__: model.objects.count()
        for model in [
            Page,
            Site,
            Group,
            Collection,
            SiteProfile,
            GroupPagePermission,
            GroupCollectionPermission,
            WorkflowPage,
        ]
    }


def test_creates_a_complete_site():
    provision("www", "portal")
    report = provision_site(site_spec("edu", name="测试市教育局"))
    profile = SiteProfile.objects.get(code="edu")

    assert report.created
    assert profile.site.hostname == "edu.localhost"
    assert profile.site.site_name == "测试市教育局"
    assert isinstance(profile.home_page.specific, SiteHomePage)
    assert profile.home_page.live

    standard = [path for path, _ in load_standards().kind("department").walk_columns()]
    made = Page.objects.descendant_of(profile.home_page)  # columns and the mailbox
    assert sorted(p.url_path for p in made) == sorted(
        profile.home_page.url_path + "".join(f"{slug}/" for slug in path) for path in standard
    )
    gzdt = column(profile, "gzdt")
    assert gzdt.update_days == 14 and not gzdt.blank_allowed
    assert column(profile, "zfxxgk/fdzdgknr/zcwj").update_days == 180

    roles = {sg.role: sg.group for sg in profile.site_groups.all()}
    assert set(roles) == set(SiteRole)
    for role, group in roles.items():
        rows = GroupPagePermission.objects.filter(group=group)
        assert {row.page_id for row in rows} == {profile.home_page.pk}, "granted only at the root"
        assert {row.permission.codename for row in rows} == set(PAGE_PERMISSIONS[role])
        assert set(
            GroupCollectionPermission.objects.filter(group=group).values_list(
                "collection", flat=True
            )
        ) == {profile.collection_id}

    workflow = WorkflowPage.objects.get(page=profile.home_page).workflow
    steps = [(task.name, list(task.specific.groups.all())) for task in workflow.tasks]
    assert [name for name, _ in steps] == [
        f"{step}（{profile.name}）" for step in ("科室初审", "分管领导复审", "办公室终审")
    ], "task names carry the site's name, which reviewers read, not its code"
    assert [groups for _, groups in steps] == [
        [roles[SiteRole.FIRST_REVIEWER]],
        [roles[SiteRole.SECOND_REVIEWER]],
        [roles[SiteRole.FINAL_REVIEWER]],
    ]
    assert profile.collection.get_parent() == Collection.get_first_root_node()


def test_portal_answers_at_the_portal_hostname_and_is_default():
    profile = provision("www", "portal")
    assert profile.site.hostname == "localhost"
    assert profile.site.is_default_site
    assert isinstance(profile.home_page.specific, PortalHomePage)


def test_running_again_adds_nothing_and_changes_nothing():
    provision("www", "portal")
    spec = site_spec("edu")
    provision_site(spec)
    profile = SiteProfile.objects.get(code="edu")
    news = column(profile, "gzdt")
    news.title = "教育要闻"  # an editor renamed the column
    news.save()
    add_article(news, "已有文章")
    profile.contact_phone = "0799-0000000"  # the site admin changed the phone
    profile.save()
    before = snapshot()

    report = provision_site(spec)

    assert not report.created and report.added == []
    assert snapshot() == before
    assert column(profile, "gzdt").title == "教育要闻"
    assert SiteProfile.objects.get(code="edu").contact_phone == "0799-0000000"


def test_running_again_restores_what_the_standard_requires(settings, tmp_path):
    provision("www", "portal")
    profile = provision("edu")
    column(profile, "hdjl/zjdc").delete()
    standards = (settings.PLATFORM_DIR / "standards.toml").read_text(encoding="utf-8")
    head, section, tail = standards.partition("[kinds.department]")
    services = '{ slug = "bsfw", title = "办事服务" },'
    new_column = '\n  { slug = "xczx", title = "新闻发布会", update_days = 90 },'
    extended = head + section + tail.replace(services, services + new_column, 1)
    assert extended != standards
    (tmp_path / "standards.toml").write_text(extended, encoding="utf-8")
    settings.PLATFORM_DIR = tmp_path
    load_standards.cache_clear()
    try:
        report = provision_site(site_spec("edu"))
    finally:
        load_standards.cache_clear()

    assert sorted(report.added) == ["栏目 hdjl/zjdc", "栏目 xczx"]
    assert column(profile, "xczx").update_days == 90


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"site_id_code": "12345"}, "网站标识码「12345」无效"),
        ({"site_id_code": "36990000AB"}, "网站标识码「36990000AB」无效"),
        ({"kind": "ministry"}, "未知的站点类型「ministry」"),
        ({"code": "Bad_Code"}, "站点代码「Bad_Code」无效"),
        ({"accent_colour": "pink"}, "主题色「pink」不在标准色板中"),
        ({"contact_email": "not-an-email"}, "联系邮箱「not-an-email」格式不正确"),
        ({"parent": "nowhere"}, "上级单位网站「nowhere」不存在"),
    ],
)
def test_bad_input_names_the_problem_and_creates_nothing(overrides, message):
    provision("www", "portal")
    before = snapshot()
    with pytest.raises(ProvisioningError) as error:
        provision_site(site_spec(**{"code": "edu", **overrides}))
    assert any(problem.startswith(message) for problem in error.value.problems), error.value
    assert snapshot() == before


def test_duplicates_are_refused():
    provision("www", "portal")
    first = provision("edu")
    before = snapshot()
    cases = [
        (site_spec("edu"), {"allow_existing": False}, "站点代码「edu」已被"),
        (site_spec("edu2", site_id_code=first.site_id_code), {}, "网站标识码「"),
        (site_spec("www2", "portal"), {}, "门户网站只能有一个"),
        (site_spec("edu", kind="district"), {}, "站点「edu」已是部门网站"),
    ]
    for spec, options, message in cases:
        with pytest.raises(ProvisioningError) as error:
            provision_site(spec, **options)
        assert any(message in problem for problem in error.value.problems), error.value
    assert snapshot() == before


def test_hostname_taken_by_a_site_outside_the_registry():
    provision("www", "portal")
    Site.objects.create(hostname="edu.localhost", root_page=Page.get_first_root_node())
    with pytest.raises(ProvisioningError, match=r"域名「edu\.localhost」已被另一个站点使用"):
        provision_site(site_spec("edu"))


def test_a_bad_inventory_creates_nothing():
    provision("www", "portal")
    before = snapshot()
    specs = [site_spec("aaa"), site_spec("bbb", parent="aaa"), site_spec("aaa")]
    with pytest.raises(ProvisioningError) as error:
        provision_many(specs)
    assert "第 3 个站点：站点代码「aaa」与第 1 个站点重复" in error.value.problems
    assert snapshot() == before

    reports = provision_many(specs[:2])
    assert [r.created for r in reports] == [True, True]
    assert SiteProfile.objects.get(code="bbb").parent.code == "aaa"
