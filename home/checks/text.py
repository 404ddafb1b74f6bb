"""The text a page shows to the public, as located segments an editor can find again.

Each segment says where it comes from in the editor's words (「标题」, 「正文 第 3 段（正文段落）」,
「附件 第 1 项 · 显示名称」), so a check can tell the editor exactly what to change. The field and
block walkers are pure: they read values and never touch the database, so the page form can run
them on what is about to be saved and tests on hand-built values. `page_segments` adds a saved
page's inline-panel children, which may have to be read from the database.
"""

from dataclasses import dataclass
from html.parser import HTMLParser

from django.db import models
from modelcluster.models import get_all_child_relations
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.fields import RichTextField, StreamField
from wagtail.images.blocks import ImageBlock
from wagtail.models import Comment
from wagtail.rich_text import RichText

# Tags that start a new line in the rendered page: text on either side of them never reads as
# one phrase, so matching must not join it.
_BLOCK_TAGS = {
    *("p", "div", "br", "hr", "li", "ul", "ol", "blockquote", "pre"),
    *("h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "td", "th"),
}
# Treebeard's materialised path is an editable CharField, but it is tree bookkeeping, not text.
_NON_CONTENT_FIELDS = {"path"}


@dataclass(frozen=True)
class Segment:
    """A piece of public text and where the editor finds it."""

    location: str
    text: str


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        self.handle_starttag(tag, ())

    def handle_data(self, data):
        self.parts.append(data)


def html_to_text(html):
    """Rich text as plain text: inline markup vanishes without a trace (国家<b>工商</b> stays one
    phrase), block elements become line breaks, entities are decoded."""
    collector = _TextCollector()
    collector.feed(html)
    collector.close()
    return "".join(collector.parts)


def is_content_field(field):
    """Whether a model field holds text an editor writes and the public reads.

    Choices, slugs, URLs and e-mail addresses are codes rather than prose; non-editable fields
    (draft_title, url_path, 索引号) are derived from others or issued by the system.
    """
    return (
        isinstance(field, models.CharField | models.TextField | StreamField)
        and not isinstance(field, models.SlugField | models.URLField | models.EmailField)
        and field.editable
        and not field.choices
        and field.name not in _NON_CONTENT_FIELDS
    )


def content_fields(model):
    return [field for field in model._meta.concrete_fields if is_content_field(field)]


def field_segments(field, value, location=None):
    """Segments of one model field's value (str, rich text HTML or StreamValue)."""
    location = location or str(field.verbose_name)
    if isinstance(field, StreamField):
        yield from stream_segments(value, location)
    elif value:
        text = html_to_text(value) if isinstance(field, RichTextField) else value
        yield Segment(location, text)


def stream_segments(stream_value, location):
    """A StreamField's blocks, numbered as the editor sees them: 「正文 第 3 段（引用）」."""
    for number, child in enumerate(stream_value or (), start=1):
        where = f"{location} 第 {number} 段（{child.block.label}）"
        yield from block_segments(child.block, child.value, where)


def block_segments(block, value, location):
    """Walk one block value, descending into structs, lists and nested streams."""
    if value is None:
        return
    if isinstance(block, ImageBlock):
        # The image is a media object; its alt text, though, is read out to the public.
        if value.contextual_alt_text:
            yield Segment(f"{location} › 替代文字", value.contextual_alt_text)
    elif isinstance(block, blocks.StreamBlock):
        for number, child in enumerate(value, start=1):
            where = f"{location} › 第 {number} 项（{child.block.label}）"
            yield from block_segments(child.block, child.value, where)
    elif isinstance(block, blocks.StructBlock):
        for name, child_block in block.child_blocks.items():
            where = f"{location} › {child_block.label}"
            yield from block_segments(child_block, value.get(name), where)
    elif isinstance(block, blocks.ListBlock):
        for number, item in enumerate(value, start=1):
            yield from block_segments(block.child_block, item, f"{location} › 第 {number} 项")
    elif isinstance(block, blocks.RichTextBlock):
        source = value.source if isinstance(value, RichText) else value
        if source:
            yield Segment(location, html_to_text(source))
    elif isinstance(block, blocks.CharBlock | blocks.TextBlock):
        if value:
            yield Segment(location, value)
    elif isinstance(block, TableBlock):
        yield from _table_segments(value, location)


def _table_segments(value, location):
    if caption := value.get("table_caption"):
        yield Segment(f"{location} › 表格标题", caption)
    for row_number, row in enumerate(value.get("data") or (), start=1):
        for column_number, cell in enumerate(row or (), start=1):
            if cell:
                yield Segment(f"{location} › 第 {row_number} 行第 {column_number} 列", str(cell))


def is_public_child_model(model):
    """Child objects edited in inline panels (附件) are public; editors' comments are not."""
    return not issubclass(model, Comment)


def child_segments(model, objects_values):
    """Segments of inline-panel children given as one {field name: value} mapping per child.

    The form passes its formsets' cleaned data, the saved-page path the children's attributes,
    so both number the children the same way the inline panel shows them.
    """
    label = str(model._meta.verbose_name)
    fields = content_fields(model)
    for number, values in enumerate(objects_values, start=1):
        for field in fields:
            where = f"{label} 第 {number} 项 · {field.verbose_name}"
            yield from field_segments(field, values.get(field.name), where)


def page_segments(page):
    """Every public text of a page object, its inline-panel children included.

    Works on any page instance, including one rebuilt from a revision, whose children live in
    memory rather than in the database.
    """
    for field in content_fields(type(page)):
        yield from field_segments(field, getattr(page, field.attname))
    for relation in get_all_child_relations(page):
        model = relation.related_model
        if is_public_child_model(model):
            children = getattr(page, relation.get_accessor_name()).all()
            fields = content_fields(model)
            values = ({f.name: getattr(child, f.attname) for f in fields} for child in children)
            yield from child_segments(model, values)
