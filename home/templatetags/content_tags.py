"""Tags for the parts of an item page that need more than its fields."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("components/attachment_list.html", takes_context=True)
def page_attachments(context, page):
    """The page's attachments (附件) in the shared attachment list, with their display names."""
    attachments = page.attachments.select_related("document")
    return {
        "site_profile": context.get("site_profile"),
        "heading": _("附件"),
        "heading_id": "attachments-heading",
        "files": [
            {
                "title": attachment.display_title,
                "url": attachment.document.url,
                "file_extension": attachment.document.file_extension,
            }
            for attachment in attachments
        ],
    }
