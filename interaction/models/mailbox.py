from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page

from .letters import Category
from .units import HandlingUnit

DEFAULT_CATEGORIES = [c.value for c in Category if c != Category.PRAISE]


def default_categories():
    return list(DEFAULT_CATEGORIES)


class MailboxPageForm(WagtailAdminPageForm):
    categories = forms.MultipleChoiceField(
        label="受理类型", choices=Category.choices, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        page = self.instance if self.instance.pk else parent_page
        site = page.get_site() if page else None
        if "unit" in self.fields and site is not None:
            self.fields["unit"].queryset = HandlingUnit.objects.filter(site__site=site)

    def clean_unit(self):
        unit = self.cleaned_data.get("unit")
        site = self.instance.get_site() if self.instance.pk else None
        if unit and site and unit.site.site_id != site.pk:
            raise ValidationError("只能选择本站点的承办单位负责调度。")
        return unit


def _public(name):
    """A route served by interaction.public.views.<name> (imported when called, since those
    views import the models)."""

    def route(page, request, *args, **kwargs):
        from ..public import views

        return getattr(views, name)(page, request, *args, **kwargs)

    route.__name__ = name
    return route


class MailboxPage(RoutablePageMixin, Page):
    """A leader's mailbox (市长信箱, 局长信箱, 区长信箱 …) in a site's 互动交流 column: the
    public writes letters here, follows them with a 查询码 and reads the published ones.

    Routes: "" (index: intro and the public letters), write/, query/ (the writer's timeline
    and rating), letters/<pk>/ (one published letter) and stats/ (monthly figures per unit)."""

    intro = RichTextField("信箱说明", blank=True, features=["bold", "link"])
    categories = models.JSONField("受理类型", default=default_categories)
    unit = models.ForeignKey(
        "interaction.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="mailboxes",
        verbose_name="调度单位",
        help_text="受理来信并派单的单位，其“信件调度”组的成员处理本信箱的新来信。",
    )
    publish_letters = models.BooleanField(
        "公开来信", default=True, help_text="来信人同意且经审核后，来信与答复在本信箱公开。"
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(
            [FieldPanel("categories"), FieldPanel("unit"), FieldPanel("publish_letters")],
            heading="信箱设置",
        ),
    ]
    base_form_class = MailboxPageForm
    in_site_map = True
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = "领导信箱"

    def category_choices(self):
        return [(c.value, c.label) for c in Category if c.value in self.categories]

    index = path("", name="index")(_public("index"))
    write = path("write/", name="write")(_public("write"))
    query = path("query/", name="query")(_public("query"))
    letter = path("letters/<int:pk>/", name="letter")(_public("letter"))
    stats = path("stats/", name="stats")(_public("stats"))
