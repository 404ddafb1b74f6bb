"""The admin's object gate: an admin URL that names an object outside the user's scope answers 404
before its view runs.

Wagtail checks permissions for actions, but many of its screens print what they are given before
any check: confirmation pages (move, bulk actions), previews, usage and revision views, choosers
and the admin API. The gate reads every object id a request names — the URL's parameters and the
`id`, `child_of`, `descendant_of` and `parent` query parameters — finds the model it stands for
and asks `sites.access` whether the user may see it. The page chooser may name other sites'
public pages (they may be linked to); every other route only the user's own objects. A route
whose model is platform-only (a snippet no site role holds a permission on) is closed whole.
"""

from django.apps import apps
from django.views.defaults import page_not_found
from wagtail.admin.models import EditingSession
from wagtail.coreutils import resolve_model_string
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import (
    Collection,
    Page,
    Revision,
    Task,
    TaskState,
    UploadedFile,
    Workflow,
    WorkflowState,
)

from .access import scope_of

# URL parameters that always name one model ("image"/"document": the configured models).
PARAMETER_MODELS = {
    "page_id": Page,
    "parent_page_id": Page,
    "page_to_move_id": Page,
    "destination_id": Page,
    "page_pk": Page,
    "revision_id": Revision,
    "task_state_id": TaskState,
    "task_id": Task,
    "workflow_state_id": WorkflowState,
    "workflow_pk": Workflow,
    "image_id": "image",
    "document_id": "document",
    "doc_id": "document",
    "collection_id": Collection,
    "uploaded_file_id": UploadedFile,
    "session_id": EditingSession,
}
# Query parameters that always name pages; `id` names the route's own model.
QUERY_PAGE_PARAMETERS = ("child_of", "descendant_of", "parent")
# Routes that choose a page to link to, and the model their `id` names.
PAGE_CHOOSER_ROUTES = {"wagtailadmin_choose_page_child", "wagtailadmin_choose_page_chosen_multiple"}
# Routes of the workflow editor, which only those who may edit workflows use.
WORKFLOW_EDITOR_ROUTES = {
    "wagtailadmin_workflows:task_chooser",
    "wagtailadmin_workflows:task_chooser_results",
    "wagtailadmin_workflows:task_chooser_create",
    "wagtailadmin_workflows:task_chosen",
}


def _configured(model):
    if model == "image":
        return get_image_model()
    if model == "document":
        return get_document_model()
    return model


def _route_model(view_func, view_kwargs, route_name):
    """The model a route's `pk`, `object_id` and `id` name, if it has one."""
    if route_name in PAGE_CHOOSER_ROUTES:
        return Page
    if "app_label" in view_kwargs and "model_name" in view_kwargs:
        try:
            return apps.get_model(view_kwargs["app_label"], view_kwargs["model_name"])
        except LookupError:
            return None
    for initkwargs in (
        getattr(view_func, "view_initkwargs", {}),
        getattr(view_func, "initkwargs", {}),
    ):
        if initkwargs.get("model"):
            return resolve_model_string(initkwargs["model"])
    view_class = getattr(view_func, "view_class", None) or getattr(view_func, "cls", None)
    model = getattr(view_class, "model", None)
    return resolve_model_string(model) if isinstance(model, (str, type)) else None


def _named_objects(request, view_kwargs, route_model):
    """(model, id) for every object the request names."""
    for name, value in view_kwargs.items():
        model = _configured(PARAMETER_MODELS.get(name))
        if model is None and name in ("pk", "object_id"):
            model = route_model
        if model is not None:
            yield model, value
    if route_model is not None:
        for value in request.GET.getlist("id"):
            yield route_model, value
    for name in QUERY_PAGE_PARAMETERS:
        value = request.GET.get(name, "")
        if value.isdigit():
            yield Page, value


def _may_see(scope, model, value, choosing):
    try:
        return scope.restrict(model._default_manager.filter(pk=value), choosing).exists()
    except (ValueError, TypeError):
        return False


def _refused(request, scope, view_func, view_kwargs, route_name):
    if route_name in WORKFLOW_EDITOR_ROUTES and not request.user.has_perm(
        "wagtailcore.change_workflow"
    ):
        return True
    route_model = _route_model(view_func, view_kwargs, route_name)
    if route_model is not None and scope.platform_only(route_model):
        return True
    choosing = route_name in PAGE_CHOOSER_ROUTES
    return any(
        not _may_see(scope, model, value, choosing)
        for model, value in _named_objects(request, view_kwargs, route_model)
    )


class AdminObjectGateMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = getattr(request, "user", None)
        if match is None or not match.route.startswith("admin/") or not user:
            return None
        if not user.is_authenticated or user.is_superuser:
            return None
        if _refused(request, scope_of(user), view_func, view_kwargs, match.view_name):
            return page_not_found(request, "", template_name="wagtailadmin/404.html")
        return None
