"""Policy documents (政策文件) with their disclosure metadata, and their interpretations.

The metadata follows 政府信息公开条例 (2019) practice: 索引号, 发布机构, 发文字号, 成文日期,
发布日期, 主题分类 and 有效性. Both page types are articles: columns list them with the rest.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.models import Page
from wagtail.search import index

from sites.standards import policy_topic_choices

from .articles import ArticlePage
from .base import site_profile_of

DOCUMENT_NUMBER_PATTERN = re.compile(r"^[\u4e00-\u9fff]{1,20}〔(19|20)\d{2}〕\d{1,4}号$")
WRONG_YEAR_BRACKETS = re.compile(r"[\[［【(（]\s*(19|20)\d{2}\s*[\]］】)）]")


def validate_document_number(value):
    """发文字号 such as 市政发〔2025〕1号: organ abbreviation, year in 〔〕, serial, 号."""
    if DOCUMENT_NUMBER_PATTERN.match(value):
        return
    hint = (
        "年份须用六角括号〔〕" if WRONG_YEAR_BRACKETS.search(value) else "格式如 市政发〔2025〕1号"
    )
    raise ValidationError(
        _("发文字号「%(value)s」不规范：%(hint)s。"),
        params={"value": value, "hint": hint},
        code="invalid_document_number",
    )


class IndexNumberSequence(models.Model):
    """The last serial of 索引号 issued per organisation and year."""

    organisation_code = models.CharField(max_length=9)
    year = models.PositiveSmallIntegerField()
    last_serial = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_code", "year"], name="one_sequence_per_organisation_year"
            )
        ]

    def __str__(self):
        return f"{self.organisation_code}/{self.year}: {self.last_serial}"

    @classmethod
    def next_index_number(cls, organisation_code, year):
        with transaction.atomic():
            cls.objects.get_or_create(organisation_code=organisation_code, year=year)
            sequence = cls.objects.select_for_update().get(
                organisation_code=organisation_code, year=year
            )
            sequence.last_serial += 1
            sequence.save(update_fields=["last_serial"])
        return f"{organisation_code}/{year}-{sequence.last_serial:05d}"


class Validity(models.TextChoices):
    """有效性 as declared by the issuing organ; dates can make a valid document lapse by itself."""

    VALID = "valid", _("有效")
    EXPIRED = "expired", _("失效")
    ABOLISHED = "abolished", _("废止")
    REVISED = "revised", _("已修订")


NOT_YET_EFFECTIVE = "pending"
VALIDITY_LABELS = {**dict(Validity.choices), NOT_YET_EFFECTIVE: _("尚未生效")}


def validity_q(status, today):
    """A filter for documents whose *current* validity is `status` on `today`."""
    declared_valid = Q(validity=Validity.VALID)
    lapsed = declared_valid & Q(expiry_date__lt=today)
    pending = declared_valid & Q(effective_date__gt=today)
    return {
        Validity.VALID: declared_valid & ~lapsed & ~pending,
        Validity.EXPIRED: Q(validity=Validity.EXPIRED) | lapsed,
        Validity.ABOLISHED: Q(validity=Validity.ABOLISHED),
        Validity.REVISED: Q(validity=Validity.REVISED),
        NOT_YET_EFFECTIVE: pending,
    }[status]


class PolicyDocumentPage(ArticlePage):
    """A policy document (政策文件) with its disclosure metadata (政府信息公开目录).

    Lives in a site's 政策文件 column; written by the site's editors, published through the
    three-step review. Its 索引号 is issued once, on first save, from the site's organisation
    code and the publication year. It appears in the portal's policy library while live.
    """

    page_description = _("政策文件：带索引号、发文字号、有效性等政府信息公开要素的正式文件。")

    index_number = models.CharField(_("索引号"), max_length=40, unique=True, editable=False)
    issuing_organ = models.CharField(
        _("发布机构"), max_length=100, blank=True, help_text=_("留空则为本站主办单位。")
    )
    document_number = models.CharField(
        _("发文字号"), max_length=60, blank=True, validators=[validate_document_number]
    )
    written_date = models.DateField(_("成文日期"))
    topic = models.CharField(_("主题分类"), max_length=40, choices=policy_topic_choices)
    validity = models.CharField(
        _("有效性"), max_length=10, choices=Validity.choices, default=Validity.VALID
    )
    effective_date = models.DateField(_("施行日期"), null=True, blank=True)
    expiry_date = models.DateField(_("有效期至"), null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("被以下文件修订或废止"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="supersedes",
    )

    attachment_extensions = ("pdf", "ofd", "doc", "docx", "wps")

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("index_number", read_only=True),
                FieldRowPanel([FieldPanel("issuing_organ"), FieldPanel("document_number")]),
                FieldRowPanel([FieldPanel("written_date"), FieldPanel("published_at")]),
                FieldPanel("topic"),
                FieldRowPanel(
                    [
                        FieldPanel("validity"),
                        FieldPanel("effective_date"),
                        FieldPanel("expiry_date"),
                    ]
                ),
                FieldPanel("superseded_by"),
            ],
            heading=_("公开目录信息"),
        ),
        *ArticlePage.content_panels[1:],
    ]
    search_fields = [
        *ArticlePage.search_fields,
        index.SearchField("document_number"),
        index.SearchField("index_number"),
        index.FilterField("topic"),
        index.FilterField("validity"),
    ]
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("政策文件")

    def clean(self):
        super().clean()
        errors = {}
        if self.effective_date and self.expiry_date and self.expiry_date < self.effective_date:
            errors["expiry_date"] = _("有效期至不能早于施行日期。")
        if self.superseded_by_id and self.validity not in (Validity.ABOLISHED, Validity.REVISED):
            errors["validity"] = _("指定了修订或废止文件时，有效性须为「废止」或「已修订」。")
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            errors["superseded_by"] = _("文件不能修订或废止自身。")
        if not self.index_number:
            profile = site_profile_of(self)
            if profile is not None and not profile.organisation_code:
                errors["__all__"] = _(
                    "本站点尚未登记组织机构代码，无法生成索引号；请联系平台管理员补充站点信息。"
                )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        profile = site_profile_of(self)
        if not self.index_number and profile and profile.organisation_code:
            year = timezone.localtime(self.published_at).year
            self.index_number = IndexNumberSequence.next_index_number(
                profile.organisation_code, year
            )
        if not self.issuing_organ and profile:
            self.issuing_organ = profile.sponsor
        super().save(*args, **kwargs)  # validates: no 索引号 without an organisation code

    def current_validity(self, today=None):
        """The validity to show today: declared status, or lapsed/pending by the dates."""
        today = today or timezone.localdate()
        if self.validity != Validity.VALID:
            return self.validity
        if self.effective_date and self.effective_date > today:
            return NOT_YET_EFFECTIVE
        if self.expiry_date and self.expiry_date < today:
            return Validity.EXPIRED
        return Validity.VALID

    @property
    def current_validity_label(self):
        return VALIDITY_LABELS[self.current_validity()]

    @property
    def live_interpretations(self):
        return self.interpretations.live().public().order_by("-published_at")


class InterpretationKind(models.TextChoices):
    TEXT = "text", _("文字解读")
    GRAPHIC = "graphic", _("图解")
    VIDEO = "video", _("视频解读")
    QA = "qa", _("问答")


class InterpretationPage(ArticlePage):
    """A policy interpretation (政策解读): explains one or more policy documents.

    Lives in a 政策解读 column; must link at least one policy document, which in turn lists it.
    """

    page_description = _("政策解读：对一个或多个政策文件的文字、图解、视频或问答解读。")

    kind = models.CharField(
        _("解读形式"), max_length=10, choices=InterpretationKind.choices, default="text"
    )
    policies = ParentalManyToManyField(
        PolicyDocumentPage, related_name="interpretations", verbose_name=_("解读的政策文件")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        FieldPanel("policies"),
        *ArticlePage.content_panels[1:],
    ]
    parent_page_types = ["home.ColumnPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("政策解读")

    def pages_showing_this(self):
        return self.policies.all()  # each lists its interpretations, maybe on another site

    def clean(self):
        super().clean()
        if not list(self.policies.all()):
            raise ValidationError({"policies": _("政策解读须关联至少一个政策文件。")})
