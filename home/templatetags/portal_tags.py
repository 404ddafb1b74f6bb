"""Parts of the portal home page that come from the declared standards, not from pages."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

from sites.standards import load_standards

register = template.Library()


@register.inclusion_tag("components/service_list.html")
def most_used_services():
    """The most-used services (常用服务), each opening the search for it until the service
    catalogue exists."""
    standards = load_standards()
    search_url = reverse("search")
    return {
        "services": [
            {"title": service.title, "url": f"{search_url}?{urlencode({'q': service.query})}"}
            for service in standards.portal_services
        ],
        "more_url": standards.portal_services_more,
    }
