"""The public forms of a mailbox: writing a letter, the writer's 查询 and rating, and the
filters of the public list and of the statistics. Every message is Chinese and names its field."""

from django import forms
from django.conf import settings

from ..models import Category, Rating
from .phones import normalise_phone
from .uploads import AttachmentsField

LETTER_FIELDS = (
    "category",
    "subject",
    "content",
    "name",
    "phone",
    "email",
    "wants_public",
    "confidential",
)


class AccessibleForm(forms.Form):
    """A form whose errors are also listed at the top of the page (`error_summary`). Django
    links each input to its hint (`<id>_helptext`) and error (`<id>_error`) by
    aria-describedby and marks it aria-invalid; the template does so for radio groups'
    fieldsets (interaction/mailbox/field.html)."""

    def error_summary(self):
        """(anchor, message) of every error, in the order of the fields; the anchor is the
        input to go to (a group's first choice), None for an error of the whole form."""
        summary = [(None, message) for message in self.non_field_errors()]
        for bound in self:
            anchor = f"{bound.auto_id}_0" if bound.use_fieldset else bound.auto_id
            summary += [(anchor, message) for message in bound.errors]
        return summary


def _messages(label, verb="填写", **extra):
    return {"required": f"请{verb}{label}。", **extra}


def _content_field():
    shortest, longest = settings.LETTER_CONTENT_LENGTH
    return forms.CharField(
        label="内容",
        min_length=shortest,
        max_length=longest,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=f"请写明事情经过、地点和您的诉求，{shortest} 至 {longest} 字。",
        error_messages=_messages(
            "内容",
            min_length="内容至少 %(limit_value)d 个字（现有 %(show_value)d 个字），请写明情况。",
            max_length="内容不能超过 %(limit_value)d 个字（现有 %(show_value)d 个字）。",
        ),
    )


class LetterForm(AccessibleForm):
    """A letter to `mailbox`, as the page posts it (multipart/form-data, with the CSRF token):

    - `category`: one of the mailbox's categories (consultation, help, complaint, report,
      suggestion, praise — those `mailbox.category_choices()` offers);
    - `subject` (≤ 100 characters), `content` (LETTER_CONTENT_LENGTH characters);
    - `attachments`: up to LETTER_MAX_ATTACHMENTS files, JPEG/PNG/PDF by content and name;
    - `name`, `phone` (a mobile 1[3-9]xxxxxxxxx or a landline with its area code), `email`
      (optional; the receipt is mailed there);
    - `wants_public`: "1" (同意公开) or "0" (不同意公开);
    - `confidential`: "on" to ask for confidentiality; kept only for category `report`;
    - `homepage`: the honeypot, an input people never see. It must stay empty (as rendered);
      a letter that fills it is refused.
    """

    category = forms.ChoiceField(
        label="信件类型",
        widget=forms.RadioSelect,
        error_messages=_messages("信件类型", "选择", invalid_choice="请从列出的类型中选择。"),
    )
    subject = forms.CharField(
        label="标题",
        max_length=100,
        help_text="用一句话概括您反映的问题，不超过 100 字。",
        error_messages=_messages(
            "标题", max_length="标题不能超过 %(limit_value)d 个字（现有 %(show_value)d 个字）。"
        ),
    )
    content = forms.CharField(label="内容")  # its limits are settings: see _content_field
    attachments = AttachmentsField(label="附件")
    name = forms.CharField(
        label="姓名",
        max_length=50,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages=_messages("姓名", max_length="姓名不能超过 %(limit_value)d 个字。"),
    )
    phone = forms.CharField(
        label="联系电话",
        max_length=30,
        help_text="11 位手机号码，或带区号的固定电话，如 0799-1234567。",
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        error_messages=_messages("联系电话", max_length="联系电话过长，请检查。"),
    )
    email = forms.EmailField(
        label="电子邮箱（选填）",
        required=False,
        max_length=254,
        help_text="填写后，查询码和查询密码会同时发送到这个邮箱。",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": "请填写正确的电子邮箱，如 name@example.com，或者不填。",
            "max_length": "电子邮箱过长，请检查。",
        },
    )
    wants_public = forms.TypedChoiceField(
        label="是否同意公开",
        choices=[
            ("1", "同意公开：隐去姓名、电话等个人信息后，来信和答复可在本信箱公开"),
            ("0", "不同意公开"),
        ],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        error_messages=_messages("是否同意公开", "选择", invalid_choice="请选择是否同意公开。"),
    )
    confidential = forms.BooleanField(
        label="要求对来信人信息保密",
        required=False,
        help_text="仅适用于举报：您的姓名和联系方式只有承办人员可见。",
    )
    homepage = forms.CharField(label="请勿填写此项", required=False)

    def __init__(self, mailbox, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = mailbox.category_choices()
        self.fields["content"] = _content_field()
        limit = settings.LETTER_MAX_ATTACHMENTS
        megabytes = settings.LETTER_ATTACHMENT_MAX_BYTES // (1024 * 1024)
        hint = f"选填，最多 {limit} 个，每个不超过 {megabytes} MB，仅限 JPG、PNG 图片或 PDF 文件。"
        self.fields["attachments"].help_text = hint
        self.fields["homepage"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_homepage(self):
        if self.cleaned_data["homepage"]:
            raise forms.ValidationError("提交未成功：请将“请勿填写此项”留空。")
        return ""

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("category") != Category.REPORT:
            cleaned["confidential"] = False
        return cleaned

    def letter_fields(self):
        """The cleaned values as `submission.submit` takes them."""
        return {name: self.cleaned_data[name] for name in LETTER_FIELDS}


class QueryForm(AccessibleForm):
    query_code = forms.CharField(
        label="查询码",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
        error_messages=_messages("查询码"),
    )
    password = forms.CharField(
        label="查询密码",
        max_length=20,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}),
        error_messages=_messages("查询密码"),
    )


class RatingForm(AccessibleForm):
    token = forms.CharField(widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label="您对答复是否满意",
        choices=Rating.choices,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=_messages("满意程度", "选择", invalid_choice="请选择满意程度。"),
    )
    comment = forms.CharField(
        label="评价意见（选填）",
        required=False,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "评价意见不能超过 %(limit_value)d 个字。"},
    )


class LetterFilterForm(AccessibleForm):
    """The public list's search and filters (GET). Choices come from the published letters."""

    q = forms.CharField(label="关键词", required=False, max_length=50)
    category = forms.ChoiceField(label="类型", required=False)
    unit = forms.ChoiceField(label="答复单位", required=False)
    month = forms.ChoiceField(label="来信月份", required=False)

    def __init__(self, data, *, categories, units, months):
        super().__init__(data)
        self.fields["category"].choices = [("", "全部类型"), *categories]
        self.fields["unit"].choices = [("", "全部单位"), *units]
        self.fields["month"].choices = [("", "全部月份"), *months]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "没有这个选项，请重新选择。"
        self.fields["q"].error_messages["max_length"] = "关键词不能超过 %(limit_value)d 个字。"


class StatsMonthForm(AccessibleForm):
    month = forms.ChoiceField(label="统计月份", required=False)

    def __init__(self, data, *, months):
        super().__init__(data)
        self.fields["month"].choices = months
        self.fields["month"].error_messages["invalid_choice"] = "没有这个月份的统计，请重新选择。"
