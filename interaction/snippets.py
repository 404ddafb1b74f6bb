"""Platform admins' settings of the mailboxes: 办理时限 (deadline policies per category, stage and
handling level) and 承办单位 (a site's own unit comes from provisioning; offices are added here,
each with its own 信件办理 and 信件审核 groups). No group holds a permission on either model, so
both stay platform-only (sites.access.platform_only): the admin gate closes their routes to
everyone else."""

from django import forms
from django.contrib.auth.models import Group
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from sites.models import SiteProfile

from .models import DeadlinePolicy, HandlingUnit
from .provisioning import add_office_groups, office_group_name


class DeadlinePolicyForm(WagtailAdminModelForm):
    level = forms.ChoiceField(
        label="办理层级",
        choices=[("", "所有层级"), *SiteProfile._meta.get_field("kind").choices],
        required=False,
        help_text="承办单位所属站点的类型。",
    )


class DeadlinePolicyViewSet(SnippetViewSet):
    model = DeadlinePolicy
    icon = "time"
    menu_label = "办理时限"
    menu_name = "letter-deadlines"
    add_to_settings_menu = True
    list_display = ["category", "stage", "level", "amount", "measure", "max_extension"]
    list_filter = ["category", "stage"]
    edit_handler = ObjectList(
        [
            FieldPanel("category"),
            FieldPanel("level"),
            FieldPanel("stage"),
            FieldPanel("amount"),
            FieldPanel("measure"),
            FieldPanel("max_extension"),
        ],
        base_form_class=DeadlinePolicyForm,
    )


class HandlingUnitForm(WagtailAdminModelForm):
    """A new unit is an office of a site's own unit; a site's own unit keeps no parent."""

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        own_unit = self.instance.pk and self.instance.parent_id is None
        if own_unit and parent is not None:
            raise forms.ValidationError("站点自身的承办单位没有上级单位。")
        if not own_unit and (parent is None or parent.parent_id is not None):
            raise forms.ValidationError("请选择一个站点的承办单位作为上级单位。")
        return parent

    def clean(self):
        data = super().clean()
        parent, name = data.get("parent"), data.get("name")
        if self.instance.pk is None and parent and name:
            office = HandlingUnit(site=parent.site, name=name)
            names = [office_group_name(office, role) for role in ("handler", "reviewer")]
            if Group.objects.filter(name__in=names).exists():
                self.add_error("name", "本站点已有同名的承办单位。")
        return data

    def save(self, commit=True):
        unit = self.instance
        if unit.pk is None:
            unit.site = unit.parent.site
            add_office_groups(unit)
        return super().save(commit)


class HandlingUnitViewSet(SnippetViewSet):
    model = HandlingUnit
    icon = "group"
    menu_label = "承办单位"
    menu_name = "handling-units"
    add_to_settings_menu = True
    list_display = ["name", "site", "parent", "active"]
    list_filter = ["site", "active"]
    search_fields = ["name"]
    edit_handler = ObjectList(
        [FieldPanel("parent"), FieldPanel("name"), FieldPanel("active")],
        base_form_class=HandlingUnitForm,
    )
