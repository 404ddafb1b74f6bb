"""Every admin URL of the install, filled with another site's object ids.

The isolation matrix (test_admin_matrix.py) is generated from here: the URL resolver gives every
admin route, the viewset, bulk-action, snippet and API registries give the models behind them,
and `probes()` fills each route's parameters with the ids of a target site's private objects
(drafts, draft revisions, restricted pages, images, documents, users, workflows, snippets …).
A route whose parameters it cannot fill raises `Unclassified`, so a new admin surface fails the
matrix until it is classified here, the day it appears.
"""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from wagtail.admin.api.views import PagesAdminAPIViewSet
from wagtail.admin.views.bulk_action.registry import bulk_action_registry
from wagtail.admin.viewsets import viewsets
from wagtail.coreutils import resolve_model_string
from wagtail.snippets.models import get_snippet_models

ADMIN_PREFIX = "admin/"

# Routes that take no object of anyone's: the catch-all 404 and Wagtail's test pages.
UNNAMED_ROUTES = {"admin/test404/", "admin/^.*/$"}
# Wagtail's route that raises on purpose, to test the 500 page: nothing to probe.
RAISING_ROUTES = {"wagtailadmin_error_test"}


class Unclassified(Exception):
    pass


@dataclass
class Target:
    """One site whose private objects the attacker must never see or change."""

    code: str
    marker: str
    pages: list  # private pages: never published draft, live page with a draft revision, restricted
    objects: dict = field(default_factory=dict)  # kind -> object
    snippets: dict = field(default_factory=dict)  # model -> object


@dataclass(frozen=True)
class Probe:
    name: str
    method: str
    url: str


def admin_routes():
    """(route, name) of every admin URL pattern, nested includes flattened."""

    def walk(patterns, prefix, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace + (f"{pattern.namespace}:" if pattern.namespace else "")
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else ""
                yield prefix + str(pattern.pattern), name, pattern

    for route, name, pattern in walk(get_resolver().url_patterns, "", ""):
        if route.startswith(ADMIN_PREFIX):
            yield route, name, pattern


def route_parameters(pattern):
    regex = pattern.pattern.regex
    return list(regex.groupindex)


def _namespace_models():
    models = {}
    for viewset in viewsets.viewsets:
        model = getattr(viewset, "model", None)
        namespace = viewset.url_namespace if viewset.name else None
        if model is not None and namespace:
            models[namespace] = model
        for child in getattr(viewset, "viewsets", []):
            if getattr(child, "model", None) is not None:
                models[child.url_namespace] = child.model
        chooser = getattr(viewset, "chooser_viewset", None)
        if chooser is not None:
            models[chooser.url_namespace] = chooser.model
    return models


def _model_kind(model):
    """The Target object kind that stands for instances of `model`."""
    model = resolve_model_string(model)
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Collection, Locale, Page, Site, Task, Workflow

    from home.models import Submission
    from sites.models import SiteProfile

    kinds = {
        get_user_model(): "user",
        Group: "group",
        Collection: "collection",
        Site: "site",
        Locale: "locale",
        Workflow: "workflow",
        Task: "task",
        SiteProfile: "profile",
        Submission: "submission",
        get_image_model(): "image",
        get_document_model(): "document",
    }
    if issubclass(model, Page):
        return "page"
    for known, kind in kinds.items():
        if issubclass(model, known):
            return kind
    if model in get_snippet_models():
        return model
    raise Unclassified(f"no object kind for model {model.__name__}")


# Named URL parameters and the kind of object each one takes.
PARAMETER_KINDS = {
    "page_id": "page",
    "parent_page_id": "page",
    "page_to_move_id": "page",
    "destination_id": "destination",
    "page_pk": "page",
    "revision_id": "revision",
    "revision_id_a": "revision",
    "revision_id_b": "revision",
    "task_state_id": "task_state",
    "task_id": "task",
    "workflow_state_id": "workflow_state",
    "workflow_pk": "workflow",
    "image_id": "image",
    "document_id": "document",
    "doc_id": "document",
    "collection_id": "collection",
    "redirect_id": "redirect",
    "uploaded_file_id": "uploaded_file",
    "session_id": "editing_session",
    "user_id": "user",
    "attachment_id": "letter_attachment",
    # wagtail-localize's objects: no translation of a private page exists in the world, so these
    # take an id that matches nothing; the views must still answer without leaking.
    "translation_id": "absent",
    "translation_source_id": "absent",
    "string_segment_id": "absent",
    "overridable_segment_id": "absent",
}

# Routes whose parameters are not object ids, with the values to use.
ARTICLE = {"content_type_app_name": "home", "content_type_model_name": "articlepage"}
FIXED_PARAMETERS = {
    "wagtailadmin_pages:add": ARTICLE,
    "wagtailadmin_pages:preview_on_add": ARTICLE,
    "wagtailadmin_pages:type_use": ARTICLE,
    "wagtailadmin_pages:type_use_results": ARTICLE,
    "wagtailadmin_pages:choose_parent": {"app_label": "home", "model_name": "articlepage"},
    "wagtailadmin_pages:workflow_action": {"action_name": "approve"},
    "wagtailadmin_pages:collect_workflow_action_data": {"action_name": "approve"},
    "wagtailadmin_workflows:add_task": {
        "app_label": "wagtailcore",
        "model_name": "groupapprovaltask",
    },
    "wagtailimages:preview": {"filter_spec": "max-165x165"},
    "runtime_run_job": {"name": "search_catch_up"},
    "wagtail_localize:preview_translation": {"mode": "preview"},
    "wagtailadmin_password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
    "wagtailadmin_editing_sessions:ping": {"app_label": "wagtailcore", "model_name": "page"},
    "wagtailsettings:edit": {"app_name": "sites", "model_name": "siteprofile"},
    "wagtailadmin_tag_model_autocomplete": {"app_name": "taggit", "model_name": "tag"},
    "wagtailsettings:preview_on_edit": {"app_name": "sites", "model_name": "siteprofile"},
}

# Routes where `pk` is not the viewset's model, or the route belongs to no viewset.
PK_KINDS = {
    "wagtailadmin_api:pages:detail": "page",
    "wagtailadmin_api:pages:action": "page",
    "wagtailadmin_api:images:detail": "image",
    "wagtailadmin_api:documents:detail": "document",
    "wagtailadmin_pages:revisions_compare": "page",
    "wagtailsettings:edit": "profile",
    "wagtailsettings:preview_on_edit": "profile",
    "wagtailadmin_collections:edit": "collection",
    "wagtailadmin_collections:delete": "collection",
    "wagtailadmin_workflows:enable": "workflow",
    "wagtailadmin_workflows:disable": "workflow",
    "wagtailadmin_workflows:edit": "workflow",
    "wagtailadmin_workflows:usage": "workflow",
    "wagtailadmin_workflows:usage_results": "workflow",
    "wagtailadmin_workflows:edit_task": "task",
    "wagtailadmin_workflows:disable_task": "task",
    "wagtailadmin_workflows:enable_task": "task",
    # The letters workbench (interaction): plain views whose `pk` is a letter.
    "letters:detail": "letter",
    "letters:act": "letter",
    "letters:publish": "letter",
    "letters:attachment": "letter",
}


def _query(target):
    """Query parameters that name the target's objects, for listings, choosers and APIs."""
    pages = target.pages
    objects = target.objects
    return urlencode(
        {
            "q": target.code,
            "term": target.code,
            "search": target.code,
            "id": [page.pk for page in pages],
            "child_of": objects["column"].pk,
            "descendant_of": objects["home"].pk,
            "parent": objects["home"].pk,
            "site": objects["site"].pk,
            "owner": objects["user"].pk,
            "user": objects["user"].pk,
            "collection_id": objects["collection"].pk,
            "workflow": objects["workflow"].pk,
            "task": objects["task"].pk,
            "page_id": pages[0].pk,
            "target_pages[]": [page.pk for page in pages],
        },
        doseq=True,
    )


def _value(kind, target, variant):
    if kind == "absent":
        return 999_999
    if kind == "page":
        return target.pages[variant % len(target.pages)].pk
    if kind == "destination":
        return target.objects["column"].pk
    if not isinstance(kind, str):
        return _snippet(target, kind).pk
    return target.objects[kind].pk


def _snippet(target, model):
    if model not in target.snippets:
        raise Unclassified(f"the matrix world has no {model.__name__} to probe with")
    return target.snippets[model]


def _kwarg_sets(name, parameters, target, namespace_models):
    """Every way to fill the route's parameters with the target's objects."""
    fixed = FIXED_PARAMETERS.get(name, {})
    kinds = {}
    for parameter in parameters:
        if parameter in fixed:
            continue
        if parameter in ("pk", "object_id"):
            kind = PK_KINDS.get(name) or (
                "page"
                if parameter == "object_id"
                else _model_kind(namespace_models[name.rsplit(":", 1)[0]])
                if name.rsplit(":", 1)[0] in namespace_models
                else None
            )
        else:
            kind = PARAMETER_KINDS.get(parameter)
        if kind is None:
            raise Unclassified(f"{name}: parameter {parameter!r} has no known kind")
        kinds[parameter] = kind
    variants = len(target.pages) if "page" in kinds.values() else 1
    for variant in range(variants):
        kwargs = dict(fixed)
        for parameter, kind in kinds.items():
            kwargs[parameter] = _value(kind, target, variant)
        if name == "wagtailadmin_pages:revisions_compare":
            kwargs["revision_id_a"], kwargs["revision_id_b"] = "earliest", "latest"
        if name == "wagtailadmin_pages:workflow_preview":
            kwargs["task_id"] = target.objects["task"].pk
        yield variant, kwargs


def _expanded_routes(name, parameters, target):
    """Routes that a registry multiplies: bulk actions, API actions, per-model snippet APIs,
    and the letters workbench's transitions (interaction.workflow.TRANSITIONS)."""
    if name == "wagtail_bulk_action":
        bulk_action_registry._scan_for_bulk_actions()
        for app_label, models in bulk_action_registry.actions.items():
            for model_name, actions in models.items():
                for action in actions:
                    kwargs = {"app_label": app_label, "model_name": model_name, "action": action}
                    yield f"{app_label}.{model_name}.{action}", kwargs
        return
    if name == "letters:act":
        from interaction.workflow import TRANSITIONS

        for transition in TRANSITIONS:
            yield transition, {"pk": target.objects["letter"].pk, "transition": transition}
        return
    if name == "wagtailadmin_api:pages:action":
        for action in PagesAdminAPIViewSet.actions:
            for variant, page in enumerate(target.pages):
                yield f"{action}.{variant}", {"pk": page.pk, "action_name": action}
        return
    per_model = {
        "wagtail_localize:snippets_api_listing",
        "wagtail_localize:snippets_api_detail",
        "wagtail_localize:submit_snippet_translation",
    }
    if name in per_model:
        for model in get_snippet_models():
            instance = _snippet(target, model)
            meta = model._meta
            kwargs = (
                {"app_name": meta.app_label, "model_name": meta.model_name}
                if "app_name" in parameters
                else {"app_label": meta.app_label, "model_name": meta.model_name}
            )
            if "pk" in parameters:
                kwargs["pk"] = instance.pk
            yield meta.label_lower, kwargs


def _bulk_query(kwargs, target):
    """Bulk actions take the objects' ids in `id`: the target's objects of that model."""
    model = apps.get_model(kwargs["app_label"], kwargs["model_name"])
    kind = _model_kind(model)
    if kind == "page":
        ids = [page.pk for page in target.pages]
    elif isinstance(kind, str):
        ids = [target.objects[kind].pk]
    else:
        ids = [_snippet(target, kind).pk]
    return urlencode({"id": ids, "next": "/admin/"}, doseq=True)


def probes(targets):
    """Every admin URL filled with each target's objects, keyed by route.

    A route with object parameters gets a GET and a POST per filling; a route without them (a
    listing, chooser, report or API) a GET without and with a query naming the target's objects,
    and a POST with it; a bulk action its `id` query. Returns the probes and the routes that
    could not be filled (to be classified).
    """
    namespace_models = _namespace_models()
    found = {}
    unclassified = []
    for route, name, pattern in admin_routes():
        found[route] = []
        if not name:
            if route not in UNNAMED_ROUTES:
                unclassified.append(f"{route}: unnamed admin route")
            continue
        if name in RAISING_ROUTES:
            continue
        parameters = route_parameters(pattern)
        try:
            for target in targets:
                found[route].extend(_route_probes(name, parameters, target, namespace_models))
        except Unclassified as error:
            unclassified.append(f"{route}: {error}")
    return found, unclassified


def _route_probes(name, parameters, target, namespace_models):
    expanded = list(_expanded_routes(name, parameters, target))
    fills = expanded or [
        (str(variant), kwargs)
        for variant, kwargs in _kwarg_sets(name, parameters, target, namespace_models)
    ]
    for label, kwargs in fills:
        url = reverse(name, kwargs=kwargs)
        base = f"{name}[{target.code}:{label}]"
        if name == "wagtail_bulk_action":
            query = _bulk_query(kwargs, target)
            yield Probe(f"GET {base}", "get", f"{url}?{query}")
            yield Probe(f"POST {base}", "post", f"{url}?{query}")
        elif parameters:
            yield Probe(f"GET {base}", "get", url)
            yield Probe(f"POST {base}", "post", url)
        else:
            query = _query(target)
            yield Probe(f"GET {base}", "get", url)
            yield Probe(f"GET {base}?ids", "get", f"{url}?{query}")
            yield Probe(f"POST {base}?ids", "post", f"{url}?{query}")
