"""The import format (docs/content-import.md): one JSON object per line, read into a `Record`.

Nothing here touches the database. A line that passes has the right types, aware datetimes and
values from every closed vocabulary (type, 主题分类, 有效性, 解读形式, 发文字号 pattern), so what
is left for later is only what needs the site: its columns, earlier imports and the files.
"""

import json
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from wagtail.contrib.redirects.models import Redirect

from home.models.policies import InterpretationKind, Validity, validate_document_number
from sites.standards import load_standards

from .errors import LineError

# The format defines a naive time as Beijing time whatever the server's TIME_ZONE: what a file
# means must not depend on the settings of the machine that happens to import it.
SHANGHAI = ZoneInfo("Asia/Shanghai")

ITEM_TYPES = ("article", "policy", "interpretation")
FIELDS = {
    "type": "类型",
    "column": "栏目",
    "title": "标题",
    "body_html": "正文",
    "published_at": "发布时间",
    "legacy_url": "旧网址",
    "lead": "摘要",
    "source": "来源",
    "author": "作者",
    "attachments": "附件",
    "policy": "公开目录信息",
    "policies": "解读的政策文件",
    "kind": "解读形式",
}
REQUIRED = ("type", "column", "title", "published_at", "legacy_url")
TYPE_ONLY_FIELDS = {"policy": "policy", "policies": "interpretation", "kind": "interpretation"}
POLICY_FIELDS = {
    "document_number": "发文字号",
    "issuing_organ": "发布机构",
    "written_date": "成文日期",
    "topic": "主题分类",
    "validity": "有效性",
    "effective_date": "施行日期",
    "expiry_date": "有效期至",
}
POLICY_REQUIRED = ("written_date", "topic")
REDIRECT_PATH_LENGTH = Redirect._meta.get_field("old_path").max_length


@dataclass(frozen=True)
class LegacyAddress:
    """Where an item lived on the old site: the host decides the redirect's site, the path is
    stored exactly as Wagtail's Redirect stores it, so lookups match what the middleware asks."""

    url: str
    host: str
    path: str


@dataclass(frozen=True)
class AttachmentRef:
    path: str  # relative to the folder of the import file
    title: str = ""


@dataclass(frozen=True)
class PolicyMetadata:
    written_date: date
    topic: str
    document_number: str = ""
    issuing_organ: str = ""
    validity: str = Validity.VALID
    effective_date: date | None = None
    expiry_date: date | None = None


@dataclass(frozen=True)
class Record:
    """One item to import, typed; `policies` holds legacy addresses or 发文字号."""

    type: str
    column: str
    title: str
    body_html: str
    published_at: datetime
    legacy: LegacyAddress
    lead: str = ""
    source: str = ""
    author: str = ""
    attachments: tuple[AttachmentRef, ...] = ()
    policy: PolicyMetadata | None = None
    policies: tuple[LegacyAddress | str, ...] = ()
    kind: str = InterpretationKind.TEXT


def parse_line(text):
    """The record of one line of the file, or LineError naming the first problem."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise LineError(f"不是有效的 JSON（第 {error.colno} 列：{error.msg}）") from None
    if not isinstance(data, dict):
        raise LineError("每行须为一个 JSON 对象（{…}）")
    fields = _Fields(data, FIELDS)
    fields.reject_unknown()
    fields.require(REQUIRED)
    fields.require(["body_html"], allow_empty=True)  # an item may be only its attachments
    item_type = fields.choice("type", ITEM_TYPES)
    for name, only_for in TYPE_ONLY_FIELDS.items():
        if name in data and item_type != only_for:
            raise LineError(f"{fields.name(name)}只用于类型为 {only_for} 的条目")
    column = fields.text("column").strip().strip("/")
    title = fields.text("title").strip()
    if not column:
        raise LineError(f"{fields.name('column')}不能为空")
    if not title:
        raise LineError(f"{fields.name('title')}不能为空")
    if any(unicodedata.category(char) == "Cc" for char in title):
        raise LineError(f"{fields.name('title')}含控制字符（如 NUL），请删除后再导入")
    return Record(
        type=item_type,
        column=column,
        title=title,
        body_html=fields.text("body_html"),
        published_at=fields.datetime("published_at"),
        legacy=parse_legacy_url(fields.text("legacy_url"), fields.name("legacy_url")),
        lead=fields.text("lead").strip(),
        source=fields.text("source").strip(),
        author=fields.text("author").strip(),
        attachments=_attachments(fields),
        policy=_policy(fields) if item_type == "policy" else None,
        policies=_policy_references(fields) if item_type == "interpretation" else (),
        kind=fields.choice("kind", InterpretationKind.values, default=InterpretationKind.TEXT),
    )


def parse_legacy_url(value, name):
    """An absolute http(s) URL of the old site, reduced to what a Redirect matches on."""
    try:
        parts = urlsplit(value.strip())
        host = parts.hostname
    except ValueError:  # such as an unclosed [IPv6] host
        host = None
    if not host or parts.scheme not in ("http", "https"):
        raise LineError(f"{name}「{value}」须为完整网址（以 http:// 或 https:// 开头）")
    path = Redirect.normalise_path(value.strip())
    if path == "/":
        raise LineError(f"{name}「{value}」是旧网站首页，不能作为条目的旧网址")
    if len(path) > REDIRECT_PATH_LENGTH:
        raise LineError(f"{name}的路径超过 {REDIRECT_PATH_LENGTH} 个字符，无法建立重定向")
    return LegacyAddress(url=value.strip(), host=host, path=path)


def _attachments(fields):
    refs = []
    for entry in fields.list("attachments"):
        if isinstance(entry, str):
            entry = {"path": entry}
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str):
            raise LineError(
                f"{fields.name('attachments')}的每一项须为文件路径，或含 path（及可选 title）的对象"
            )
        item = _Fields(entry, {"path": "文件路径", "title": "显示名称"}, "attachments.")
        item.reject_unknown()
        refs.append(AttachmentRef(path=item.text("path").strip(), title=item.text("title").strip()))
    return tuple(refs)


def _policy(line_fields):
    line_fields.require(["policy"])
    data = line_fields.data["policy"]
    if not isinstance(data, dict):
        raise LineError("「policy」（公开目录信息）须为 JSON 对象")
    fields = _Fields(data, POLICY_FIELDS, "policy.")
    fields.reject_unknown()
    fields.require(POLICY_REQUIRED)
    topics = load_standards().policy_topics
    document_number = fields.text("document_number").strip()
    if document_number:
        try:
            validate_document_number(document_number)
        except ValidationError as error:
            raise LineError(error.messages[0]) from None
    topic = fields.text("topic").strip()
    if topic not in topics:
        # Topics themselves contain 、 (财政、金融、审计), so each is quoted on its own.
        choices = "".join(f"「{choice}」" for choice in topics)
        raise LineError(f"主题分类「{topic}」不在平台标准中，可选：{choices}")
    return PolicyMetadata(
        document_number=document_number,
        issuing_organ=fields.text("issuing_organ").strip(),
        written_date=fields.date("written_date"),
        topic=topic,
        validity=fields.choice("validity", Validity.values, default=Validity.VALID),
        effective_date=fields.date("effective_date"),
        expiry_date=fields.date("expiry_date"),
    )


def _policy_references(fields):
    fields.require(["policies"])
    references = []
    for value in fields.list("policies"):
        if not isinstance(value, str) or not value.strip():
            raise LineError(f"{fields.name('policies')}的每一项须为旧网址或发文字号")
        value = value.strip()
        if value.startswith(("http://", "https://")):
            references.append(parse_legacy_url(value, fields.name("policies")))
            continue
        try:
            validate_document_number(value)
        except ValidationError:
            raise LineError(
                f"{fields.name('policies')}中的「{value}」既不是旧网址，也不是规范的发文字号"
            ) from None
        references.append(value)
    if not references:
        raise LineError(f"{fields.name('policies')}不能为空：政策解读须关联至少一个政策文件")
    return tuple(references)


class _Fields:
    """Typed access to one JSON object, with messages that name the field as the file does."""

    def __init__(self, data, labels, prefix=""):
        self.data = data
        self.labels = labels
        self.prefix = prefix

    def name(self, key):
        return f"「{self.prefix}{key}」（{self.labels[key]}）"

    def reject_unknown(self):
        unknown = sorted(set(self.data) - set(self.labels))
        if unknown:
            names = "、".join(f"「{self.prefix}{key}」" for key in unknown)
            raise LineError(f"未知字段{names}")

    def require(self, keys, *, allow_empty=False):
        for key in keys:
            value = self.data.get(key)
            if value is None or (value == "" and not allow_empty):
                raise LineError(f"缺少字段{self.name(key)}")

    def text(self, key):
        value = self.data.get(key, "")
        if value is None:
            return ""
        if not isinstance(value, str):
            raise LineError(f"{self.name(key)}须为字符串")
        return value

    def list(self, key):
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            raise LineError(f"{self.name(key)}须为列表（[…]）")
        return value

    def choice(self, key, choices, default=None):
        value = self.text(key).strip() or default
        if value not in choices:
            raise LineError(f"{self.name(key)}「{value}」无效，可选：{'、'.join(choices)}")
        return value

    def datetime(self, key):
        value = self.text(key).strip()
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise LineError(
                f"{self.name(key)}「{value}」不是有效的 ISO 8601 时间，例如 2025-03-05T09:30:00"
            ) from None
        return moment if moment.tzinfo else moment.replace(tzinfo=SHANGHAI)

    def date(self, key):
        value = self.text(key).strip()
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise LineError(
                f"{self.name(key)}「{value}」不是有效的日期，格式须为 2025-03-05"
            ) from None
