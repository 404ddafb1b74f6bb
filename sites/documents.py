"""Who may download a document: the public only once a live, public page uses it.

A document uploaded for a draft is private until the page is published: Wagtail serves every
document to anyone who knows its URL. Whether a public page uses it comes from Wagtail's
reference index, which records what each page's stored (live) content links to; the staff of
the document's own site may always download it.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from wagtail.models import Page, ReferenceIndex

from .access import public_pages_q, scope_of


def used_on_public_page(document):
    page_ids = (
        ReferenceIndex.get_references_to(document)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    )
    return Page.objects.filter(public_pages_q(), pk__in=[int(pk) for pk in page_ids]).exists()


def serve_public_documents_only(document, request):
    """`before_serve_document` hook: the site's 404 for a document this visitor may not see."""
    user = request.user
    own = type(document).objects.filter(pk=document.pk)
    if user.is_authenticated and scope_of(user).media(own).exists():
        return None
    if not used_on_public_page(document):
        raise Http404
