"""The one body vocabulary shared by every content page (DESIGN §8: blocks point at components).

Each block renders through its own template under `templates/components/blocks/`.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.contrib.table_block.blocks import TableBlock
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

RICH_TEXT_FEATURES = ["bold", "italic", "link", "document-link", "ol", "ul", "superscript"]


def component(name):
    return f"components/blocks/{name}.html"


class FigureBlock(blocks.StructBlock):
    """An image with alt text (required unless marked decorative) and an optional caption."""

    image = ImageBlock(label=_("图片"))
    caption = blocks.CharBlock(label=_("图注"), required=False)

    class Meta:
        icon = "image"
        label = _("图片")
        template = component("figure")


class AttachmentListBlock(blocks.StructBlock):
    """A titled list of downloadable documents (附件)."""

    heading = blocks.CharBlock(label=_("标题"), required=False, default="附件")
    documents = blocks.ListBlock(DocumentChooserBlock(label=_("文件")), min_num=1)

    class Meta:
        icon = "doc-full"
        label = _("附件列表")
        template = component("attachment_list")


class VideoBlock(blocks.StructBlock):
    """A self-hosted video with a WebVTT caption file, required for accessibility."""

    video = DocumentChooserBlock(label=_("视频文件（MP4）"))
    captions = DocumentChooserBlock(label=_("字幕文件（WebVTT）"))
    title = blocks.CharBlock(label=_("视频标题"))
    transcript = blocks.TextBlock(label=_("文字稿"), required=False)

    class Meta:
        icon = "media"
        label = _("视频")
        template = component("video")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        if value["video"].file_extension.lower() != "mp4":
            errors["video"] = ValidationError(_("视频须为 MP4 文件"))
        if value["captions"].file_extension.lower() != "vtt":
            errors["captions"] = ValidationError(_("字幕须为 WebVTT（.vtt）文件"))
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("引文"))
    source = blocks.CharBlock(label=_("出处"), required=False)

    class Meta:
        icon = "openquote"
        label = _("引用")
        template = component("quote")


class CalloutBlock(blocks.StructBlock):
    """A highlighted notice inside a body: information, a reminder or a warning."""

    tone = blocks.ChoiceBlock(
        choices=[("info", _("说明")), ("reminder", _("温馨提示")), ("warning", _("重要提醒"))],
        default="info",
        label=_("类型"),
    )
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("内容"))

    class Meta:
        icon = "warning"
        label = _("提示框")
        template = component("callout")


class FAQBlock(blocks.StructBlock):
    items = blocks.ListBlock(
        blocks.StructBlock(
            [
                ("question", blocks.CharBlock(label=_("问题"))),
                ("answer", blocks.RichTextBlock(features=RICH_TEXT_FEATURES, label=_("回答"))),
            ]
        ),
        min_num=1,
        label=_("问答"),
    )

    class Meta:
        icon = "help"
        label = _("问答")
        template = component("faq")


class BodyBlock(blocks.StreamBlock):
    """Body of articles, policy documents and interpretations."""

    paragraph = blocks.RichTextBlock(
        features=RICH_TEXT_FEATURES, label=_("正文段落"), template=component("paragraph")
    )
    heading = blocks.CharBlock(
        label=_("小标题"), form_classname="title", template=component("heading")
    )
    figure = FigureBlock()
    table = TableBlock(label=_("表格"), template=component("table"))
    attachments = AttachmentListBlock()
    video = VideoBlock()
    quote = QuoteBlock()
    callout = CalloutBlock()
    faq = FAQBlock()
    embed = EmbedBlock(label=_("嵌入内容"), template=component("embed"))
