"""The search status page (设置 → 搜索引擎状态), for platform admins only."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .status import current_status


class SearchStatusMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


class SearchStatusView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "search/admin/status.html"
    page_title = _("搜索引擎状态")
    header_icon = "search"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(status=current_status(), **kwargs)
