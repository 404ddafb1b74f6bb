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
    kind = forms.ChoiceField(label=_("站点类型"), choices=kind_choices)
    name = forms.CharField(label=_("网站名称"), max_length=100)
    sponsor = forms.CharField(label=_("主办单位"), max_length=100)
    site_id_code = forms.CharField(label=_("网站标识码"), max_length=10)
    icp_number = forms.CharField(label=_("ICP备案号"), max_length=50)
    police_number = forms.CharField(label=_("公安机关备案号"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=50)
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

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        self.spec = SiteSpec(**{name: cleaned.get(name) or "" for name in self.fields})
        for problem in validate(self.spec, allow_existing=False):
            self.add_error(None, problem)
        return cleaned
