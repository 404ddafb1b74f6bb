"""A document is public only once a live, public page uses it; its site's staff always see it."""

import pytest
from django.test import Client
from wagtail.models import PageViewRestriction

from home.models import ArticlePage, Attachment
from sites.models import SiteRole
from tests.factories import add_document, column, provision, role_users

pytestmark = pytest.mark.django_db


@pytest.fixture
def sites():
    provision("www", "portal")
    east, west = provision("east"), provision("west")
    return {"east": east, "east_users": role_users(east), "west_users": role_users(west)}


def _page_with(profile, document, title, live):
    page = ArticlePage(title=title, live=live, attachments=[Attachment(document=document)])
    return column(profile, "gzdt").add_child(instance=page)


def _status(document, user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client.get(document.url).status_code


def test_a_drafts_document_is_private_until_published(sites):
    document = add_document(sites["east"], "草稿附件")
    draft = _page_with(sites["east"], document, "带附件的草稿", live=False)
    assert document.url.startswith("/documents/")
    assert _status(document) == 404
    assert _status(document, sites["west_users"][SiteRole.SITE_ADMIN]) == 404
    assert _status(document, sites["east_users"][SiteRole.EDITOR]) == 200

    draft.save_revision().publish()
    assert _status(document) == 200


def test_an_unused_document_is_private(sites):
    document = add_document(sites["east"], "未使用的文件")
    assert _status(document) == 404
    assert _status(document, sites["east_users"][SiteRole.FIRST_REVIEWER]) == 200


def test_a_document_on_a_restricted_page_is_private(sites):
    document = add_document(sites["east"], "内部文件")
    page = _page_with(sites["east"], document, "内部页面", live=True)
    assert _status(document) == 200
    PageViewRestriction.objects.create(page=page, restriction_type="password", password="x")
    assert _status(document) == 404


def test_unpublishing_the_page_makes_its_document_private_again(sites):
    document = add_document(sites["east"], "撤下的附件")
    page = _page_with(sites["east"], document, "将撤下的页面", live=True)
    assert _status(document) == 200
    page.unpublish()
    assert _status(document) == 404
