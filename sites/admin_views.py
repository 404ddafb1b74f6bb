"""Platform-admin screens: provision a site, archive it, restore it. Superusers only."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from runtime.views import PlatformAdminRequiredMixin

from .archiving import ArchivingError, archive_site, restore_site
from .forms import ProvisionSiteForm
from .models import SiteProfile
from .provisioning import ProvisioningError, provision_site


class ProvisionSiteView(PlatformAdminRequiredMixin, WagtailAdminTemplateMixin, FormView):
    form_class = ProvisionSiteForm
    template_name = "admin/form_page.html"
    page_title = "新建站点"
    header_icon = "site"
    extra_context = {
        "intro": "一次性创建完整站点：站点与域名、首页、标准栏目、五个角色用户组及其权限、"
        "素材库、三级审核流程。",
        "submit_label": "创建站点",
    }

    def form_valid(self, form):
        try:
            report = provision_site(form.spec, allow_existing=False)
        except ProvisioningError as error:
            for problem in error.problems:
                form.add_error(None, problem)
            return self.form_invalid(form)
        messages.success(
            self.request,
            f"已创建站点「{report.name}」（{report.hostname}），共 {len(report.added)} 项。",
        )
        return redirect("sites_profile:index")


class SiteLifecycleView(PlatformAdminRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Confirm, then archive or restore one site."""

    template_name = "sites/admin/confirm_lifecycle.html"
    header_icon = "site"
    action = None
    verb = None

    def dispatch(self, request, *args, **kwargs):
        self.profile = get_object_or_404(SiteProfile, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return f"{self.verb}站点"

    def get_context_data(self, **kwargs):
        return super().get_context_data(profile=self.profile, verb=self.verb, **kwargs)

    def post(self, request, *args, **kwargs):
        try:
            self.action(self.profile, user=request.user)
        except ArchivingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, f"站点「{self.profile.name}」已{self.verb}。")
        return redirect(reverse("sites_profile:edit", args=[self.profile.pk]))


class ArchiveSiteView(SiteLifecycleView):
    action = staticmethod(archive_site)
    verb = "归档"


class RestoreSiteView(SiteLifecycleView):
    action = staticmethod(restore_site)
    verb = "恢复"
