"""The content model: every public page type shares `BasePage`.

The tree is Root → site home (portal or site) → column (栏目) → item. Columns are created by
provisioning from the site kind's standard; editors add items and, where they need to, sub-columns.
"""

from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from sites.models import SiteProfile


class BodyBlock(blocks.StreamBlock):
    """The shared body vocabulary; the content issue extends it (tables, attachments, FAQ …)."""

    paragraph = blocks.RichTextBlock(
        label=_("正文段落"), features=["bold", "italic", "link", "ol", "ul"]
    )
    heading = blocks.CharBlock(label=_("小标题"), form_classname="title")


class BasePage(Page):
    """Abstract base of every public page: the meta tags and footer identity come from here.

    Not creatable itself. Templates take the site identity from the `site_profile` context
    variable and the column from `column`, for the national meta tags (SiteName, SiteIDCode,
    ColumnName, ArticleTitle, PubDate) and the footer.
    """

    class Meta:
        abstract = True

    @property
    def column(self):
        """The nearest column (栏目) this page is or lives in; None on a home page."""
        return (
            ColumnPage.objects.ancestor_of(self, inclusive=True).order_by("-depth").first()
        )


class PortalHomePage(BasePage):
    """Home page of the municipal portal (门户网站): news, notices and the 站群导航 of every site.

    Exactly one per cluster, created by provisioning the portal; edited by the portal's editors.
    """

    intro = models.TextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.ColumnPage"]

    class Meta:
        verbose_name = _("门户首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        sites = (
            SiteProfile.objects.active()
            .exclude(kind="portal")
            .select_related("site")
            .order_by("kind", "site_id_code")
        )
        context["directory"] = {
            "department": [site for site in sites if site.kind == "department"],
            "district": [site for site in sites if site.kind == "district"],
            "topic": [site for site in sites if site.kind == "topic"],
        }
        context["latest"] = latest_articles(self)
        return context


class SiteHomePage(BasePage):
    """Home page of a department, district or topic site, created by provisioning.

    Lives directly under the tree root; its columns come from the site kind's standard.
    """

    intro = models.TextField(_("简介"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["home.ColumnPage"]

    class Meta:
        verbose_name = _("站点首页")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["latest"] = latest_articles(self)
        return context


class ColumnPage(BasePage):
    """A column (栏目): lists its items newest first, paginated.

    Provisioning creates the standard columns of the site kind and records the cadence the
    standard requires (`update_days`) and whether it may be blank; editors may add sub-columns.
    """

    intro = RichTextField(_("栏目说明"), blank=True, features=["bold", "link"])
    update_days = models.PositiveSmallIntegerField(
        _("更新周期（天）"),
        null=True,
        blank=True,
        help_text=_("按标准须在此天数内更新；留空表示不要求定期更新。"),
    )
    blank_allowed = models.BooleanField(
        _("允许为空"), default=False, help_text=_("仅用于只含子栏目的栏目。")
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(
            [FieldPanel("update_days"), FieldPanel("blank_allowed")], heading=_("栏目标准")
        ),
    ]
    parent_page_types = ["home.PortalHomePage", "home.SiteHomePage", "home.ColumnPage"]
    subpage_types = ["home.ColumnPage", "home.ArticlePage"]
    page_size = 20

    class Meta:
        verbose_name = _("栏目")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = ArticlePage.objects.child_of(self).live().order_by("-published_at", "-pk")
        context["items"] = Paginator(items, self.page_size).get_page(request.GET.get("page"))
        context["subcolumns"] = ColumnPage.objects.child_of(self).live().in_menu()
        return context


class ArticlePage(BasePage):
    """An item of a column: 要闻, 工作动态, 通知公告 and the like.

    Lives in a column; written by the site's editors and published through the site's
    three-step review. The publication time is shown as YYYY-MM-DD HH:MM.
    """

    lead = models.TextField(_("摘要"), blank=True)
    source = models.CharField(_("来源"), max_length=100, blank=True)
    author = models.CharField(_("作者"), max_length=100, blank=True)
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now, db_index=True)
    body = StreamField(BodyBlock(), verbose_name=_("正文"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("lead"),
        MultiFieldPanel(
            [FieldPanel("source"), FieldPanel("author"), FieldPanel("published_at")],
            heading=_("发布信息"),
        ),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("lead"),
        index.SearchField("body"),
    ]
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("文章")


def latest_articles(home, limit=8):
    return (
        ArticlePage.objects.descendant_of(home)
        .live()
        .order_by("-published_at")
        .only("title", "url_path", "published_at", "path", "depth")[:limit]
    )
