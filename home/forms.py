"""The admin form every page type is built from (`BasePage.base_form_class`)."""

from modelcluster.fields import ParentalManyToManyField

from home.checks.forms import ContentCheckedPageForm
from sites.references import ScopedReferencesFormMixin


class PageForm(ScopedReferencesFormMixin, ContentCheckedPageForm):
    """Adds to the wording checks what Chinese editors and attachments need.

    - A new item's 来源 (source) starts as the site's 主办单位.
    - Every chosen page, image and document is one the editor may reference: their own site's,
      or another site's public page (sites.references).
    - The slug may be left blank: the admin's slug helper drops Chinese characters, so the page
      fills it from the title in transliterated ASCII (see `BasePage._fill_ascii_slug`).
    - Attachment formats are checked here, where the page type is known even for new pages
      whose attachment rows are not yet linked to a saved page.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._default_source_to_sponsor()
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "留空则按标题自动生成（拼音）。"

    def _default_source_to_sponsor(self):
        """A new item's 来源 starts as the site's 主办单位, which most items are from."""
        if "source" not in self.fields or self.instance.pk or self.is_bound:
            return
        from .models.base import site_profile_of  # models import this module

        profile = self.parent_page and site_profile_of(self.parent_page)
        if profile and not self.initial.get("source"):
            self.initial["source"] = profile.sponsor

    def clean(self):
        cleaned_data = super().clean()
        # The model's own clean() runs next; ClusterForm assigns many-to-many choices (an
        # interpretation's policies) only on save, so hand them to the instance now.
        for field in self.instance._meta.many_to_many:
            if isinstance(field, ParentalManyToManyField) and field.name in cleaned_data:
                setattr(self.instance, field.name, cleaned_data[field.name])
        return cleaned_data

    def is_valid(self):
        # Child formsets are validated after the form's own clean(), hence here.
        valid = super().is_valid()
        return self.attachments_have_allowed_formats() and valid

    def attachments_have_allowed_formats(self):
        from .models.articles import attachment_format_error  # models import this module

        allowed = True
        for form in getattr(self, "formsets", {}).get("attachments", []):
            cleaned = getattr(form, "cleaned_data", None) or {}
            document = cleaned.get("document")
            error = document and attachment_format_error(type(self.instance), document)
            if error and not cleaned.get("DELETE"):
                form.add_error("document", error)
                allowed = False
        return allowed
