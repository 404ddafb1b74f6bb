"""A writer's attachments: JPEG and PNG images and PDF files only, their type read from the
content (magic bytes; Pillow opens the images) and required to agree with the name, each within
LETTER_ATTACHMENT_MAX_BYTES and at most LETTER_MAX_ATTACHMENTS of them."""

import io
import os

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image

from ..submission import Upload

KINDS = {  # magic bytes → (content type, stored extension, label, Pillow format)
    b"\xff\xd8\xff": ("image/jpeg", ".jpg", "JPG 图片", "JPEG"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png", "PNG 图片", "PNG"),
    b"%PDF-": ("application/pdf", ".pdf", "PDF 文件", None),
}
NAME_EXTENSIONS = {".jpg": ".jpg", ".jpeg": ".jpg", ".png": ".png", ".pdf": ".pdf"}
ACCEPT = ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"
PDF_END_WINDOW = 2048  # a PDF ends with %%EOF, perhaps followed by a few bytes of whitespace


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    """Any number of files in one input (`attachments`); cleans to a list of Upload."""

    widget = MultipleFileInput

    def __init__(self, **kwargs):
        super().__init__(required=False, **kwargs)
        self.widget.attrs.update({"multiple": True, "accept": ACCEPT})

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        limit = settings.LETTER_MAX_ATTACHMENTS
        if len(files) > limit:
            raise ValidationError(f"最多可上传 {limit} 个附件，您选择了 {len(files)} 个。")
        uploads, errors = [], []
        for uploaded in files:
            try:
                uploads.append(check_upload(uploaded))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return uploads


def check_upload(uploaded):
    """The Upload of one uploaded file, or ValidationError saying what is wrong with it."""
    name = os.path.basename(uploaded.name or "").strip() or "附件"
    limit = settings.LETTER_ATTACHMENT_MAX_BYTES
    if uploaded.size > limit:
        raise ValidationError(f"“{name}”超过 {limit // (1024 * 1024)} MB，请压缩后再上传。")
    named = NAME_EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if named is None:
        raise ValidationError(f"“{name}”不能上传：只能上传 JPG、PNG 图片或 PDF 文件。")
    content = uploaded.read()
    kind = next((kind for magic, kind in KINDS.items() if content.startswith(magic)), None)
    if kind is None:
        raise ValidationError(f"“{name}”的内容不是 JPG、PNG 图片或 PDF 文件。")
    content_type, extension, label, image_format = kind
    if extension != named:
        raise ValidationError(f"“{name}”的内容是{label}，与文件扩展名不符。")
    if image_format:
        _verify_image(content, image_format, name)
    elif b"%%EOF" not in content[-PDF_END_WINDOW:]:
        raise ValidationError(f"“{name}”不是完整的 PDF 文件。")
    return Upload(content=content, content_type=content_type, extension=extension, name=name)


def _verify_image(content, image_format, name):
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            opened_as = image.format
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        opened_as = None
    if opened_as != image_format:
        raise ValidationError(f"“{name}”图片已损坏或无法识别，请换一张图片。")
