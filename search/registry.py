"""The registry of everything that is searchable, and how each model maps to a document.

Each app declares what it indexes in its own `search_documents.py` (imported when the search app
is ready): `register(Model, SomeAdapter(...))`. The indexing machinery never knows about
concrete models; it asks the registry for the adapter of an object and the adapter for the
documents. Pages are indexed on publish/unpublish/move/delete (search.signals); every other
registered model on save and delete.
"""

from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule
from wagtail.models import Page

_adapters = {}


class SearchAdapter:
    """How one model becomes search documents. Subclass per family of models."""

    kinds = {}  # kind → label this adapter produces, e.g. {"policy": "政策文件"}
    labels = {}  # filter field → {value: label}, for facets (e.g. validity)
    navigation = False  # pages that lead elsewhere (site homes, columns), not content items

    def __init__(self, model=None):
        self.model = model

    def indexable(self):
        """Everything of this model that belongs in the index (a queryset)."""
        raise NotImplementedError

    def to_documents(self, objects):
        """Search documents of `objects` (drawn from indexable()); may skip some."""
        raise NotImplementedError

    def watches(self, obj):
        """Whether saving or deleting `obj` (a non-page model) may change the index; False
        spares the queue the saves of objects that never were, and are not, indexable."""
        return True


def register(model, adapter):
    adapter.model = model
    _adapters[model] = adapter
    if not issubclass(model, Page):
        from .signals import watch_model

        watch_model(model)


def adapters():
    return list(_adapters.values())


def adapter_for(obj_or_model):
    """The adapter of an object (pages by their specific class), or None if not searchable."""
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    if isinstance(obj_or_model, Page):
        model = obj_or_model.specific_class or model
    for klass in model.__mro__:
        if klass in _adapters:
            return _adapters[klass]
    return None


def root_model(model):
    """The top concrete model: every page shares Page, so a page has one id whatever its type."""
    parents = model._meta.concrete_model._meta.get_parent_list()
    return parents[-1] if parents else model._meta.concrete_model


def document_id(obj):
    return f"{root_model(type(obj))._meta.label_lower}:{obj.pk}"


def kind_labels():
    return {kind: label for adapter in adapters() for kind, label in adapter.kinds.items()}


def navigation_kinds():
    """Kinds of documents that only lead to content: they never outrank it when relaxed."""
    return sorted({kind for adapter in adapters() if adapter.navigation for kind in adapter.kinds})


def facet_labels(field_name):
    if field_name == "kind":
        return kind_labels()
    labels = {}
    for adapter in adapters():
        labels.update(adapter.labels.get(field_name, {}))
    return labels


def autodiscover():
    """Import `search_documents` of every installed app, which registers its models."""
    for config in apps.get_app_configs():
        if module_has_submodule(config.module, "search_documents"):
            import_module(f"{config.name}.search_documents")
