"""The workbench's forms: one small form per transition of `interaction.workflow` (its fields
follow what `actions.perform` takes for it), and the publication review's masks.

Every value that names a unit or a letter is looked up only among what the user may reference:
the units the mailbox may dispatch to, the letters the user may see."""

from django import forms
from django.conf import settings

from . import redaction
from .models import HandlingUnit, Letter, NotAcceptedReason
from .redaction import Mask

PUBLISHED_FIELDS = {"subject": "标题", "content": "内容", "reply": "答复"}


class TransitionForm(forms.Form):
    """Base of the per-transition forms; `step_data()` is what `perform` takes besides reason."""

    def __init__(self, *args, letter, user, transition, **kwargs):
        self.letter, self.user, self.transition = letter, user, transition
        super().__init__(*args, prefix=transition.name, **kwargs)
        if transition.needs_reason:
            self.fields["reason"] = _reason_field(f"{transition.label}的理由或说明")

    def step_data(self):
        return {name: value for name, value in self.cleaned_data.items() if name != "reason"}


def _reason_field(label):
    return forms.CharField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": f"请填写{label}。"},
    )


def _reply_field(letter):
    return forms.CharField(
        label="答复内容",
        initial=letter.reply,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": "请填写答复内容。"},
    )


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, unit):
        return unit.name if unit.parent_id else f"{unit.name}（{unit.site.name}）"


class UnitsChoiceField(forms.ModelMultipleChoiceField):
    label_from_instance = UnitChoiceField.label_from_instance


class AssignForm(TransitionForm):
    """派单, 改派: a lead unit and assisting units among the mailbox's dispatch targets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        unit = self.letter.mailbox.unit
        targets = unit.dispatch_targets() if unit else HandlingUnit.objects.none()
        self.fields["unit"] = UnitChoiceField(
            label="主办单位",
            queryset=targets,
            error_messages={
                "required": "请选择主办单位。",
                "invalid_choice": "请选择本信箱可以派单的承办单位。",
            },
        )
        self.fields["assisting"] = UnitsChoiceField(
            label="协办单位",
            queryset=targets,
            required=False,
            widget=forms.CheckboxSelectMultiple,
            error_messages={
                "invalid_choice": "协办单位须是本信箱可以派单的承办单位。",
                "invalid_pk_value": "协办单位须是本信箱可以派单的承办单位。",
            },
        )


class ReplyForm(TransitionForm):
    """直接答复, 提交答复."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reply"] = _reply_field(self.letter)


class ExtensionForm(TransitionForm):
    """申请延期: the working days asked for, and why."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        most = settings.LETTER_MAX_EXTENSION_DAYS
        message = f"延期天数须为 1 至 {most} 个工作日。"
        self.fields["days"] = forms.IntegerField(
            label="延期工作日数",
            min_value=1,
            max_value=most,
            error_messages={
                "required": message,
                "invalid": message,
                "min_value": message,
                "max_value": message,
            },
        )


class NotAcceptForm(TransitionForm):
    """不予受理: a reason from the fixed list and the way the writer is told (告知途径)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["not_accepted"] = forms.ChoiceField(
            label="不予受理理由",
            choices=[("", "请选择"), *NotAcceptedReason.choices],
            error_messages={
                "required": "请选择不予受理的理由。",
                "invalid_choice": "请选择不予受理的理由。",
            },
        )
        self.fields["reason"] = _reason_field("告知途径（如信访、诉讼、依申请公开）")


class MergeForm(TransitionForm):
    """并单: the 查询码 of the original letter, among the letters the user may see."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        original = self.letter.duplicate_of
        visible = Letter.objects.visible_to(self.user)
        initial = (
            original.query_code if original and visible.filter(pk=original.pk).exists() else ""
        )
        self.fields["original"] = forms.CharField(
            label="原信件查询码",
            max_length=10,
            initial=initial,
            error_messages={"required": "请填写要并入的原信件查询码。"},
        )

    def clean_original(self):
        code = self.cleaned_data["original"].strip()
        original = (
            Letter.objects.visible_to(self.user)
            .exclude(pk=self.letter.pk)
            .filter(query_code=code)
            .first()
        )
        if original is None:
            raise forms.ValidationError("没有找到您可以查看的这封原信件，请核对查询码。")
        return original


FORMS = {
    "dispatch": AssignForm,
    "reassign": AssignForm,
    "reply_directly": ReplyForm,
    "submit_reply": ReplyForm,
    "request_extension": ExtensionForm,
    "not_accept": NotAcceptForm,
    "merge": MergeForm,
}


def transition_form(transition, letter, user, data=None):
    return FORMS.get(transition.name, TransitionForm)(
        data, letter=letter, user=user, transition=transition
    )


class PublicationForm(forms.Form):
    """公开审核: keep or drop each proposed mask, add fragments to hide (each occurrence, in every
    published field, with a kind), or refuse publication with a reason."""

    FRAGMENTS = 3

    def __init__(self, *args, letter, proposed, **kwargs):
        super().__init__(*args, **kwargs)
        self.letter, self.proposed = letter, proposed
        choices = [
            (_mask_key(field, mask), "") for field, masks in proposed.items() for mask in masks
        ]
        self.fields["keep"] = forms.MultipleChoiceField(
            label="保留的遮盖",
            choices=choices,
            required=False,
            initial=[key for key, _label in choices],
            widget=forms.CheckboxSelectMultiple,
        )
        for number in range(self.FRAGMENTS):
            self.fields[f"fragment_{number}"] = forms.CharField(
                label=f"增加遮盖 {number + 1}：要隐去的文字", max_length=100, required=False
            )
            self.fields[f"kind_{number}"] = forms.ChoiceField(
                label="类别", choices=list(redaction.KIND_LABELS.items()), required=False
            )
        self.fields["reason"] = forms.CharField(
            label="不予公开的理由",
            max_length=2000,
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        )

    def clean(self):
        data = super().clean()
        for number in range(self.FRAGMENTS):
            fragment = (data.get(f"fragment_{number}") or "").strip()
            if fragment and not any(fragment in getattr(self.letter, f) for f in PUBLISHED_FIELDS):
                self.add_error(f"fragment_{number}", "信件标题、内容和答复中没有这段文字。")
        return data

    def proposals(self, field):
        """(key, masked text, kind label, kept) of each mask proposed for `field`."""
        kept = set(self["keep"].value() or [])
        text = getattr(self.letter, field)
        return [
            (key, mask.text(text), redaction.KIND_LABELS[mask.kind], key in kept)
            for mask in self.proposed[field]
            for key in [_mask_key(field, mask)]
        ]

    def masks(self):
        """{field: [Mask]}: the kept proposals and every occurrence of the added fragments,
        overlapping spans joined so no part of either is left visible."""
        keep = set(self.cleaned_data.get("keep", []))
        chosen = {
            field: [m for m in masks if _mask_key(field, m) in keep]
            for field, masks in self.proposed.items()
        }
        for number in range(self.FRAGMENTS):
            fragment = (self.cleaned_data.get(f"fragment_{number}") or "").strip()
            kind = self.cleaned_data.get(f"kind_{number}") or "name"
            if not fragment:
                continue
            for field in PUBLISHED_FIELDS:
                text, start = getattr(self.letter, field), 0
                while (start := text.find(fragment, start)) >= 0:
                    chosen[field].append(Mask(start, start + len(fragment), kind))
                    start += len(fragment)
        return {field: _joined(masks) for field, masks in chosen.items()}


def _mask_key(field, mask):
    return f"{field}:{mask.start}:{mask.end}:{mask.kind}"


def _joined(masks):
    joined = []
    for mask in sorted(masks):
        if joined and mask.start < joined[-1].end:
            last = joined.pop()
            mask = Mask(last.start, max(last.end, mask.end), last.kind)
        joined.append(mask)
    return joined
