"""Articles (要闻 / 工作动态 / 通知公告) and their attachments.

Policy documents and interpretations are articles too (multi-table inheritance), so a column
lists every kind of item in one query ordered by publication time.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.query import PageQuerySet
from wagtail.search import index

from ..blocks import BodyBlock
from .base import BasePage


class ArticleQuerySet(PageQuerySet):
    def latest_in(self, ancestor, limit=8):
        return (
            self.descendant_of(ancestor)
            .live()
            .public()
            .order_by("-published_at")
            .only("title", "url_path", "published_at", "path", "depth")[:limit]
        )


class ArticlePage(BasePage):
    """An item of a column: 要闻, 工作动态, 通知公告 and the like.

    Lives in a column; written by the site's editors and published through the site's
    three-step review. The publication time is shown as YYYY-MM-DD HH:MM.
    """

    page_description = _("新闻、动态、通知公告等一般信息，发布在栏目下，经三级审核后公开。")

    lead = models.TextField(_("摘要"), blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("封面图"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    cover_alt = models.CharField(
        _("封面图替代文字"),
        max_length=200,
        blank=True,
        help_text=_("为视障读者描述封面图的内容；设置封面图时必填。"),
    )
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)

    objects = PageManager.from_queryset(ArticleQuerySet)()

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("author"), FieldPanel("published_at")],
            heading=_("发布信息"),
        ),
        MultiFieldPanel([FieldPanel("cover_image"), FieldPanel("cover_alt")], heading=_("封面")),
        FieldPanel("body"),
        InlinePanel("attachments", label=_("附件")),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
        index.FilterField("published_at"),
    ]
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []
    attachment_extensions = None  # any of WAGTAILDOCS_EXTENSIONS

    class Meta:
        verbose_name = _("文章")

    def clean(self):
        super().clean()
        if self.cover_image_id and not self.cover_alt.strip():
            raise ValidationError({"cover_alt": _("设置封面图时须填写替代文字。")})

    @property
    def column(self):
        return self.get_parent()


class Attachment(Orderable):
    """A downloadable file attached to an item (附件), shown under its body."""

    page = ParentalKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="attachments")
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.CASCADE, related_name="+", verbose_name=_("文件")
    )
    title = models.CharField(_("显示名称"), max_length=200, blank=True)

    panels = [FieldPanel("document"), FieldPanel("title")]

    class Meta(Orderable.Meta):
        verbose_name = _("附件")

    @property
    def display_title(self):
        return self.title or self.document.title

    def clean(self):
        if self.page_id is None or self.document_id is None:
            return  # a new page's rows: the page form checks them (home.forms.PageForm)
        error = attachment_format_error(type(self.page.specific), self.document)
        if error:
            raise ValidationError({"document": error})


def attachment_format_error(page_class, document):
    """Why `document` may not be attached to a page of `page_class`, or None if it may."""
    allowed = getattr(page_class, "attachment_extensions", None)
    if allowed and document.file_extension.lower() not in allowed:
        return _("附件格式须为：%s") % "、".join(e.upper() for e in allowed)
    return None
