"""Archiving a site takes it offline without losing anything; restoring brings it back as it was.

Pages stay in the tree with their live state untouched; `ArchivedSiteMiddleware` answers every
public URL of an archived site's hostname with a 301 to a notice on the portal. Restoring is
therefore exact: the same pages come back at the same URLs.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from .models import SiteProfile

ARCHIVED_HOSTS_CACHE_KEY = "sites:archived-hosts"


class ArchivingError(Exception):
    pass


def archive_site(profile, *, user=None):
    if profile.kind == "portal":
        raise ArchivingError("门户网站不能归档")
    if profile.is_archived:
        raise ArchivingError(f"站点「{profile.name}」已经归档")
    with transaction.atomic():
        profile.status = SiteProfile.Status.ARCHIVED
        profile.archived_at = timezone.now()
        profile.save(update_fields=["status", "archived_at", "updated_at"])
        log(instance=profile, action="sites.archive", user=user)


def restore_site(profile, *, user=None):
    if not profile.is_archived:
        raise ArchivingError(f"站点「{profile.name}」未归档，无需恢复")
    with transaction.atomic():
        profile.status = SiteProfile.Status.ACTIVE
        profile.archived_at = None
        profile.save(update_fields=["status", "archived_at", "updated_at"])
        log(instance=profile, action="sites.restore", user=user)


def archived_hosts():
    """hostname → site code of every archived site; cached, cleared whenever a profile changes."""
    return cache.get_or_set(
        ARCHIVED_HOSTS_CACHE_KEY,
        lambda: dict(
            SiteProfile.objects.filter(status=SiteProfile.Status.ARCHIVED).values_list(
                "site__hostname", "code"
            )
        ),
        timeout=None,
    )
