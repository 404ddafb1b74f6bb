"""The request parameters of a search, checked and turned into a SearchQuery.

One form for the search page and the JSON API, so both accept exactly the same parameters and
answer bad input with the same Chinese messages (docs/search-api.md lists them).
"""

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from sites.models import SiteProfile

from .query import MAX_PAGE_SIZE, MAX_QUERY_LENGTH, InvalidQuery, SearchQuery
from .registry import facet_labels, kind_labels

FIRST_YEAR = 1949
BASE_FACETS = ("site_code", "kind", "year")
POLICY_FACETS = ("issuing_organ", "validity")  # asked for when only policy documents are shown


def _site_choices():
    return SiteProfile.objects.active().values_list("code", "name")


def _kind_choices():
    return list(kind_labels().items())


def _year_choices():
    return [(str(year), str(year)) for year in range(FIRST_YEAR, timezone.now().year + 2)]


def _validity_choices():
    return list(facet_labels("validity").items())


def _choices_field(field_class, choices, invalid, **options):
    return field_class(
        choices=choices, required=False, error_messages={"invalid_choice": invalid}, **options
    )


class SearchForm(forms.Form):
    """q, scope, site, kind, year, issuing_organ, validity, sort, page and page_size.

    `profile` is the site answering the request: the scope `site` means that site, and it is
    the default scope everywhere but on the portal (and a host without a site), where all sites
    are searched. Giving `site` codes (facet clicks) searches those sites, whatever the scope.
    Once valid, `query` is the SearchQuery to run.
    """

    q = forms.CharField(
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "required": _("请输入搜索词。"),
            "max_length": _("搜索词不能超过 %(limit_value)d 个字。"),
            "null_characters_not_allowed": _("搜索词不能含有空字符（NUL）。"),
        },
    )
    scope = forms.ChoiceField(
        choices=[("site", _("本站")), ("all", _("全市"))],
        required=False,
        error_messages={"invalid_choice": _("搜索范围只能是“本站”（site）或“全市”（all）。")},
    )
    site = _choices_field(
        forms.MultipleChoiceField, _site_choices, _("没有代码为“%(value)s”的站点。")
    )
    kind = _choices_field(
        forms.MultipleChoiceField, _kind_choices, _("没有“%(value)s”这种内容类型。")
    )
    year = _choices_field(
        forms.TypedMultipleChoiceField, _year_choices, _("年份“%(value)s”无效。"), coerce=int
    )
    issuing_organ = forms.CharField(
        max_length=100,
        required=False,
        error_messages={"max_length": _("发布机构不能超过 %(limit_value)d 个字。")},
    )
    validity = _choices_field(
        forms.MultipleChoiceField, _validity_choices, _("有效性“%(value)s”无效。")
    )
    sort = forms.ChoiceField(
        choices=[("relevance", _("相关度")), ("date", _("日期"))],
        required=False,
        error_messages={
            "invalid_choice": _("排序方式只能是“相关度”（relevance）或“日期”（date）。")
        },
    )
    page = forms.IntegerField(
        min_value=1,
        required=False,
        error_messages={"invalid": _("页码须为正整数。"), "min_value": _("页码须为正整数。")},
    )
    page_size = forms.IntegerField(
        min_value=1,
        max_value=MAX_PAGE_SIZE,
        required=False,
        error_messages=dict.fromkeys(
            ("invalid", "min_value", "max_value"),
            format_lazy(_("每页条数须在 1 到 {} 之间。"), MAX_PAGE_SIZE),
        ),
    )

    def __init__(self, data=None, *, profile=None):
        super().__init__(data)
        self.profile = profile
        self.query = None

    @property
    def default_scope(self):
        return "site" if self.profile and self.profile.kind != "portal" else "all"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["scope"] = "all" if data["site"] or not self.profile else data["scope"]
        data["scope"] = data["scope"] or self.default_scope
        data["sort"] = data["sort"] or "relevance"
        try:
            self.query = SearchQuery(
                text=data["q"],
                filters=self._filters(data),
                facets=BASE_FACETS + (POLICY_FACETS if data["kind"] == ["policy"] else ()),
                sort=data["sort"],
                page=data["page"] or 1,
                page_size=data["page_size"] or 10,
            )
        except InvalidQuery as error:
            raise forms.ValidationError(str(error)) from None
        return data

    def _filters(self, data):
        sites = data["site"] or ([self.profile.code] if data["scope"] == "site" else [])
        return {
            "site_code": sites,
            "kind": data["kind"],
            "year": data["year"],
            "issuing_organ": data["issuing_organ"],
            "validity": data["validity"],
        }

    def error_messages(self):
        """Every problem with the parameters, as sentences to show."""
        return [message for errors in self.errors.values() for message in errors]
