"""Every filter the admin offers names only what the user may see.

Wagtail's listings and reports build their filter choices from the whole install: the explorer's
and reports' user filters list every department's staff, the workflow reports every site's
workflows and tasks, the media listings the most used tags of all sites. Rather than subclass
each view, this middleware narrows the filters of every admin listing just before it renders,
through the one rule of `sites.access`, so a listing added later is narrowed too.
"""

from django_filters import ChoiceFilter, ModelChoiceFilter, ModelMultipleChoiceFilter
from wagtail.admin.filters import PopularTagsFilter

from .access import scope_of

POPULAR_TAG_COUNT = 10


def _narrow_model_filter(scope, filter_, request):
    # Wagtail sets some querysets on the filter, others straight into the field's arguments.
    everything = filter_.queryset or filter_.extra.get("queryset")
    queryset = everything(request) if callable(everything) else everything
    if queryset is not None:
        filter_.queryset = filter_.extra["queryset"] = scope.restrict(queryset)


def _narrow_tag_filter(scope, filter_, model):
    names = list(
        scope.tags(model).order_by("name").values_list("name", flat=True)[:POPULAR_TAG_COUNT]
    )
    filter_.extra["choices"] = [(name, name) for name in names]


def _narrow_site_choices(scope, filter_):
    """Choice filters keyed by site root path (the page types report)."""
    own = {profile.site.root_page.path for profile in scope.sites}
    choices = filter_.extra.get("choices")
    if callable(choices):
        choices = choices()
    if choices and any(value in own for value, _label in choices):
        filter_.extra["choices"] = [(value, label) for value, label in choices if value in own]


def narrow_filterset(filterset, request):
    scope = scope_of(request.user)
    for name, filter_ in filterset.filters.items():
        if isinstance(filter_, PopularTagsFilter):
            _narrow_tag_filter(scope, filter_, filterset._meta.model)
        elif isinstance(filter_, (ModelChoiceFilter, ModelMultipleChoiceFilter)):
            _narrow_model_filter(scope, filter_, request)
        elif isinstance(filter_, ChoiceFilter) and name == "site":
            _narrow_site_choices(scope, filter_)
        else:
            continue
        filter_.__dict__.pop("_field", None)  # rebuilt from the narrowed choices
    if filterset.__dict__.pop("_form", None) is not None:
        filterset.form.is_valid()


class AdminFilterScopeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_template_response(self, request, response):
        user = getattr(request, "user", None)
        if not request.path.startswith("/admin/") or not user or not user.is_authenticated:
            return response
        if user.is_superuser:
            return response
        filterset = (response.context_data or {}).get("filters")
        if filterset is not None and hasattr(filterset, "filters"):
            narrow_filterset(filterset, request)
        return response
