"""CSV export of a site's audit log for a date range (等保 2.0 三级 审计).

Wagtail's site history report (报告 → 站点历史) already exports its filtered listing as CSV, with
a date-range filter, over each log model's `viewable_by_user`: pages a user may edit, and (by
`SiteProfileLogEntryManager`) the user's own site profiles. No view of our own is needed; this
shows a 站点管理员's export holds their own site's entries of the range and nothing else.
"""

import csv
import io
from datetime import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.models import PageLogEntry

from sites.models import SiteProfileLogEntry, SiteRole
from tests.conftest import module_world
from tests.factories import PASSWORD, SHANGHAI, add_article, column, provision, role_users

pytestmark = pytest.mark.django_db

RANGE = {"timestamp_from": "2020-03-01", "timestamp_to": "2020-03-31"}


def _at(month, day):
    return datetime(2020, month, day, 12, 0, tzinfo=SHANGHAI)


def _build():
    sites = {code: provision(code) for code in ("east", "west")}
    users = {code: role_users(profile) for code, profile in sites.items()}
    for code, profile in sites.items():
        editor = users[code][SiteRole.EDITOR]
        news = column(profile, "gzdt")
        for title, when in ((f"{code}三月文章", _at(3, 10)), (f"{code}二月文章", _at(2, 20))):
            PageLogEntry.objects.log_action(
                add_article(news, title), "wagtail.edit", user=editor, timestamp=when
            )
        PageLogEntry.objects.log_action(
            add_article(news, f"{code}四月文章"), "wagtail.edit", user=editor, timestamp=_at(4, 5)
        )
        SiteProfileLogEntry.objects.log_action(profile, "wagtail.edit", timestamp=_at(3, 20))
    platform = get_user_model().objects.create_superuser("platform", password=PASSWORD)
    return {"users": users, "platform": platform}


world = module_world(_build)


def _export(client, user):
    client.force_login(user)
    response = client.get(reverse("wagtailadmin_reports:site_history"), {**RANGE, "export": "csv"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    return rows


def test_a_site_admins_export_holds_only_their_sites_entries_of_the_range(client, world):
    rows = _export(client, world["users"]["east"][SiteRole.SITE_ADMIN])
    assert sorted(row["名字"] for row in rows) == ["east三月文章", "测试市east局"]
    assert {row["日期/时间"][:7] for row in rows} == {"2020-03"}


def test_a_platform_admins_export_holds_every_sites_entries_of_the_range(client, world):
    rows = _export(client, world["platform"])
    assert sorted(row["名字"] for row in rows) == [
        "east三月文章",
        "west三月文章",
        "测试市east局",
        "测试市west局",
    ]
