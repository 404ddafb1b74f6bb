"""What queues search index updates (search.indexing.enqueue).

Pages change what the public sees when they are published, unpublished, moved (their URL and
perhaps their site change, and their descendants' too), deleted, restricted or opened, or
created live without a publish (copies; aliases are created live too and are skipped by the
adapter). Drafts never touch the index. Other registered models are queued on every save and
delete (`watch_model`, called by search.registry.register) that their adapter `watches`.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from .indexing import enqueue
from .models import SynonymGroup
from .registry import adapter_for
from .synonyms import forget_synonyms


@receiver(page_published)
@receiver(page_unpublished)
def page_visibility_changed(instance, **kwargs):
    enqueue([instance])


@receiver(post_page_move)
def page_moved(instance, **kwargs):
    enqueue(_subtree(instance.pk))


@receiver(post_save)
def live_page_created(sender, instance, created, **kwargs):
    if created and isinstance(instance, Page) and instance.live:
        enqueue([instance])


@receiver(post_delete)
def page_deleted(sender, instance, **kwargs):
    if isinstance(instance, Page):
        enqueue([instance])


@receiver([post_save, post_delete], sender=PageViewRestriction)
def view_restriction_changed(instance, **kwargs):
    enqueue(_subtree(instance.page_id))


def _subtree(page_id):
    """The page as stored now (after a move) and its descendants; nothing if it is gone."""
    page = Page.objects.filter(pk=page_id).first()
    return Page.objects.descendant_of(page, inclusive=True).only("pk") if page else []


@receiver([post_save, post_delete], sender=SynonymGroup)
def synonyms_changed(**kwargs):
    forget_synonyms()


def _object_changed(instance, **kwargs):
    adapter = adapter_for(instance)
    if adapter is None or adapter.watches(instance):
        enqueue([instance])


def watch_model(model):
    for signal in (post_save, post_delete):
        signal.connect(
            _object_changed, sender=model, weak=False, dispatch_uid=f"search:{model._meta.label}"
        )
