from django import forms
from django.utils.translation import gettext_lazy as _

from .models import SiteProfile
from .provisioning import SiteSpec, validate
from .standards import kind_choices, palette_choices


class ProvisionSiteForm(forms.Form):
    """The admin form a platform admin fills to provision one new site."""

    code = forms.CharField(
        label=_("站点代码"), max_length=30, help_text=_("成为域名第一段，如 fgw")
    )
    kind = forms.ChoiceField(label=_("站点类型"), choices=kind_choices, initial="department")
    name = forms.CharField(label=_("网站名称"), max_length=100, help_text=_("如 江州市教育局"))
    sponsor = forms.CharField(
        label=_("主办单位"), max_length=100, help_text=_("页脚所示主办单位全称")
    )
    site_id_code = forms.CharField(
        label=_("网站标识码"), max_length=10, help_text=_("10 位数字，如 3699000001")
    )
    organisation_code = forms.CharField(
        label=_("组织机构代码"),
        max_length=9,
        required=False,
        help_text=_("9 位数字或大写字母，如 000014349；用于生成政策文件索引号"),
    )
    icp_number = forms.CharField(
        label=_("ICP备案号"), max_length=50, help_text=_("如 赣ICP备2026000001号-1")
    )
    police_number = forms.CharField(
        label=_("公安机关备案号"), max_length=50, help_text=_("如 赣公网安备36990002000001号")
    )
    contact_phone = forms.CharField(
        label=_("联系电话"), max_length=50, help_text=_("如 0799-86990000")
    )
    contact_email = forms.EmailField(label=_("联系邮箱"), required=False)
    contact_address = forms.CharField(label=_("联系地址"), max_length=200)
    accent_colour = forms.ChoiceField(label=_("主题色"), choices=palette_choices)
    parent = forms.ChoiceField(label=_("上级单位网站"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [
            ("", "—"),
            *SiteProfile.objects.values_list("code", "name"),
        ]
        if SiteProfile.objects.filter(kind="portal").exists():  # there is only one portal
            self.fields["kind"].choices = [
                (value, label) for value, label in kind_choices() if value != "portal"
            ]

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.spec = SiteSpec(**{name: cleaned.get(name) or "" for name in self.fields})
        for problem in validate(self.spec, allow_existing=False):
            self.add_error(None, problem)
        return cleaned
