"""The admin forms of the shared resource library; the rules themselves live in services."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from ..models import ColumnPage
from .services import portal_columns, pushable_sites

COLUMN_PATH_VALIDATOR = RegexValidator(
    r"^[a-z0-9-]+(/[a-z0-9-]+)*$", _("栏目路径由小写字母、数字和连字符组成，以 / 分级。")
)


class SubmitForm(forms.Form):
    """Choose the portal column an article is submitted to."""

    target_column = forms.ModelChoiceField(
        label=_("报送栏目"),
        queryset=ColumnPage.objects.none(),
        help_text=_("门户网站中接收此文章的栏目；门户审核通过后，文章以引用方式出现在该栏目。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_column"].queryset = portal_columns()


class DecisionForm(forms.Form):
    """Confirm accepting a submission, with an optional comment for the submitting site."""

    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("报送单位将看到此意见。"),
    )


class RejectForm(DecisionForm):
    """Confirm rejecting a submission; the submitting site is owed a reason."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        self.fields["reason"].label = _("不予采用的理由")


class SiteCheckboxes(forms.CheckboxSelectMultiple):
    """One checkbox per site, which Wagtail's bulk-selection controller ticks all at once."""

    def create_option(self, *args, **kwargs):
        option = super().create_option(*args, **kwargs)
        option["attrs"].update({"data-action": "w-bulk#toggle", "data-w-bulk-target": "item"})
        return option


class SiteChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, site):
        return f"{site.name}（{site.site.hostname}）"


class PushForm(forms.Form):
    """Choose the sites, and the column of each, that a portal notice is pushed to."""

    sites = SiteChoiceField(label=_("推送至站点"), queryset=None, widget=SiteCheckboxes)
    column_path = forms.CharField(
        label=_("栏目路径"),
        max_length=200,
        validators=[COLUMN_PATH_VALIDATOR],
        help_text=_("各站点中接收此文章的栏目，相对于站点首页，如 tzgg；没有此栏目的站点将跳过。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sites"].queryset = pushable_sites().order_by("kind", "code")
