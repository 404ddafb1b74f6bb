"""The base form of every page type: nothing containing a forbidden expression leaves the draft.

Wagtail builds each page type's admin form from `base_form_class`; `BasePage` names this one, so
every page type inherits the check. It runs in `clean()`, on the cleaned values about to be
saved, so a refusal is an ordinary validation error: nothing is saved, published or submitted,
and the editor sees every offending quote and where it is.
"""

from django.core.exceptions import ValidationError
from wagtail.admin.forms import WagtailAdminPageForm

from .lists import wording_lists
from .scan import describe_forbidden, find
from .text import child_segments, content_fields, field_segments, is_public_child_model

# The page editor's submit buttons that take the text towards the public, as Wagtail's create
# and edit views name them, and how the refusal names the action.
RELEASING_BUTTONS = {
    "action-publish": "发布",
    "action-submit": "提交审核",
    "action-restart-workflow": "重新提交审核",
}


class ContentCheckedPageForm(WagtailAdminPageForm):
    """Refuses to publish or submit a page whose text contains a 严重错误表述.

    Plain saves pass: a draft is private, and an editor must be able to keep unfinished work.
    What is submitted is what the review workflow publishes, so submitting is refused too, as
    is a reviewer approving from the editor (the approval carries the reviewer's edits along).

    The views decide the action again from the same POST keys plus the user's permissions; a
    user is only ever offered buttons their permissions allow, so a forged button that the view
    would demote to a plain save is refused here, which errs on the safe side.
    """

    def clean(self):
        cleaned_data = super().clean()
        action = self.releasing_action()
        if action:
            findings = find(self.segments_to_save(), wording_lists().forbidden)
            if findings:
                intro = f"内容含严重错误表述，改正后才能{action}："
                self.add_error(
                    None,
                    ValidationError([intro, *(describe_forbidden(f) for f in findings)]),
                )
        return cleaned_data

    def releasing_action(self):
        for button, action in RELEASING_BUTTONS.items():
            if self.data.get(button):
                return action
        if (
            self.data.get("action-workflow-action")
            and self.data.get("workflow-action-name") == "approve"
        ):
            return "审核通过"
        return None

    def segments_to_save(self):
        """The text of the submitted values: the form's fields and its inline panels' rows.

        Fields that failed validation are absent from the cleaned data and are not quoted; their
        own errors come first.
        """
        for field in content_fields(self._meta.model):
            if field.name in self.cleaned_data:
                yield from field_segments(field, self.cleaned_data[field.name])
        for formset in self.formsets.values():
            if is_public_child_model(formset.model):
                rows = [
                    form.cleaned_data
                    for form in formset.forms
                    if form.is_valid() and form.cleaned_data and not form.cleaned_data.get("DELETE")
                ]
                rows.sort(key=lambda row: row.get("ORDER") or 0)
                yield from child_segments(formset.model, rows)
