"""The two wording lists, read on every publish and therefore cached.

Platform admins edit the lists rarely and expect an edit to apply to the very next publish, so
the cached copy lives until a list changes: saving or deleting an entry drops it immediately
and again when the transaction commits (a reader in between may have cached the rows as they
were before the commit). A timeout bounds the life of a copy that some bulk update,
which sends no signals, left behind.
"""

from dataclasses import dataclass

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .scan import Entry

CACHE_KEY = "home.checks:wording-lists"
CACHE_TIMEOUT = 10 * 60

# Lazy model references: this module is imported while the models themselves are loading.
FORBIDDEN_MODEL = "home.ForbiddenExpression"
MISWRITING_MODEL = "home.Miswriting"


@dataclass(frozen=True)
class WordingLists:
    forbidden: tuple[Entry, ...]
    miswritings: tuple[Entry, ...]


def wording_lists():
    lists = cache.get(CACHE_KEY)
    if lists is None:
        lists = _load()
        cache.set(CACHE_KEY, lists, CACHE_TIMEOUT)
    return lists


def _load():
    forbidden = apps.get_model(FORBIDDEN_MODEL).objects.values_list("expression", "correct", "note")
    miswritings = apps.get_model(MISWRITING_MODEL).objects.values_list("wrong", "right")
    return WordingLists(
        forbidden=tuple(Entry(*row) for row in forbidden),
        miswritings=tuple(Entry(*row) for row in miswritings),
    )


@receiver(post_save, sender=FORBIDDEN_MODEL)
@receiver(post_delete, sender=FORBIDDEN_MODEL)
@receiver(post_save, sender=MISWRITING_MODEL)
@receiver(post_delete, sender=MISWRITING_MODEL)
def forget_wording_lists(**kwargs):
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY))
