"""Legacy migration (`manage.py import_content`): what a platform admin sees and what the public
gets afterwards, in a world of a portal and two department sites so that cross-site mistakes
(an item landing on the wrong site, a redirect answering on the wrong host) show up.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime
from io import StringIO
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import Client
from wagtail.contrib.redirects.models import Redirect
from wagtail.documents import get_document_model
from wagtail.models import Page, PageLogEntry, Revision

from home.importing.records import parse_line
from home.importing.sanitising import sanitise_body
from home.models import (
    ArticlePage,
    Attachment,
    IndexNumberSequence,
    InterpretationPage,
    PolicyDocumentPage,
)
from tests.conftest import module_world
from tests.factories import column, provision

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
OLD_HOST = "www.old-edu.gov.cn"  # the old site's domain, not (yet) served by the platform
POLICIES = "zfxxgk/fdzdgknr/zcwj"


@dataclass
class World:
    portal: object
    edu: object
    hr: object


def _build():
    edu = provision("edu", organisation_code="000014349", sponsor="测试市教育局")
    edu.legacy_hosts = f"{OLD_HOST}\nold2.edu.example"
    edu.save()
    return World(portal=provision("www", "portal"), edu=edu, hr=provision("hr"))


world = module_world(_build)


# --- Building import files ------------------------------------------------------------------


def article(number, **overrides):
    return {
        "type": "article",
        "column": "gzdt",
        "title": f"教育局工作动态第{number}号",
        "body_html": f"<p>第{number}条动态的正文。</p>",
        "published_at": "2023-05-06T09:30:00",
        "legacy_url": f"http://{OLD_HOST}/art/2023/5/6/art_{number}.html",
        **overrides,
    }


def policy(number, metadata=None, **overrides):
    return {
        "type": "policy",
        "column": POLICIES,
        "title": f"关于印发教育质量提升方案第{number}号的通知",
        "body_html": "<p>各县（区）教育局：</p><p>现将方案印发给你们，请认真贯彻执行。</p>",
        "published_at": "2024-02-01 10:00",
        "legacy_url": f"http://{OLD_HOST}/zcwj/2024/{number}.html",
        "policy": {
            "document_number": f"测教发〔2024〕{number}号",
            "written_date": "2024-01-25",
            "topic": "科技、教育",
            **(metadata or {}),
        },
        **overrides,
    }


def interpretation(number, policies, **overrides):
    return {
        "type": "interpretation",
        "column": "zcjd",
        "title": f"教育质量提升方案第{number}号解读",
        "body_html": "<p>一、出台背景</p>",
        "published_at": "2024-02-03T08:00:00+08:00",
        "legacy_url": f"http://{OLD_HOST}/zcjd/{number}.html",
        "policies": policies,
        **overrides,
    }


def jsonl(folder, *lines, name="import.jsonl"):
    path = folder / name
    text = "\n".join(
        line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines
    )
    path.write_text(text + "\n", encoding="utf-8")
    return path


@dataclass
class Outcome:
    out: str
    err: str
    error: CommandError | None


def run_import(path, *options, site="edu"):
    out, err = StringIO(), StringIO()
    try:
        call_command(
            "import_content", str(path), f"--site={site}", *options, stdout=out, stderr=err
        )
    except CommandError as error:
        return Outcome(out.getvalue(), err.getvalue(), error)
    return Outcome(out.getvalue(), err.getvalue(), None)


def follow(client, response):
    """Request where a redirect points, on its host (the test client would send testserver)."""
    location = urlsplit(response["Location"])
    return client.get(location.path, HTTP_HOST=location.hostname)


def imported(legacy_url):
    """The page a legacy URL leads to, found the way the importer finds it."""
    path = Redirect.normalise_path(legacy_url)
    return Redirect.objects.get(old_path=path).redirect_page.specific


# --- Good lines -----------------------------------------------------------------------------


def test_good_lines_become_published_pages_with_history(world, tmp_path):
    lines = [
        article(1, lead="摘要", source="办公室", author="张三"),
        policy(1),
        article(2, body_html=""),
    ]
    outcome = run_import(jsonl(tmp_path, *lines))
    assert outcome.error is None, outcome.err
    assert "导入完成：新导入 3 条，更新 0 条，失败 0 行。" in outcome.out

    page = imported(article(1)["legacy_url"])
    assert type(page) is ArticlePage
    assert page.get_parent().pk == column(world.edu, "gzdt").pk
    assert (page.title, page.lead, page.source, page.author) == (
        "教育局工作动态第1号",
        "摘要",
        "办公室",
        "张三",
    )
    naive_means_beijing = datetime(2023, 5, 6, 9, 30, tzinfo=SHANGHAI)
    assert page.published_at == page.first_published_at == naive_means_beijing
    assert page.live and not page.has_unpublished_changes
    assert page.live_revision == page.latest_revision
    actions = set(PageLogEntry.objects.filter(page=page).values_list("action", flat=True))
    assert {"wagtail.create", "wagtail.publish"} <= actions
    assert page.slug.startswith("jiaoyujugongzuodongtai"), "readable ASCII slug"

    response = Client().get(page.get_url_parts()[2], HTTP_HOST="edu.localhost")
    assert response.status_code == 200
    assert "第1条动态的正文。" in response.content.decode()
    assert not ArticlePage.objects.descendant_of(world.hr.home_page).exists()


def test_policy_metadata_and_index_number(world, tmp_path):
    line = policy(
        1,
        metadata={
            "validity": "valid",
            "effective_date": "2024-03-01",
            "expiry_date": "2029-02-28",
        },
    )
    assert (
        run_import(
            jsonl(tmp_path, line, policy(2, metadata={"issuing_organ": "测试市人民政府"}))
        ).error
        is None
    )

    first, second = (imported(item["legacy_url"]) for item in (line, policy(2)))
    assert type(first) is PolicyDocumentPage
    assert first.index_number == "000014349/2024-00001"
    assert second.index_number == "000014349/2024-00002"
    assert first.document_number == "测教发〔2024〕1号"
    assert first.issuing_organ == "测试市教育局", "defaults to the site's sponsor"
    assert second.issuing_organ == "测试市人民政府"
    assert (first.written_date, first.effective_date, first.expiry_date) == (
        date(2024, 1, 25),
        date(2024, 3, 1),
        date(2029, 2, 28),
    )
    assert (first.topic, first.validity) == ("科技、教育", "valid")
    assert first.current_validity(today=date(2030, 1, 1)) == "expired"


def test_interpretation_linked_by_legacy_url_and_document_number(world, tmp_path):
    lines = [
        policy(1),
        policy(2),
        interpretation(1, [policy(1)["legacy_url"], "测教发〔2024〕2号"], kind="qa"),
    ]
    assert run_import(jsonl(tmp_path, *lines)).error is None

    explained = imported(interpretation(1, [])["legacy_url"])
    assert type(explained) is InterpretationPage
    assert explained.kind == "qa"
    first, second = imported(policy(1)["legacy_url"]), imported(policy(2)["legacy_url"])
    assert set(explained.policies.all()) == {first, second}
    assert list(first.live_interpretations) == [explained]


# --- Bad lines ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, reason",
    [
        ('{"type": "article", "title": ', "不是有效的 JSON"),
        ({k: v for k, v in article(2).items() if k != "title"}, "缺少字段「title」（标题）"),
        (article(2, column="nosuch"), "栏目「nosuch」不存在"),
        (article(2, colour="red"), "未知字段「colour」"),
        (
            article(2, published_at="2023年5月6日"),
            "「published_at」（发布时间）「2023年5月6日」不是有效的 ISO 8601 时间",
        ),
        (
            article(2, legacy_url="/art/2.html"),
            "「legacy_url」（旧网址）「/art/2.html」须为完整网址",
        ),
        (
            policy(2, metadata={"document_number": "测教发[2024]2号"}),
            "发文字号「测教发[2024]2号」不规范：年份须用六角括号〔〕",
        ),
        (
            policy(2, metadata={"topic": "教育"}),
            "主题分类「教育」不在平台标准中，可选：「综合政务」「国民经济管理、国有资产监管」",
        ),
        (policy(2, metadata={"written_date": "2024/01/25"}), "「policy.written_date」（成文日期）"),
        (policy(2, metadata={"validity": "gone"}), "「policy.validity」（有效性）「gone」无效"),
        (
            policy(2, metadata={"effective_date": "2024-03-01", "expiry_date": "2024-02-01"}),
            "有效期至不能早于施行日期。",
        ),
        (article(2, attachments=["missing.pdf"]), "附件文件「missing.pdf」不存在"),
        (interpretation(2, [f"http://{OLD_HOST}/zcwj/none.html"]), "未找到旧网址为"),
        (interpretation(2, ["测教发〔2024〕99号"]), "未找到发文字号为「测教发〔2024〕99号」"),
        (interpretation(2, []), "「policies」（解读的政策文件）不能为空"),
        (article(2, source="来" * 101), "「来源」"),
        (article(2, title="标题\u0000截断"), "「title」（标题）含控制字符（如 NUL）"),
        (
            article(2, legacy_url="http://hr.localhost/art/2.html"),
            "旧网址「http://hr.localhost/art/2.html」的域名 hr.localhost 不属于本站："
            "须为本站域名（edu.localhost）或本站登记的旧网站域名",
        ),
        (
            article(2, body_html="<div>" * 1200 + "正文" + "</div>" * 1200),
            "正文 HTML 嵌套达 1200 层（上限 1000 层）",
        ),
    ],
)
def test_bad_line_is_reported_with_its_number_and_good_lines_import(world, tmp_path, line, reason):
    outcome = run_import(jsonl(tmp_path, article(1), line, "", article(3)))

    assert f"第 2 行：{reason}" in outcome.err
    assert "新导入 2 条，更新 0 条，失败 1 行" in outcome.out
    assert "1 行未能导入（原因见上），其余各行已导入" in str(outcome.error)
    titles = ArticlePage.objects.descendant_of(world.edu.home_page).values_list("title", flat=True)
    assert sorted(titles) == ["教育局工作动态第1号", "教育局工作动态第3号"]


def test_a_line_failing_while_written_leaves_nothing_behind(world, tmp_path, monkeypatch, settings):
    (tmp_path / "方案.pdf").write_bytes(b"%PDF-1.4 plan")

    def broken_redirect(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(Redirect, "add_redirect", staticmethod(broken_redirect))
    before = counts()
    outcome = run_import(jsonl(tmp_path, policy(1, attachments=["方案.pdf"])))

    assert "第 1 行：数据库错误：disk full" in outcome.err
    assert counts() == before
    assert stored_files(settings) == [], "the file of the rolled-back document is deleted again"


def test_deeply_nested_html_is_flattened_and_keeps_its_text(world, tmp_path):
    body = "<div>" * 500 + "<p>深处的<b>正文</b></p>" + "</div>" * 500
    line = article(1, body_html=body, legacy_url="http://old2.edu.example/deep.html")
    assert run_import(jsonl(tmp_path, line)).error is None
    page = imported(line["legacy_url"])
    assert "深处的" in str(page.specific.body) and "正文" in str(page.specific.body)


def test_the_same_legacy_url_twice_in_one_file(world, tmp_path):
    outcome = run_import(jsonl(tmp_path, article(1), article(1, title="另一篇")))
    assert f"第 2 行：旧网址「{article(1)['legacy_url']}」与第 1 行重复" in outcome.err
    assert imported(article(1)["legacy_url"]).title == "教育局工作动态第1号"


def test_a_legacy_url_already_imported_into_another_site_is_refused(world, tmp_path):
    assert run_import(jsonl(tmp_path, article(1))).error is None
    world.hr.legacy_hosts = OLD_HOST  # two sites that once shared one old domain
    world.hr.save()
    outcome = run_import(jsonl(tmp_path, article(1)), site="hr")
    assert "已导入到测试市edu局的「教育局工作动态第1号」，不能再导入到本站" in outcome.err


def test_unknown_site_stops_before_reading(world, tmp_path):
    with pytest.raises(CommandError, match="站点「nosuch」不存在"):
        call_command("import_content", str(jsonl(tmp_path, article(1))), "--site=nosuch")


# --- Re-import ------------------------------------------------------------------------------


def test_reimport_updates_the_page_instead_of_duplicating(world, tmp_path):
    assert run_import(jsonl(tmp_path, article(1), policy(1))).error is None
    page, document = imported(article(1)["legacy_url"]), imported(policy(1)["legacy_url"])

    changed = [
        article(
            1, title="教育局工作动态（更正）", body_html="<p>更正后的正文。</p>", column="tzgg"
        ),
        policy(1, metadata={"validity": "abolished"}),
    ]
    outcome = run_import(jsonl(tmp_path, *changed))

    assert outcome.error is None, outcome.err
    assert "新导入 0 条，更新 2 条，失败 0 行" in outcome.out
    updated = imported(article(1)["legacy_url"])
    assert updated.pk == page.pk
    assert updated.title == "教育局工作动态（更正）"
    assert "更正后的正文" in str(updated.body)
    assert updated.get_parent().pk == column(world.edu, "tzgg").pk, "moved to its new column"
    assert Revision.page_revisions.filter(object_id=str(page.pk)).count() == 2
    legacy_path = Redirect.normalise_path(article(1)["legacy_url"])
    assert Redirect.objects.filter(old_path=legacy_path).count() == 1
    again = imported(policy(1)["legacy_url"])
    assert (again.pk, again.index_number) == (document.pk, document.index_number)
    assert again.validity == "abolished"
    assert ArticlePage.objects.descendant_of(world.edu.home_page).count() == 2


def test_reimport_cannot_change_the_kind_of_item(world, tmp_path):
    assert run_import(jsonl(tmp_path, article(1))).error is None
    as_policy = policy(1, legacy_url=article(1)["legacy_url"])
    outcome = run_import(jsonl(tmp_path, as_policy))
    assert "第 1 行：该旧网址已导入为文章「教育局工作动态第1号」，不能改为政策文件" in outcome.err


# --- Dry run --------------------------------------------------------------------------------


def stored_files(settings):
    return [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Page,
            Revision,
            PageLogEntry,
            Redirect,
            get_document_model(),
            Attachment,
            IndexNumberSequence,
        )
    }


def test_dry_run_checks_every_line_and_changes_nothing(world, tmp_path, settings):
    assert run_import(jsonl(tmp_path, article(1), name="earlier.jsonl")).error is None
    (tmp_path / "方案.pdf").write_bytes(b"%PDF-1.4 plan")
    lines = [
        article(1, title="改过的标题"),
        policy(1, attachments=["方案.pdf"]),
        interpretation(1, [policy(1)["legacy_url"]]),
        article(2, column="nosuch"),
    ]
    before = counts()

    outcome = run_import(jsonl(tmp_path, *lines), "--dry-run")

    assert counts() == before
    assert imported(article(1)["legacy_url"]).title == "教育局工作动态第1号"
    assert "第 4 行：栏目「nosuch」不存在" in outcome.err
    assert "试运行完成，未写入任何数据：可新导入 2 条，可更新 1 条，有错误 1 行。" in outcome.out
    assert "整个文件未写入任何数据" in str(outcome.error)
    assert stored_files(settings) == []


# --- Redirects ------------------------------------------------------------------------------


def test_old_address_on_an_unknown_host_answers_301_on_any_host(world, tmp_path):
    with_query = article(2, legacy_url=f"http://{OLD_HOST}/module/view.jsp?id=12&col=3")
    assert run_import(jsonl(tmp_path, article(1), with_query)).error is None
    page = imported(article(1)["legacy_url"])
    redirect = Redirect.objects.get(redirect_page=page)
    assert (redirect.site, redirect.is_permanent) == (None, True)

    client = Client()
    response = client.get("/art/2023/5/6/art_1.html", HTTP_HOST=OLD_HOST)
    assert response.status_code == 301
    assert response["Location"] == page.get_full_url()
    assert follow(client, response).status_code == 200

    by_query = client.get("/module/view.jsp?col=3&id=12", HTTP_HOST=OLD_HOST)
    assert by_query.status_code == 301
    assert by_query["Location"] == imported(with_query["legacy_url"]).get_full_url()


def test_old_address_on_a_platform_host_answers_only_there(world, tmp_path):
    kept_domain = article(1, legacy_url="http://edu.localhost/art/2019/1/2/art_7.html")
    assert run_import(jsonl(tmp_path, kept_domain)).error is None
    page = imported(kept_domain["legacy_url"])
    assert Redirect.objects.get(redirect_page=page).site == world.edu.site

    client = Client()
    response = client.get("/art/2019/1/2/art_7.html", HTTP_HOST="edu.localhost")
    assert (response.status_code, response["Location"]) == (301, page.get_full_url())
    assert client.get("/art/2019/1/2/art_7.html", HTTP_HOST="hr.localhost").status_code == 404


# --- Sanitising -----------------------------------------------------------------------------

LEGACY_URL = "http://www.old-edu.gov.cn/art/2024/1/2/art_5.html"


def test_sanitising_removes_scripts_handlers_and_dangerous_links():
    body = sanitise_body(
        """<div class="TRS_Editor"><style>p { color: red }</style>
        <script>alert("x")</script><p onclick="steal()" style="text-indent:2em">
        正文<a href="javascript:alert(1)">恶意链接</a>和<a href="../2/art_6.html" onmouseover="x()">
        相关文件</a><iframe src="http://evil.example/"></iframe><img src="a.png" onerror="x()">
        </p><object data="x.swf"></object></div>""",
        LEGACY_URL,
    )
    html = json.dumps(body.blocks, ensure_ascii=False)
    for forbidden in (
        "<script",
        "alert",
        "color: red",
        "onclick",
        "onmouseover",
        "onerror",
        "javascript:",
        "<iframe",
        "evil.example",
        "<img",
        "style=",
    ):
        assert forbidden not in html
    assert [block["type"] for block in body.blocks] == ["paragraph"]
    assert "恶意链接" in html, "the text of a removed link stays"
    assert 'href=\\"http://www.old-edu.gov.cn/art/2024/1/2/art_6.html\\"' in html
    assert body.warnings == [
        "正文中的 1 张图片、2 个内嵌媒体或框架未导入，请在管理后台另行上传后插入"
    ]


def test_sanitising_turns_headings_tables_and_quotes_into_blocks():
    body = sanitise_body(
        """<p>前言</p><h3>一、<b>总体要求</b></h3><div><div>第一段</div><div>第二段</div></div>
        <table><caption>收费标准</caption><tr><th>项目</th><th>金额</th></tr>
        <tr><td rowspan="2">证书</td><td>10元</td></tr><tr><td>20元</td></tr></table>
        <blockquote><p>民之所忧，我必念之。</p><footer>—— 出处</footer></blockquote>
        <p>&nbsp;</p><p>　</p>""",
        LEGACY_URL,
    )
    assert [block["type"] for block in body.blocks] == [
        "paragraph", "heading", "paragraph", "table", "quote",
    ]  # fmt: skip
    assert body.blocks[1]["value"] == "一、总体要求"
    assert body.blocks[2]["value"] == "<p>第一段</p><p>第二段</p>", "layout divs flattened"
    table = body.blocks[3]["value"]
    assert table["data"] == [["项目", "金额"], ["证书", "10元"], [None, "20元"]]
    assert (table["first_row_is_table_header"], table["table_caption"]) == (True, "收费标准")
    assert table["mergeCells"] == [{"row": 1, "col": 0, "rowspan": 2, "colspan": 1}]
    assert body.blocks[4]["value"] == {"quote": "民之所忧，我必念之。", "source": "出处"}


def test_imported_body_renders_as_blocks(world, tmp_path):
    html = (
        '<h2>办理条件</h2><table><tr><td>材料</td></tr></table><script>bad()</script><img src="x">'
    )
    outcome = run_import(jsonl(tmp_path, article(1, body_html=html)))
    assert outcome.error is None
    assert "第 1 行（提示）：正文中的 1 张图片未导入" in outcome.out
    page = imported(article(1)["legacy_url"])
    assert [block.block_type for block in page.body] == ["heading", "table"]
    content = Client().get(page.get_url_parts()[2], HTTP_HOST="edu.localhost").content.decode()
    assert "<h2>办理条件</h2>" in content
    assert "材料" in content
    assert "bad()" not in content


# --- Attachments ----------------------------------------------------------------------------


def test_attachments_become_documents_of_the_site(world, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "附件1：实施方案.pdf").write_bytes(b"%PDF-1.4 plan")
    (files / "P020240201.docx").write_bytes(b"docx bytes")
    line = policy(
        1,
        attachments=[
            "files/附件1：实施方案.pdf",
            {"path": "files/P020240201.docx", "title": "申请表"},
        ],
    )
    assert run_import(jsonl(tmp_path, line)).error is None

    page = imported(line["legacy_url"])
    attachments = list(page.attachments.order_by("sort_order"))
    assert [a.display_title for a in attachments] == ["附件1：实施方案", "申请表"]
    assert {a.document.collection_id for a in attachments} == {world.edu.collection_id}
    assert attachments[0].document.file.read() == b"%PDF-1.4 plan"

    documents = get_document_model().objects.count()
    assert run_import(jsonl(tmp_path, line)).error is None
    assert get_document_model().objects.count() == documents, "same bytes, same document"
    assert page.attachments.count() == 2


@pytest.mark.parametrize(
    "path, reason",
    [
        ("../outside.pdf", "附件「../outside.pdf」不在导入文件所在的目录之内"),
        ("table.xlsx", "附件「table.xlsx」的格式不允许，须为：PDF、OFD、DOC、DOCX、WPS"),
    ],
)
def test_attachment_outside_the_folder_or_of_a_wrong_format(world, tmp_path, path, reason):
    folder = tmp_path / "export"
    folder.mkdir()
    (tmp_path / "outside.pdf").write_bytes(b"%PDF")
    (folder / "table.xlsx").write_bytes(b"xlsx")
    outcome = run_import(jsonl(folder, policy(1, attachments=[path])))
    assert f"第 1 行：{reason}" in outcome.err


# --- The documented format ------------------------------------------------------------------


def test_the_examples_in_the_documentation_are_valid_lines(settings):
    text = (settings.BASE_DIR / "docs" / "content-import.md").read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    records = [parse_line(line) for line in example.splitlines()]
    assert [record.type for record in records] == ["article", "policy", "interpretation"]
