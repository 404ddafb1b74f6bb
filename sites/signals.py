from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Site

from .archiving import ARCHIVED_HOSTS_CACHE_KEY
from .models import SiteProfile


@receiver([post_save, post_delete], sender=SiteProfile)
@receiver([post_save, post_delete], sender=Site)
def forget_archived_hosts(**kwargs):
    cache.delete(ARCHIVED_HOSTS_CACHE_KEY)
