"""What retires cached public pages (see `home.page_cache`).

A page change retires its own site and the portal, which gathers every site's policy documents
and shows syndicated items. Site identity, branding and media retire the whole cluster: they
appear in headers, footers, the 站群导航 and image renditions of every site. These are rare.
"""

from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from sites.models import SiteProfile

from .page_cache import invalidate_cluster, invalidate_sites


def _retire_site_and_portal(*pages):
    shown_on = [shown for page in pages for shown in _pages_showing(page)]
    site_ids = {site.pk for page in [*pages, *shown_on] if (site := page.get_site()) is not None}
    portal = Site.objects.filter(is_default_site=True).values_list("pk", flat=True).first()
    invalidate_sites(*site_ids, *filter(None, [portal]))


def _pages_showing(page):
    showing = getattr(page, "pages_showing_this", None)  # on BasePage; signals may send a Page
    return list(showing()) if showing else []


@receiver(page_published)
@receiver(page_unpublished)
def page_visibility_changed(instance, **kwargs):
    _retire_site_and_portal(instance)


@receiver(post_page_move)
def page_moved(instance, parent_page_before, parent_page_after, **kwargs):
    _retire_site_and_portal(instance, parent_page_before, parent_page_after)


@receiver(post_save)
def live_page_created(sender, instance, created, **kwargs):
    """Aliases (信息报送) and copies are created live without a publish signal."""
    if created and isinstance(instance, Page) and instance.live:
        _retire_site_and_portal(instance)


@receiver(pre_delete)
def page_deleted(sender, instance, **kwargs):
    """Before the rows go, while an interpretation still knows its policy documents. A page is
    deleted as one instance per table of its class chain: act on the most specific one only."""
    if isinstance(instance, Page) and sender is instance.specific_class:
        _retire_site_and_portal(instance)


@receiver([post_save, post_delete], sender=SiteProfile)
@receiver([post_save, post_delete], sender=Site)
@receiver([post_save, post_delete], sender=get_image_model())
@receiver([post_save, post_delete], sender=get_document_model())
def cluster_identity_or_media_changed(**kwargs):
    invalidate_cluster()
