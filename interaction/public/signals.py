"""What retires a mailbox's cached pages (home.page_cache): a letter published, withdrawn or
changed while published (its rating shows), and the monthly figures written."""

from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from home.page_cache import invalidate_sites

from ..models import Letter, MonthlyUnitStats
from .visibility import shows_in_public


def _retire_mailbox_of(instance):
    try:
        site = instance.mailbox.get_site()
    except ObjectDoesNotExist:  # deleted along with its mailbox
        return
    if site is not None:
        invalidate_sites(site.pk)


@receiver([post_save, post_delete], sender=Letter)
def letter_changed(instance, **kwargs):
    if shows_in_public(instance):
        _retire_mailbox_of(instance)


@receiver([post_save, post_delete], sender=MonthlyUnitStats)
def figures_changed(instance, **kwargs):
    _retire_mailbox_of(instance)
