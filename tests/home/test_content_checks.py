"""Publish-time wording checks: 严重错误表述 block publishing and submitting, 错别字 only warn.

Round trips go through the real page editor as the site's own staff: the 站点管理员 publishes,
the 编辑 submits to the three-step review. A refusal must quote the text and say where it is,
and leave nothing live and no workflow started. Drafts may hold anything: they are private.
"""

import json
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from home.blocks import BodyBlock
from home.checks.demo import DEMO_FORBIDDEN_EXPRESSIONS, DEMO_MISWRITINGS, seed_demo_wording_lists
from home.checks.lists import wording_lists
from home.checks.scan import Entry, find
from home.checks.text import Segment, html_to_text, stream_segments
from home.models import ArticlePage, Attachment, ColumnPage, ForbiddenExpression, Miswriting
from sites.models import SiteRole
from tests.conftest import module_world
from tests.factories import UserFactory, add_article, add_document, column, provision, role_users

SITES = ("east", "west")
FORBIDDEN, CORRECT, NOTE = DEMO_FORBIDDEN_EXPRESSIONS[0]
WRONG, RIGHT = DEMO_MISWRITINGS[0]


def _build():
    provision("www", "portal")
    world = {}
    for code in SITES:
        profile = provision(code)
        world[code] = SimpleNamespace(
            profile=profile, users=role_users(profile), column=column(profile, "gzdt")
        )
    world["platform"] = UserFactory(username="platform_admin", is_superuser=True)
    seed_demo_wording_lists()
    return world


world = module_world(_build)


# --- Pure text extraction and scanning ---------------------------------------------------------


def test_rich_text_keeps_inline_phrases_whole_and_separates_blocks():
    html = "<p>国家<b>工商</b>行政管理总局&amp;局</p><p>下一段</p><ul><li>一</li><li>二</li></ul>"
    assert html_to_text(html).split() == ["国家工商行政管理总局&局", "下一段", "一", "二"]


def test_stream_text_is_located_through_nested_blocks():
    body = BodyBlock().to_python(
        [
            {"type": "heading", "value": "小标题文字"},
            {"type": "paragraph", "value": "<p>第一句</p><p>第<i>二</i>句</p>"},
            {"type": "quote", "value": {"quote": "引文内容", "source": "出处名称"}},
            {"type": "callout", "value": {"tone": "info", "text": "<p>提示内容</p>"}},
            {
                "type": "faq",
                "value": {
                    "items": [
                        {"question": "问一", "answer": "<p>答一</p>"},
                        {"question": "问二", "answer": "<p>答二</p>"},
                    ]
                },
            },
            {
                "type": "table",
                "value": {"data": [["表头", None], ["", "单元格"]], "table_caption": "表名"},
            },
        ]
    )
    segments = [(s.location, s.text.split()) for s in stream_segments(body, "正文")]
    assert segments == [
        ("正文 第 1 段（小标题）", ["小标题文字"]),
        ("正文 第 2 段（正文段落）", ["第一句", "第二句"]),
        ("正文 第 3 段（引用） › 引文", ["引文内容"]),
        ("正文 第 3 段（引用） › 出处", ["出处名称"]),
        ("正文 第 4 段（提示框） › 内容", ["提示内容"]),
        ("正文 第 5 段（问答） › 问答 › 第 1 项 › 问题", ["问一"]),
        ("正文 第 5 段（问答） › 问答 › 第 1 项 › 回答", ["答一"]),
        ("正文 第 5 段（问答） › 问答 › 第 2 项 › 问题", ["问二"]),
        ("正文 第 5 段（问答） › 问答 › 第 2 项 › 回答", ["答二"]),
        ("正文 第 6 段（表格） › 表格标题", ["表名"]),
        ("正文 第 6 段（表格） › 第 1 行第 1 列", ["表头"]),
        ("正文 第 6 段（表格） › 第 2 行第 2 列", ["单元格"]),
    ]


def test_find_ignores_spaces_quotes_context_and_never_joins_lines():
    entry = Entry("国家工商行政管理总局", "国家市场监督管理总局")
    long_line = "根据工作安排，现将国家工商 行政管理总局\u3000有关文件转发给你们，请认真贯彻执行。"
    findings = find([Segment("正文", f"{long_line}\n国家工商\n行政管理总局")], [entry])
    assert [(f.location, f.excerpt) for f in findings] == [
        ("正文", "根据工作安排，现将国家工商 行政管理总局 有关文件转发给你们，请…")
    ]


def test_find_reports_every_occurrence_in_reading_order():
    entries = [Entry("截止目前", "截至目前"), Entry("再接再励", "再接再厉")]
    findings = find([Segment("摘要", "再接再励，截止目前已完成；截止目前仍需再接再励。")], entries)
    assert [f.entry.text for f in findings] == ["再接再励", "截止目前", "截止目前", "再接再励"]


# --- Round trips through the page editor -------------------------------------------------------


def article_form(page=None, title="关于做好年度工作的通知", lead="", body=(), attachments=()):
    """POST data of the article editor; `page` None means the create view."""
    published_at = page.published_at if page else timezone.now()
    return nested_form_data(
        {
            "title": title,
            "slug": page.slug if page else "niandu-gongzuo",
            "lead": lead,
            "source": "",
            "author": "",
            "published_at": timezone.localtime(published_at).strftime("%Y-%m-%d %H:%M"),
            "cover_alt": "",
            "body": streamfield(list(body)),
            "attachments": inline_formset(list(attachments)),
            "comments": inline_formset([]),
        }
    )


def paragraph(html):
    return ("paragraph", rich_text(html))


PUBLISH = {"action-publish": "action-publish"}
SUBMIT = {"action-submit": "action-submit"}
ACTORS = {"publish": (SiteRole.SITE_ADMIN, PUBLISH), "submit": (SiteRole.EDITOR, SUBMIT)}
PLACES = {
    "title": (
        {"title": f"关于转发{FORBIDDEN}文件的通知"},
        f"标题：“关于转发{FORBIDDEN}文件的通知”",
    ),
    "lead": ({"lead": f"{FORBIDDEN}部署专项行动。"}, f"摘要：“{FORBIDDEN}部署专项行动。”"),
    "body": (
        {"body": [("heading", "工作部署"), paragraph(f"<p>按照<b>{FORBIDDEN}</b>要求开展。</p>")]},
        f"正文 第 2 段（正文段落）：“按照{FORBIDDEN}要求开展。”",
    ),
}


def edit(client, page, user, **data):
    client.force_login(user)
    return client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)


def assert_refused(response, page, quote):
    assert response.status_code == 200, "the editor is shown again with the error"
    html = response.content.decode()
    assert f"{quote}中的「{FORBIDDEN}」为严重错误表述，应为「{CORRECT}」（{NOTE}）。" in html
    page = Page.objects.get(pk=page.pk)
    assert not page.live
    assert page.get_latest_revision() is None, "nothing of the refused text is saved"
    assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


@pytest.mark.django_db
@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("action", ACTORS)
def test_forbidden_expression_blocks_publishing_and_submitting(client, world, action, place):
    site = world["east"]
    role, button = ACTORS[action]
    draft = add_article(site.column, "待发布稿件", live=False)
    changes, quote = PLACES[place]
    response = edit(client, draft, site.users[role], **article_form(draft, **changes), **button)
    assert_refused(response, draft, quote)


@pytest.mark.django_db
def test_forbidden_expression_in_an_attachment_title_blocks_submitting(client, world):
    site = world["west"]
    draft = add_article(site.column, "带附件的稿件", live=False)
    document = add_document(site.profile, "附件文件")
    attachment = Attachment.objects.create(page=draft, document=document, title="通知原文")
    row = {"id": str(attachment.pk), "document": str(document.pk), "title": f"{FORBIDDEN}通知原文"}
    data = {**article_form(draft), **nested_form_data({"attachments": inline_formset([row], 1)})}
    response = edit(client, draft, site.users[SiteRole.EDITOR], **data, **SUBMIT)
    assert_refused(response, draft, f"附件 第 1 项 · 显示名称：“{FORBIDDEN}通知原文”")
    assert Attachment.objects.get(pk=attachment.pk).title == "通知原文"


@pytest.mark.django_db
def test_creating_a_page_for_review_is_refused_too(client, world):
    site = world["west"]
    client.force_login(site.users[SiteRole.EDITOR])
    url = reverse("wagtailadmin_pages:add", args=["home", "articlepage", site.column.pk])
    response = client.post(url, {**article_form(lead=f"{FORBIDDEN}。"), **SUBMIT})
    assert response.status_code == 200
    assert f"摘要：“{FORBIDDEN}。”中的「{FORBIDDEN}」为严重错误表述" in response.content.decode()
    assert not ArticlePage.objects.child_of(site.column).filter(slug="niandu-gongzuo").exists()
    assert not WorkflowState.objects.exists()


@pytest.mark.django_db
def test_a_reviewer_cannot_approve_edits_that_add_a_forbidden_expression(client, world):
    site = world["east"]
    draft = add_article(site.column, "送审稿件", live=False)
    submitted = edit(client, draft, site.users[SiteRole.EDITOR], **article_form(draft), **SUBMIT)
    assert submitted.status_code == 302
    reviewer_edit = {
        **article_form(draft, lead=f"经核，{FORBIDDEN}已同意。"),
        "action-workflow-action": "true",
        "workflow-action-name": "approve",
        "workflow-action-extra-data": json.dumps({"comment": ""}),
    }
    response = edit(client, draft, site.users[SiteRole.FIRST_REVIEWER], **reviewer_edit)
    assert "内容含严重错误表述，改正后才能审核通过" in response.content.decode()
    page = Page.objects.get(pk=draft.pk)
    assert page.current_workflow_task.name.startswith("科室初审"), "still awaiting the first step"
    assert FORBIDDEN not in page.get_latest_revision_as_object().lead


@pytest.mark.django_db
@pytest.mark.parametrize("code", SITES)
def test_a_clean_page_publishes_and_submits(client, world, code):
    site = world[code]
    body = [paragraph("<p>截至目前，各项工作进展顺利。</p>")]
    published = add_article(site.column, "直接发布", live=False)
    data = article_form(published, body=body)
    response = edit(client, published, site.users[SiteRole.SITE_ADMIN], **data, **PUBLISH)
    assert response.status_code == 302
    assert Page.objects.get(pk=published.pk).live
    submitted = add_article(site.column, "送审", live=False)
    data = article_form(submitted, body=body)
    response = edit(client, submitted, site.users[SiteRole.EDITOR], **data, **SUBMIT)
    assert response.status_code == 302
    assert Page.objects.get(pk=submitted.pk).current_workflow_task.name.startswith("科室初审")


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTORS)
def test_a_miswriting_goes_through_with_a_warning(client, world, action):
    site = world["west"]
    role, button = ACTORS[action]
    draft = add_article(site.column, "含错别字的稿件", live=False)
    data = article_form(draft, body=[paragraph(f"<p>{WRONG}，全市已完成改造任务。</p>")])
    client.force_login(site.users[role])
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = client.post(url, {**data, **button}, follow=True)
    page = Page.objects.get(pk=draft.pk)
    if action == "publish":
        assert page.live
    else:
        assert page.current_workflow_task.name.startswith("科室初审")
    warning = next(m for m in messages_of(response) if "发现疑似错别字" in m)
    assert (
        f"正文 第 1 段（正文段落）：“{WRONG}，全市已完成改造任务。”中的「{WRONG}」"
        f"疑为错别字，建议改为「{RIGHT}」。"
    ) in warning


@pytest.mark.django_db
def test_a_draft_may_hold_a_forbidden_expression_and_says_it_cannot_be_published(client, world):
    """Chosen behaviour: plain saves pass (drafts are private); the editor is told at once."""
    site = world["east"]
    draft = add_article(site.column, "草稿", live=False)
    client.force_login(site.users[SiteRole.EDITOR])
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = client.post(url, article_form(draft, lead=f"{FORBIDDEN}。"), follow=True)
    page = Page.objects.get(pk=draft.pk)
    assert not page.live and page.current_workflow_state is None
    assert page.get_latest_revision_as_object().lead == f"{FORBIDDEN}。"
    warning = next(m for m in messages_of(response) if "严重错误表述" in m)
    assert "改正前不能发布或提交审核" in warning and f"摘要：“{FORBIDDEN}。”" in warning


@pytest.mark.django_db
def test_bulk_publishing_refuses_drafts_with_a_forbidden_expression(client, world):
    site = world["east"]
    clean = add_article(site.column, "无问题草稿", live=False)
    tainted = add_article(site.column, "问题草稿", live=False, lead=f"{FORBIDDEN}文件。")
    for page in (clean, tainted):
        page.save_revision(user=site.users[SiteRole.EDITOR])
    client.force_login(site.users[SiteRole.SITE_ADMIN])
    next_url = reverse("wagtailadmin_explore", args=[site.column.pk])
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    query = f"?id={clean.pk}&id={tainted.pk}&next={next_url}"
    response = client.post(url + query, {}, follow=True)
    assert not Page.objects.filter(pk__in=[clean.pk, tainted.pk], live=True).exists()
    error = next(m for m in messages_of(response) if "未发布任何页面" in m)
    assert f"《问题草稿》摘要：“{FORBIDDEN}文件。”" in error


@pytest.mark.django_db
def test_bulk_publishing_with_descendants_checks_the_draft_descendants(client, world):
    site = world["west"]
    topic = site.column.add_child(instance=ColumnPage(title="专题栏目", live=False))
    add_article(topic, "专题稿件", live=False, lead=f"转发{FORBIDDEN}通知。")
    client.force_login(site.users[SiteRole.SITE_ADMIN])
    url = reverse("wagtail_bulk_action", args=["wagtailcore", "page", "publish"])
    response = client.post(f"{url}?id={topic.pk}", {"include_descendants": "on"}, follow=True)
    assert not Page.objects.descendant_of(topic, inclusive=True).live().exists()
    assert any("《专题稿件》摘要" in m for m in messages_of(response))


@pytest.mark.django_db
def test_autosave_leaves_no_warnings_behind(client, world):
    """Autosave answers JSON, which shows no messages; queued ones would surface much later."""
    site = world["east"]
    draft = add_article(site.column, "自动保存", live=False)
    client.force_login(site.users[SiteRole.EDITOR])
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    data = article_form(draft, lead=f"{WRONG}，{FORBIDDEN}。")
    assert client.post(url, data, HTTP_ACCEPT="application/json").json()["success"]
    assert not messages_of(client.get(url))


# --- The lists: admin, cache, seeding ---------------------------------------------------------


@pytest.mark.django_db
def test_list_edits_in_the_admin_apply_to_the_next_publish(client, world):
    site, platform = world["west"], world["platform"]
    phrase = "国家旅游局"
    title = f"{phrase}发布假日出游提示"
    publisher = site.users[SiteRole.SITE_ADMIN]
    first = add_article(site.column, "第一篇", live=False)
    response = edit(client, first, publisher, **article_form(first, title=title), **PUBLISH)
    assert response.status_code == 302

    client.force_login(platform)
    add_url = reverse("wagtailsnippets_home_forbiddenexpression:add")
    entry = {"expression": phrase, "correct": "文化和旅游部", "note": ""}
    assert client.post(add_url, entry).status_code == 302
    second = add_article(site.column, "第二篇", live=False)
    data = article_form(second, title=title)
    response = edit(client, second, publisher, **data, **PUBLISH)
    assert f"中的「{phrase}」为严重错误表述，应为「文化和旅游部」。" in response.content.decode()
    assert not Page.objects.get(pk=second.pk).live

    client.force_login(platform)
    expression = ForbiddenExpression.objects.get(expression=phrase)
    delete_url = reverse("wagtailsnippets_home_forbiddenexpression:delete", args=[expression.pk])
    assert client.post(delete_url).status_code == 302
    response = edit(client, second, publisher, **data, **PUBLISH)
    assert response.status_code == 302 and Page.objects.get(pk=second.pk).live


@pytest.mark.django_db
def test_a_new_miswriting_warns_at_once(client, world):
    site = world["east"]
    draft = add_article(site.column, "关于迫不急待的说明", live=False)
    client.force_login(site.users[SiteRole.EDITOR])
    url = reverse("wagtailadmin_pages:edit", args=[draft.pk])
    response = client.post(url, article_form(draft, title=draft.title), follow=True)
    assert not any("疑似错别字" in m for m in messages_of(response))
    Miswriting.objects.create(wrong="迫不急待", right="迫不及待")
    response = client.post(url, article_form(draft, title=draft.title), follow=True)
    assert any("建议改为「迫不及待」" in m for m in messages_of(response))


@pytest.mark.django_db
def test_the_lists_are_read_from_the_cache_until_one_changes(world, django_assert_num_queries):
    wording_lists()
    with django_assert_num_queries(0):
        assert Entry(WRONG, RIGHT) in wording_lists().miswritings
    Miswriting.objects.get(wrong=WRONG).delete()
    assert Entry(WRONG, RIGHT) not in wording_lists().miswritings


SNIPPET_URLS = {
    "forbidden_list": lambda: reverse("wagtailsnippets_home_forbiddenexpression:list"),
    "forbidden_add": lambda: reverse("wagtailsnippets_home_forbiddenexpression:add"),
    "forbidden_edit": lambda: reverse(
        "wagtailsnippets_home_forbiddenexpression:edit",
        args=[ForbiddenExpression.objects.get(expression=FORBIDDEN).pk],
    ),
    "miswriting_list": lambda: reverse("wagtailsnippets_home_miswriting:list"),
    "miswriting_edit": lambda: reverse(
        "wagtailsnippets_home_miswriting:edit", args=[Miswriting.objects.get(wrong=WRONG).pk]
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("url", SNIPPET_URLS)
@pytest.mark.parametrize("role", [SiteRole.SITE_ADMIN, SiteRole.EDITOR], ids=lambda r: r.value)
@pytest.mark.parametrize("code", SITES)
def test_site_staff_cannot_reach_the_lists(client, world, code, role, url):
    client.force_login(world[code].users[role])
    response = client.get(SNIPPET_URLS[url]())
    # The admin gate closes platform-only snippets whole (404), before Wagtail's own 403/302.
    assert response.status_code in (403, 404) or (
        response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    ), f"{code}:{role.label} {url} answered {response.status_code}"
    if url.endswith("_edit"):
        before = ForbiddenExpression.objects.count(), Miswriting.objects.count()
        client.post(SNIPPET_URLS[url](), {"expression": "改掉", "wrong": "改掉", "right": "x"})
        assert ForbiddenExpression.objects.filter(expression=FORBIDDEN).exists()
        assert Miswriting.objects.filter(wrong=WRONG).exists()
        assert (ForbiddenExpression.objects.count(), Miswriting.objects.count()) == before


@pytest.mark.django_db
def test_only_platform_admins_see_the_lists_in_the_menu_and_can_search_them(client, world):
    menu_item = '"name": "wording-checks"'  # the sidebar is rendered from JSON
    client.force_login(world["east"].users[SiteRole.SITE_ADMIN])
    assert menu_item not in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(world["platform"])
    assert menu_item in client.get(reverse("wagtailadmin_home")).content.decode()
    listing = reverse("wagtailsnippets_home_forbiddenexpression:list")
    html = client.get(listing, {"q": "卫生"}).content.decode()
    assert "国家卫生和计划生育委员会" in html and FORBIDDEN not in html


@pytest.mark.django_db
def test_seeding_is_idempotent_and_keeps_admin_edits(world):
    ForbiddenExpression.objects.filter(expression=FORBIDDEN).update(note="管理员修改")
    seed_demo_wording_lists()
    assert ForbiddenExpression.objects.count() == len(DEMO_FORBIDDEN_EXPRESSIONS)
    assert Miswriting.objects.count() == len(DEMO_MISWRITINGS)
    assert ForbiddenExpression.objects.get(expression=FORBIDDEN).note == "管理员修改"
