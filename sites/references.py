"""Forms refuse, on save, every chosen object the user may not reference (sites.access).

Every id a page or profile form carries is checked: foreign keys and many-to-many fields, the
images, documents and pages inside StreamField blocks and rich text (found the way Wagtail's
reference index finds them) and the rows of child formsets (attachments). Another site's
private page (a draft, a restricted page) or any of its media is refused with a message naming
the field, never the other site's title. Select widgets offer only what may be chosen.
"""

from django import forms
from wagtail.coreutils import resolve_model_string
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from .access import scope_of

PAGE_REFUSED = (
    "「{label}」选择了其他站点未公开的页面（编号 {pk}）："
    "只能选择本站点的页面，或其他站点已发布的公开页面。"
)
MEDIA_REFUSED = (
    "「{label}」使用了其他站点素材库中的{kind}（编号 {pk}）：只能使用本站点素材库中的图片和文件。"
)
CHOICE_REFUSED = (
    "「{label}」只能选择本站点的内容，或其他站点已发布的公开页面（编号 %(value)s 不可选）。"
)


def _allowed(scope, model):
    """The rows of `model` the user may reference, or None where any row may be."""
    if issubclass(model, Page):
        return scope.referenceable_pages(model.objects.all())
    if issubclass(model, (get_image_model(), get_document_model())):
        return scope.media(model.objects.all())
    return None


def _refusal(model, pk, label):
    if issubclass(model, Page):
        return PAGE_REFUSED.format(label=label, pk=pk)
    kind = "图片" if issubclass(model, get_image_model()) else "文件"
    return MEDIA_REFUSED.format(label=label, kind=kind, pk=pk)


def _chosen(form, name, field, value):
    """(model, pk) of every object the field's cleaned value names."""
    if isinstance(field, forms.ModelMultipleChoiceField):
        for obj in value or []:
            yield type(obj), obj.pk
    elif isinstance(field, forms.ModelChoiceField):
        if value is not None:
            yield type(value), value.pk
    else:
        try:
            model_field = form._meta.model._meta.get_field(name)
        except Exception:  # a form-only field
            return
        if value is not None and hasattr(model_field, "extract_references"):
            for model, pk, _model_path, _content_path in model_field.extract_references(value):
                yield resolve_model_string(model), pk


def _check(form, scope):
    valid = True
    for name, field in form.fields.items():
        value = getattr(form, "cleaned_data", {}).get(name)
        for model, pk in _chosen(form, name, field, value):
            allowed = _allowed(scope, model)
            if allowed is not None and not allowed.filter(pk=pk).exists():
                form.add_error(name, _refusal(model, pk, field.label or name))
                valid = False
    for formset in getattr(form, "formsets", {}).values():
        for child in formset.forms:
            if getattr(child, "cleaned_data", {}).get("DELETE"):
                continue
            valid = _check(child, scope) and valid
    return valid


class ScopedReferencesFormMixin:
    """For Wagtail admin model forms (they carry `for_user`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = getattr(self, "for_user", None)
        if user is None:
            return
        scope = scope_of(user)
        for field in self.fields.values():
            queryset = getattr(field, "queryset", None)
            if queryset is not None and isinstance(field.widget, forms.widgets.ChoiceWidget):
                allowed = _allowed(scope, queryset.model)
                if allowed is not None:
                    field.queryset = queryset.filter(pk__in=allowed.values("pk"))
                    field.error_messages["invalid_choice"] = CHOICE_REFUSED.format(
                        label=field.label
                    )

    def is_valid(self):
        # Child formsets are validated after the form's own clean(), hence here.
        valid = super().is_valid()
        user = getattr(self, "for_user", None)
        if user is None:
            return valid
        return _check(self, scope_of(user)) and valid
