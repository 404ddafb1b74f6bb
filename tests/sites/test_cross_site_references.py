"""Cross-site references posted through the admin forms (一分散).

An editor of `east` may reference east's own pages and media, and another site's pages once
they are live and public. Another site's draft, its images and its documents are refused in
every place a form carries an id: foreign keys, many-to-many fields, StreamField blocks, rich
text links, inline attachment rows and the site profile's logo. Nothing is saved when refused.
"""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import ArticlePage, InterpretationPage, PolicyDocumentPage
from sites.models import SiteRole
from tests.conftest import module_world
from tests.factories import (
    add_article,
    add_document,
    add_image,
    add_policy,
    column,
    provision,
    role_users,
)
from tests.home.test_page_form import article_data, formset

pytestmark = pytest.mark.django_db


def _build():
    provision("www", "portal")
    east, west = provision("east"), provision("west")
    return {
        "east": east,
        "editor": role_users(east)[SiteRole.EDITOR],
        "east_admin": role_users(east)[SiteRole.SITE_ADMIN],
        "east_policy": add_policy(east, "东区自己的政策"),
        "east_image": add_image(east, "东区图片"),
        "west_draft_policy": add_policy(west, "西区未发布政策", live=False),
        "west_live_policy": add_policy(west, "西区已发布政策"),
        "west_draft": add_article(column(west, "gzdt"), "西区草稿", live=False),
        "west_image": add_image(west, "西区图片"),
        "west_document": add_document(west, "西区文件"),
    }


world = module_world(_build)


def _add_url(world, model_name, column_path):
    parent = column(world["east"], column_path)
    return reverse("wagtailadmin_pages:add", args=["home", model_name, parent.pk])


def _post_article(client, world, title, **changes):
    client.force_login(world["editor"])
    data = {**article_data(title), **changes}
    return client.post(_add_url(world, "articlepage", "gzdt"), data)


def _errors(response):
    """What the editor is told: the page, and the StreamField's errors (sent to it as JSON)."""
    return response.content.decode() + str(response.context["form"].errors)


def _refused(response, title, message="其他站点"):
    assert response.status_code == 200, "the form was accepted"
    assert message in _errors(response)
    assert not ArticlePage.objects.filter(title=title).exists()


def _body(*blocks):
    return nested_form_data({"body": streamfield(list(blocks))})


def test_cover_image_of_another_site_is_refused(client, world):
    response = _post_article(
        client, world, "用西区封面", cover_image=world["west_image"].pk, cover_alt="封面"
    )
    _refused(response, "用西区封面", "其他站点素材库中的图片")


def test_own_cover_image_is_accepted(client, world):
    response = _post_article(
        client, world, "用东区封面", cover_image=world["east_image"].pk, cover_alt="封面"
    )
    assert response.status_code == 302


def test_figure_block_with_another_sites_image_is_refused(client, world):
    figure = {"image": {"image": world["west_image"].pk, "decorative": "", "alt_text": "图"}}
    body = _body(("figure", {**figure, "caption": ""}))
    _refused(_post_article(client, world, "西区插图", **body), "西区插图", "图片")


def test_attachment_block_with_another_sites_document_is_refused(client, world):
    block = {"heading": "附件", "documents": streamfield([("item", world["west_document"].pk)])}
    body = _body(("attachments", block))
    _refused(_post_article(client, world, "西区附件块", **body), "西区附件块", "文件")


def test_attachment_row_with_another_sites_document_is_refused(client, world):
    rows = formset("attachments", [{"document": world["west_document"].pk, "ORDER": "1"}])
    _refused(_post_article(client, world, "西区附件行", **rows), "西区附件行", "文件")


@pytest.mark.parametrize(
    ("target", "accepted"), [("west_draft", False), ("west_live_policy", True)]
)
def test_rich_text_links_only_to_public_pages_of_other_sites(client, world, target, accepted):
    link = f'<p><a linktype="page" id="{world[target].pk}">链接</a></p>'
    body = _body(("paragraph", rich_text(link)))
    title = f"链接到{target}"
    response = _post_article(client, world, title, **body)
    if accepted:
        assert response.status_code == 302
    else:
        _refused(response, title, "其他站点未公开的页面")


def _interpretation_data(policy_ids):
    return {**article_data("解读西区政策"), "kind": "text", "policies": policy_ids}


def test_interpretation_offers_only_own_and_public_policies(client, world):
    client.force_login(world["editor"])
    response = client.get(_add_url(world, "interpretationpage", "zcjd"))
    choices = response.context["form"].fields["policies"].queryset
    assert set(choices) >= {world["east_policy"], world["west_live_policy"]}
    assert world["west_draft_policy"] not in choices


def test_interpretation_of_another_sites_draft_policy_is_refused(client, world):
    client.force_login(world["editor"])
    url = _add_url(world, "interpretationpage", "zcjd")
    response = client.post(url, _interpretation_data([world["west_draft_policy"].pk]))
    assert response.status_code == 200
    assert "只能选择本站点的内容，或其他站点已发布的公开页面" in response.content.decode()
    assert not InterpretationPage.objects.exists()

    response = client.post(url, _interpretation_data([world["west_live_policy"].pk]))
    assert response.status_code == 302, response.context["form"].errors
    assert list(InterpretationPage.objects.get().policies.all()) == [world["west_live_policy"]]


def test_superseded_by_another_sites_draft_is_refused(client, world):
    client.force_login(world["editor"])
    url = _add_url(world, "policydocumentpage", "zfxxgk/fdzdgknr/zcwj")
    data = {
        **article_data("被西区草稿替代"),
        "issuing_organ": "",
        "document_number": "东发〔2026〕1号",
        "written_date": "2026-11-18",
        "topic": "综合政务",
        "validity": "valid",
        "superseded_by": world["west_draft_policy"].pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "其他站点未公开的页面" in response.content.decode()
    assert not PolicyDocumentPage.objects.filter(title="被西区草稿替代").exists()


def test_site_logo_from_another_site_is_refused(client, world):
    profile = world["east"]
    client.force_login(world["east_admin"])
    url = reverse("sites_profile:edit", args=[profile.pk])
    data = {
        "contact_phone": profile.contact_phone,
        "contact_email": profile.contact_email,
        "contact_address": profile.contact_address,
        "accent_colour": profile.accent_colour,
        "logo": world["west_image"].pk,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "其他站点素材库中的图片" in response.content.decode()
    profile.refresh_from_db()
    assert profile.logo_id is None

    response = client.post(url, {**data, "logo": world["east_image"].pk})
    assert response.status_code == 302
    profile.refresh_from_db()
    assert profile.logo_id == world["east_image"].pk


def test_interpretation_of_own_policy_is_created_in_the_admin(client, world):
    """The form hands the chosen policies to the model's own check (it used to see none)."""
    client.force_login(world["editor"])
    url = _add_url(world, "interpretationpage", "zcjd")
    response = client.post(url, _interpretation_data([world["east_policy"].pk]))
    assert response.status_code == 302, response.context["form"].errors
    assert list(InterpretationPage.objects.get().policies.all()) == [world["east_policy"]]
