"""Policy documents: 索引号, 文号, validity over time, interpretations, attachments, the library."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from wagtail.documents import get_document_model

from home.models import Attachment, InterpretationPage, PolicyDocumentPage, Validity
from home.models.policies import NOT_YET_EFFECTIVE, validate_document_number, validity_q
from sites.archiving import archive_site
from tests.factories import add_article, add_policy, column, provision

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def cluster():
    portal = provision("www", "portal")
    edu = provision("edu", organisation_code="000014349", sponsor="测试市教育局")
    env = provision("env", organisation_code="11360100X", sponsor="测试市生态环境局")
    return portal, edu, env


def test_index_numbers_run_per_organisation_and_year(cluster):
    _, edu, env = cluster
    first = add_policy(edu, "一号文件")
    second = add_policy(edu, "二号文件")
    other = add_policy(env, "环境文件")
    next_year = add_policy(edu, "新年文件", published_at=datetime(2026, 1, 2, tzinfo=SHANGHAI))
    assert [first.index_number, second.index_number] == [
        "000014349/2025-00001",
        "000014349/2025-00002",
    ]
    assert other.index_number == "11360100X/2025-00001"
    assert next_year.index_number == "000014349/2026-00001"
    second.title = "二号文件（修订稿）"
    second.save()
    second.refresh_from_db()
    assert second.index_number == "000014349/2025-00002", "issued once, never renumbered"
    assert first.issuing_organ == "测试市教育局", "defaults to the site's sponsor"


def test_a_site_without_organisation_code_gets_a_clear_error(cluster):
    bare = provision("bare", organisation_code="")
    with pytest.raises(ValidationError, match="尚未登记组织机构代码"):
        add_policy(bare, "无代码文件")


@pytest.mark.parametrize(
    "number", ["市政发〔2025〕1号", "江教发〔2024〕128号", "国办秘函〔2019〕19号"]
)
def test_valid_document_numbers(number):
    validate_document_number(number)


@pytest.mark.parametrize(
    "number, hint",
    [
        ("市政发[2025]1号", "六角括号"),
        ("市政发（2025）1号", "六角括号"),
        ("市政发〔2025〕1", "格式如"),
        ("2025年第1号", "格式如"),
        ("市政发〔25〕1号", "格式如"),
    ],
)
def test_malformed_document_numbers_are_explained(number, hint):
    with pytest.raises(ValidationError) as error:
        validate_document_number(number)
    assert number in error.value.messages[0] and hint in error.value.messages[0]


def test_validity_follows_the_dates_by_itself(cluster):
    _, edu, _ = cluster
    today = date(2026, 6, 1)
    documents = {
        "valid": add_policy(edu, "有效", effective_date=date(2026, 1, 1)),
        "pending": add_policy(edu, "未生效", effective_date=date(2026, 7, 1)),
        "lapsed": add_policy(edu, "到期", expiry_date=date(2026, 5, 31)),
        "abolished": add_policy(edu, "废止", validity=Validity.ABOLISHED),
    }
    expected = {
        "valid": Validity.VALID,
        "pending": NOT_YET_EFFECTIVE,
        "lapsed": Validity.EXPIRED,
        "abolished": Validity.ABOLISHED,
    }
    for key, document in documents.items():
        assert document.current_validity(today) == expected[key], key
        matching = PolicyDocumentPage.objects.filter(validity_q(expected[key], today))
        assert document in matching, key
    assert documents["pending"].current_validity(date(2026, 7, 1)) == Validity.VALID
    assert documents["valid"].current_validity(date(2025, 12, 31)) == NOT_YET_EFFECTIVE


def test_metadata_rules(cluster):
    _, edu, _ = cluster
    current = add_policy(edu, "新文件")
    with pytest.raises(ValidationError, match="有效期至不能早于施行日期"):
        add_policy(edu, "日期颠倒", effective_date=date(2026, 1, 1), expiry_date=date(2025, 1, 1))
    with pytest.raises(ValidationError, match="有效性须为「废止」或「已修订」"):
        add_policy(edu, "被替代但仍有效", superseded_by=current)
    with pytest.raises(ValidationError, match="发文字号「市政发\\[2025\\]1号」不规范"):
        add_policy(edu, "错文号", document_number="市政发[2025]1号")
    old = add_policy(edu, "旧文件", validity=Validity.REVISED, superseded_by=current)
    assert old.superseded_by == current


def test_an_interpretation_must_link_a_policy(cluster):
    _, edu, _ = cluster
    policy = add_policy(edu, "政策原文")
    interpretations = column(edu, "zcjd")
    with pytest.raises(ValidationError, match="须关联至少一个政策文件"):
        interpretations.add_child(instance=InterpretationPage(title="空解读", live=True))
    linked = InterpretationPage(title="一图读懂", live=True, kind="graphic")
    linked.policies = [policy]
    interpretations.add_child(instance=linked)
    assert list(policy.live_interpretations) == [linked]


def test_policy_attachments_must_be_document_formats(cluster):
    _, edu, _ = cluster
    policy = add_policy(edu, "带附件")
    Document = get_document_model()
    pdf = Document(title="正文", collection=edu.collection)
    pdf.file.save("zhengwen.pdf", ContentFile(b"%PDF-1.4"), save=True)
    archive = Document(title="压缩包", collection=edu.collection)
    archive.file.save("bundle.zip", ContentFile(b"PK"), save=True)
    Attachment(page=policy, document=pdf).full_clean()
    with pytest.raises(ValidationError, match="附件格式须为"):
        Attachment(page=policy, document=archive).full_clean()


def test_policy_page_shows_metadata_table_and_interpretations(client, cluster):
    _, edu, _ = cluster
    policy = add_policy(edu, "关于做好招生工作的通知", document_number="测教发〔2025〕3号")
    linked = InterpretationPage(title="招生政策问答", live=True, kind="qa")
    linked.policies = [policy]
    column(edu, "zcjd").add_child(instance=linked)
    html = client.get(policy.url_path.removeprefix("/edu"), HTTP_HOST="edu.localhost")
    html = html.content.decode()
    for text in [
        "000014349/2025-00001",
        "测教发〔2025〕3号",
        "测试市教育局",
        "2025-03-01",
        "2025-03-05",
        "综合政务",
        "有效",
        "招生政策问答",
    ]:
        assert text in html, text


def library(client, query=""):
    response = client.get(f"/zcwjk/{query}", HTTP_HOST="localhost")
    assert response.status_code == 200
    return response.content.decode()


def test_the_policy_library_gathers_every_site_by_query(client, cluster):
    _, edu, env = cluster
    edu_doc = add_policy(edu, "教育局文件甲", document_number="测教发〔2025〕1号")
    env_doc = add_policy(
        env,
        "环境局文件乙",
        document_number="测环发〔2024〕7号",
        topic="城乡建设、环境保护",
        published_at=datetime(2024, 8, 1, tzinfo=SHANGHAI),
        validity=Validity.ABOLISHED,
    )
    html = library(client)
    assert "教育局文件甲" in html and "环境局文件乙" in html

    assert "环境局文件乙" not in library(client, "?organ=测试市教育局")
    assert "教育局文件甲" not in library(client, "?year=2024")
    assert "教育局文件甲" not in library(client, "?topic=城乡建设、环境保护")
    filtered = library(client, "?validity=abolished")
    assert "环境局文件乙" in filtered and "教育局文件甲" not in filtered
    assert "环境局文件乙" not in library(client, "?q=测教发〔2025〕1号")

    env_doc.unpublish()
    assert "环境局文件乙" not in library(client), "leaves the moment it is unpublished"
    late = add_policy(edu, "刚发布的文件", live=False)
    assert "刚发布的文件" not in library(client)
    late.save_revision().publish()
    assert "刚发布的文件" in library(client), "appears the moment it is published"

    archive_site(edu)
    assert "教育局文件甲" not in library(client), "an archived site's documents leave"
    assert edu_doc.pk  # the content itself is kept


def test_columns_list_every_item_kind_newest_first_with_rss(client, cluster):
    _, edu, _ = cluster
    policies = column(edu, "zfxxgk/fdzdgknr/zcwj")
    add_article(policies, "说明文章", published_at=datetime(2025, 3, 6, tzinfo=SHANGHAI))
    add_policy(edu, "较早的规范性文件")
    html = client.get("/zfxxgk/fdzdgknr/zcwj/", HTTP_HOST="edu.localhost").content.decode()
    assert html.index("说明文章") < html.index("较早的规范性文件")
    feed = client.get("/zfxxgk/fdzdgknr/zcwj/feed/", HTTP_HOST="edu.localhost")
    assert feed["Content-Type"].startswith("application/rss+xml")
    body = feed.content.decode()
    assert body.index("说明文章") < body.index("较早的规范性文件")
    assert "<link>http://edu.localhost/zfxxgk/fdzdgknr/zcwj/" in body


def test_an_invalid_filter_says_so_instead_of_listing_everything(client, cluster):
    _, edu, _ = cluster
    add_policy(edu, "教育局文件甲")
    html = library(client, "?year=abc&validity=unknown")
    assert 'role="alert"' in html and "年份" in html and "有效性" in html
    assert "教育局文件甲" not in html
