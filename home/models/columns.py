"""Columns (栏目): the structural pages provisioning creates from each site kind's standard."""

from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.db import models
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from .base import BasePage


class ColumnPage(RoutablePageMixin, BasePage):
    """A column (栏目): lists its items newest first, paginated, with an RSS feed at `feed/`.

    Provisioning creates the standard columns of the site kind and records the cadence the
    standard requires (`update_days`) and whether it may be blank; editors may add sub-columns.
    """

    page_description = _("栏目：按发布时间列出其中的信息，可含下级栏目。")

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
    in_site_map = True
    parent_page_types = ["home.PortalHomePage", "home.SiteHomePage", "home.ColumnPage"]
    subpage_types = [
        "home.ColumnPage",
        "home.ArticlePage",
        "home.PolicyDocumentPage",
        "home.InterpretationPage",
        "home.PolicyLibraryPage",
        # Named, not imported: interaction sits above home (DESIGN §14).
        "interaction.MailboxPage",
    ]
    page_size = 20
    feed_size = 30
    subcolumn_items = 5

    class Meta:
        verbose_name = _("栏目")

    def items(self):
        from .articles import ArticlePage

        return ArticlePage.objects.child_of(self).live().public().order_by("-published_at", "-pk")

    def subcolumns(self):
        """The live sub-columns, each with its newest items (`latest`): a landing column such as
        政府信息公开 shows its children's content, so it never looks blank to a visitor."""
        columns = list(ColumnPage.objects.child_of(self).live().public())
        for column in columns:
            column.latest = list(column.items()[: self.subcolumn_items])
        return columns

    @path("")
    def listing(self, request):
        page = Paginator(self.items(), self.page_size).get_page(request.GET.get("page"))
        return self.render(
            request, context_overrides={"items": page, "subcolumns": self.subcolumns()}
        )

    @path("feed/")
    def feed(self, request):
        return ColumnFeed(self)(request)


class ColumnFeed(Feed):
    """RSS 2.0 of a column's newest items."""

    feed_type = Rss201rev2Feed

    def __init__(self, column):
        super().__init__()
        self.column = column

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.column

    def title(self, column):
        return column.title

    def link(self, column):
        return column.get_url(self.request)

    def description(self, column):
        return column.search_description or column.title

    def items(self, column):
        return column.items().specific()[: column.feed_size]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.get_url(self.request)

    def item_pubdate(self, item):
        return item.published_at
