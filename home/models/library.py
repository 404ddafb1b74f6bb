"""The portal's policy library (政策文件库): every site's live policy documents, by query."""

from django import forms
from django.core.paginator import Paginator
from django.db.models import Max, Min, Q
from django.utils import timezone
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from sites.models import SiteProfile
from sites.standards import policy_topic_choices

from .base import BasePage
from .policies import NOT_YET_EFFECTIVE, VALIDITY_LABELS, PolicyDocumentPage, validity_q


class PolicyFilterForm(forms.Form):
    q = forms.CharField(label=_("文号或标题"), required=False, max_length=60)
    organ = forms.ChoiceField(label=_("发布机构"), required=False)
    year = forms.TypedChoiceField(label=_("年份"), required=False, coerce=int, empty_value=None)
    topic = forms.ChoiceField(label=_("主题分类"), required=False)
    validity = forms.ChoiceField(label=_("有效性"), required=False)

    def __init__(self, data, documents):
        super().__init__(data)
        # A handful of rows from the database, not one per document: distinct organs, and the
        # span of years (extracting each row's local year costs a function call per row).
        organs = documents.order_by().values_list("issuing_organ", flat=True).distinct()
        span = documents.aggregate(first=Min("published_at"), last=Max("published_at"))
        years = (
            range(localtime(span["last"]).year, localtime(span["first"]).year - 1, -1)
            if span["last"]
            else ()
        )
        anything = [("", _("全部"))]
        self.fields["organ"].choices = anything + [(o, o) for o in sorted(organs)]
        self.fields["year"].choices = anything + [(y, y) for y in years]
        self.fields["topic"].choices = anything + policy_topic_choices()
        self.fields["validity"].choices = anything + list(VALIDITY_LABELS.items())

    def filter(self, documents):
        if not self.is_valid():
            return documents.none()
        data = self.cleaned_data
        if data["q"]:
            documents = documents.filter(
                Q(document_number__icontains=data["q"]) | Q(title__icontains=data["q"])
            )
        if data["organ"]:
            documents = documents.filter(issuing_organ=data["organ"])
        if data["year"]:
            documents = documents.filter(published_at__year=data["year"])
        if data["topic"]:
            documents = documents.filter(topic=data["topic"])
        if data["validity"]:
            documents = documents.filter(validity_q(data["validity"], timezone.localdate()))
        return documents


class PolicyLibraryPage(BasePage):
    """The policy library (政策文件库) of the portal.

    Lists every live policy document of every active site, gathered by query, never copied: a
    department's document appears the moment it is published and leaves when unpublished.
    Created on the portal by provisioning; has no children.
    """

    page_description = _(
        "政策文件库：自动汇集全市各站点已公开的政策文件，可按机构、年份、主题筛选。"
    )

    in_site_map = True
    parent_page_types = ["home.ColumnPage", "home.PortalHomePage"]
    subpage_types = []
    page_size = 20

    class Meta:
        verbose_name = _("政策文件库")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        documents = published_policy_documents()
        form = PolicyFilterForm(request.GET, documents)
        results = form.filter(documents).order_by("-published_at", "-pk")
        context["form"] = form
        context["documents"] = Paginator(results, self.page_size).get_page(request.GET.get("page"))
        context["not_yet_effective"] = NOT_YET_EFFECTIVE
        return context


def published_policy_documents():
    """Live, public documents of active sites (an archived site's documents leave the library)."""
    archived_roots = SiteProfile.objects.filter(status=SiteProfile.Status.ARCHIVED).values_list(
        "site__root_page__path", flat=True
    )
    documents = PolicyDocumentPage.objects.live().public()
    for root_path in archived_roots:
        documents = documents.exclude(path__startswith=root_path)
    return documents
