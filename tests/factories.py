"""Test data builders: site specs, provisioned sites with one user per role, content, media."""

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from home.models import ArticlePage, ColumnPage, PolicyDocumentPage
from sites.models import SiteRole
from sites.provisioning import SiteSpec, provision_site

_serial = itertools.count(900)

PASSWORD = "Test-Passw0rd!"
SHANGHAI = ZoneInfo("Asia/Shanghai")


def site_spec(code, kind="department", **overrides):
    number = next(_serial)
    values = {
        "code": code,
        "kind": kind,
        "name": f"测试市{code}局",
        "sponsor": f"测试市{code}局",
        "site_id_code": f"3698{number:06d}",
        "organisation_code": f"M{number:08d}",
        "icp_number": f"赣ICP备2099{number:06d}号",
        "police_number": f"赣公网安备3699{number:010d}号",
        "contact_phone": "0799-1234567",
        "contact_address": "测试市人民路1号",
        "contact_email": f"{code}@example.gov.cn",
        "accent_colour": "blue",
    }
    values.update(overrides)
    return SiteSpec(**values)


def provision(code, kind="department", **overrides):
    provision_site(site_spec(code, kind, **overrides))
    from sites.models import SiteProfile

    return SiteProfile.objects.select_related("site").get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.django.Password(PASSWORD)


def role_users(profile):
    """One user per role of `profile`, named <code>_<role>."""
    users = {}
    for site_group in profile.site_groups.select_related("group"):
        user = UserFactory(username=f"{profile.code}_{site_group.role}")
        user.groups.add(site_group.group)
        users[SiteRole(site_group.role)] = user
    return users


def column(profile, slug_path):
    return ColumnPage.objects.get(url_path=f"{profile.home_page.url_path}{slug_path}/")


def add_article(parent, title, live=True, **fields):
    return parent.add_child(instance=ArticlePage(title=title, live=live, **fields))


def add_policy(profile, title, **fields):
    """A live policy document (政策文件) in the site's standard 政策文件 column."""
    values = {
        "written_date": date(2025, 3, 1),
        "topic": "综合政务",
        "published_at": datetime(2025, 3, 5, 9, 30, tzinfo=SHANGHAI),
        **fields,
    }
    policies = column(profile, "zfxxgk/fdzdgknr/zcwj")
    return policies.add_child(instance=PolicyDocumentPage(title=title, **{"live": True, **values}))


def add_image(profile, title):
    return get_image_model().objects.create(
        title=title, file=get_test_image_file(), collection=profile.collection
    )


def add_document(profile, title):
    document = get_document_model()(title=title, collection=profile.collection)
    document.file.save(f"{profile.code}.pdf", ContentFile(b"%PDF-1.4 test"), save=True)
    return document


def seed_searches(profile, query, searches, zero_results=0, days_ago=0, clients=None):
    """A day's search counts of `query`, made by `clients` distinct visitors (default: each
    search by a different one), as the search page and API record them."""
    from django.utils import timezone

    from search.models import DailySearchClient, DailySearchCount

    day = timezone.localdate() - timedelta(days=days_ago)
    DailySearchClient.objects.bulk_create(
        DailySearchClient(day=day, site=profile, query=query, client=f"client{number}")
        for number in range(searches if clients is None else clients)
    )
    return DailySearchCount.objects.create(
        day=day, site=profile, query=query, searches=searches, zero_results=zero_results
    )
