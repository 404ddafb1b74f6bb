"""The admin page form: slugs from Chinese titles, attachment formats checked on new pages."""

import pytest
from django.urls import reverse

from home.models import ArticlePage, PolicyDocumentPage
from sites.models import SiteRole
from tests.factories import add_document, column, provision, role_users

pytestmark = pytest.mark.django_db


def formset(prefix, rows=()):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for number, row in enumerate(rows):
        data.update({f"{prefix}-{number}-{key}": value for key, value in row.items()})
    return data


def article_data(title, attachments=()):
    return {
        "title": title,
        "slug": "",
        "lead": "",
        "source": "",
        "author": "",
        "published_at": "2026-11-20 09:30",
        "cover_alt": "",
        "body-count": "0",
        **formset("attachments", attachments),
        **formset("comments"),
    }


@pytest.fixture
def edu():
    provision("www", "portal")
    provision("env")
    profile = provision("edu")
    return profile, role_users(profile)[SiteRole.SITE_ADMIN]


def test_a_chinese_title_without_slug_gets_an_ascii_slug(client, edu):
    profile, admin = edu
    client.force_login(admin)
    news = column(profile, "gzdt")
    url = reverse("wagtailadmin_pages:add", args=["home", "articlepage", news.pk])
    response = client.post(url, article_data("全市教育工作会议召开"))
    assert response.status_code == 302, response.context["form"].errors
    assert (
        ArticlePage.objects.get(title="全市教育工作会议召开").slug
        == "quanshijiaoyugongzuohuiyizhaokai"
    )


def test_a_new_policy_refuses_attachments_in_other_formats(client, edu):
    profile, admin = edu
    client.force_login(admin)
    archive = add_document(profile, "压缩包")  # a .pdf by default; rename to .zip below
    archive.file.name = "documents/bundle.zip"
    archive.save()
    policies = column(profile, "zfxxgk/fdzdgknr/zcwj")
    url = reverse("wagtailadmin_pages:add", args=["home", "policydocumentpage", policies.pk])
    data = {
        **article_data(
            "关于印发某办法的通知", [{"document": archive.pk, "title": "", "ORDER": "1"}]
        ),
        "issuing_organ": "",
        "document_number": "测教发〔2026〕5号",
        "written_date": "2026-11-18",
        "topic": "科技、教育",
        "validity": "valid",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "附件格式须为：PDF、OFD、DOC、DOCX、WPS" in response.content.decode()
    assert not PolicyDocumentPage.objects.exists()

    pdf = add_document(profile, "正文")
    data.update({"attachments-0-document": pdf.pk})
    response = client.post(url, data)
    assert response.status_code == 302
    created = PolicyDocumentPage.objects.get()
    assert [a.document for a in created.attachments.all()] == [pdf]
    assert created.index_number.endswith("/2026-00001")
