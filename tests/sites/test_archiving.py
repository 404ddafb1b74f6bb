"""Archiving: pages go offline with a 301 to the portal notice; content stays; restore is exact."""

import pytest
from django.urls import reverse
from wagtail.models import Page

from sites.archiving import ArchivingError, archive_site, restore_site
from sites.models import SiteProfile
from tests.factories import UserFactory, add_article, column, provision

pytestmark = pytest.mark.django_db


@pytest.fixture
def cluster():
    portal = provision("www", "portal")
    edu = provision("edu")
    env = provision("env")
    article = add_article(column(edu, "gzdt"), "教育局工作动态一")
    return portal, edu, env, article


def test_archived_site_answers_301_to_portal_notice_and_restores(client, cluster):
    _, edu, _, article = cluster
    live_before = dict(Page.objects.descendant_of(edu.home_page).values_list("pk", "live"))
    assert client.get("/gzdt/", HTTP_HOST="edu.localhost").status_code == 200

    archive_site(edu)

    response = client.get("/gzdt/", HTTP_HOST="edu.localhost")
    assert response.status_code == 301
    assert response.url == "http://localhost/archived/edu/?from=%2Fgzdt%2F"
    notice = client.get("/archived/edu/?from=/gzdt/", HTTP_HOST="localhost")
    assert notice.status_code == 200
    assert "「测试市edu局」网站已归档" in notice.content.decode()
    assert client.get("/", HTTP_HOST="edu.localhost").status_code == 301
    assert client.get("/", HTTP_HOST="env.localhost").status_code == 200, "others unaffected"
    assert client.get("/admin/login/", HTTP_HOST="edu.localhost").status_code == 200
    assert Page.objects.filter(pk=article.pk).exists(), "content is kept"

    restore_site(SiteProfile.objects.get(code="edu"))

    assert client.get("/gzdt/", HTTP_HOST="edu.localhost").status_code == 200
    assert client.get("/archived/edu/", HTTP_HOST="localhost").status_code == 404
    assert dict(Page.objects.descendant_of(edu.home_page).values_list("pk", "live")) == live_before


def test_portal_cannot_be_archived_and_states_are_checked(cluster):
    portal, edu, _, _ = cluster
    with pytest.raises(ArchivingError, match="门户网站不能归档"):
        archive_site(portal)
    with pytest.raises(ArchivingError, match="未归档"):
        restore_site(edu)


def test_archive_screens_are_for_platform_admins_only(client, cluster):
    _, edu, _, _ = cluster
    archive_url = reverse("sites_profile:archive", args=[edu.pk])
    site_admin = UserFactory(username="edu_admin")
    site_admin.groups.add(edu.site_groups.get(role="site_admin").group)
    client.force_login(site_admin)
    assert client.post(archive_url).status_code in (302, 403)
    assert not SiteProfile.objects.get(pk=edu.pk).is_archived

    client.force_login(UserFactory(username="platform", is_superuser=True))
    assert "归档后" in client.get(archive_url).content.decode()
    assert client.post(archive_url).status_code == 302
    assert SiteProfile.objects.get(pk=edu.pk).is_archived
    client.post(reverse("sites_profile:restore", args=[edu.pk]))
    assert not SiteProfile.objects.get(pk=edu.pk).is_archived
