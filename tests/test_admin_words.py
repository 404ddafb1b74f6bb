"""The admin in words its users read: corrected Chinese labels, page type descriptions, and a
new item's 来源 (source) filled in with the site's 主办单位."""

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import get_page_models

from sites.models import SiteRole
from tests.factories import column, provision, role_users


def test_a_published_page_is_called_live_not_publish():
    with translation.override("zh-hans"):
        assert translation.gettext("Live") == "已上线"
        assert translation.gettext("View live") == "查看线上页面"
        assert translation.gettext("Publish") == "发布"  # the button keeps its word


def test_every_page_type_describes_itself():
    for model in get_page_models():
        if model._meta.app_label == "home":
            assert model.get_page_description(), f"{model.__name__} has no page_description"


@pytest.mark.django_db
def test_a_new_items_source_starts_as_the_sites_sponsor(client):
    provision("www", "portal")
    profile = provision("edu", sponsor="测试市教育局")
    client.force_login(role_users(profile)[SiteRole.EDITOR])
    news = column(profile, "gzdt")
    response = client.get(reverse("wagtailadmin_pages:add", args=["home", "articlepage", news.pk]))
    assert response.context["form"]["source"].value() == "测试市教育局"
