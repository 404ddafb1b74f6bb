from django.conf import settings
from django.db import models
from django.db.models import Q

from ..workflow import OPEN_STATES, State


class Category(models.TextChoices):
    """诉求类型 (国办发〔2020〕53号); 表扬 (DB12/T 1438-2025) only where a mailbox offers it."""

    CONSULTATION = "consultation", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"


class Rating(models.IntegerChoices):
    """政务服务“好差评” five levels (国办发〔2019〕51号)."""

    VERY_SATISFIED = 5, "非常满意"
    SATISFIED = 4, "满意"
    FAIRLY_SATISFIED = 3, "基本满意"
    UNSATISFIED = 2, "不满意"
    VERY_UNSATISFIED = 1, "非常不满意"


SATISFIED_RATINGS = (Rating.VERY_SATISFIED, Rating.SATISFIED, Rating.FAIRLY_SATISFIED)


class NotAcceptedReason(models.TextChoices):
    """Matters a mailbox does not take (潍坊条例 art. 19), each with the way the writer is told."""

    EMERGENCY = "emergency", "属于110、119、120、122等紧急求助事项"
    LITIGATION = "litigation", "应通过诉讼、仲裁、行政复议等法定途径解决"
    DISCIPLINE = "discipline", "属于纪检监察机关受理的事项"
    DISCLOSURE = "disclosure", "属于依申请公开政府信息事项"
    PETITION = "petition", "已进入信访程序"
    SECRET = "secret", "涉及国家秘密、商业秘密或个人隐私"
    CONCLUDED = "concluded", "已依法处理并有明确结论"
    INDECENT = "indecent", "内容违反法律法规或公序良俗"


class Publication(models.TextChoices):
    NOT_REQUESTED = "not_requested", "来信人未同意公开"
    PENDING = "pending", "待审核公开"
    PUBLISHED = "published", "已公开"
    WITHDRAWN = "withdrawn", "不予公开"


class LetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Letters a staff user may see: those dispatched to a unit they act in (lead or
        assisting), those of a mailbox they dispatch for, and their own sites' units' letters
        for a 站点管理员. Platform admins see all.

        The user's units and mailboxes are read first (a few rows), so the letters are
        filtered on indexed columns with literal ids: no join per rule and no DISTINCT, which
        keeps the workbench fast with 100,000 letters."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        from .mailbox import MailboxPage
        from .units import HandlingUnit

        acting = list(
            HandlingUnit.objects.of_user(user, "handler", "reviewer").values_list("pk", flat=True)
        )
        administered = list(
            HandlingUnit.objects.filter(
                site__site_groups__group__user=user, site__site_groups__role="site_admin"
            ).values_list("pk", flat=True)
        )
        mailboxes = list(
            MailboxPage.objects.filter(unit__dispatchers__user=user).values_list("pk", flat=True)
        )
        assisted = Letter.assisting_units.through.objects.filter(handlingunit__in=acting)
        rules = Q(pk__in=[])
        if acting or administered:
            rules |= Q(lead_unit__in={*acting, *administered})
        if acting:
            rules |= Q(pk__in=assisted.values("letter"))
        if mailboxes:
            rules |= Q(mailbox__in=mailboxes)
        return self.filter(rules)

    def open(self):
        return self.filter(state__in=OPEN_STATES)

    def public(self):
        return self.filter(publication=Publication.PUBLISHED)


class Letter(models.Model):
    """One letter to a mailbox (来信, the 工单 of GB/T 33358): what the writer sent, where it is
    in the loop, its reply and, once approved for publication, its redacted public text."""

    mailbox = models.ForeignKey(
        "interaction.MailboxPage",
        on_delete=models.PROTECT,
        related_name="letters",
        verbose_name="信箱",
    )
    category = models.CharField("类型", max_length=20, choices=Category.choices)
    subject = models.CharField("标题", max_length=100)
    content = models.TextField("内容")
    name = models.CharField("姓名", max_length=50)
    phone = models.CharField("联系电话", max_length=20, db_index=True)
    email = models.EmailField("电子邮箱", blank=True)
    wants_public = models.BooleanField("同意公开", default=False)
    confidential = models.BooleanField("要求保密", default=False)
    client_hash = models.CharField(max_length=64, blank=True, db_index=True)

    query_code = models.CharField("查询码", max_length=10, unique=True)
    query_password = models.CharField(max_length=128)

    state = models.CharField("状态", max_length=30, choices=State.choices, default=State.RECEIVED)
    lead_unit = models.ForeignKey(
        "interaction.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_letters",
        verbose_name="主办单位",
    )
    assisting_units = models.ManyToManyField(
        "interaction.HandlingUnit",
        blank=True,
        related_name="assisted_letters",
        verbose_name="协办单位",
    )
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name="疑似重复",
    )
    supervised = models.BooleanField("督办中", default=False)
    returns_refused = models.BooleanField("退单已被驳回", default=False)
    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0)
    calendar_changed = models.BooleanField("期限因日历调整重算", default=False)
    not_accepted_reason = models.CharField(
        "不予受理理由", max_length=20, choices=NotAcceptedReason.choices, blank=True
    )

    reply = models.TextField("答复", blank=True)
    reply_unit = models.ForeignKey(
        "interaction.HandlingUnit",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="答复单位",
    )
    rating = models.PositiveSmallIntegerField("评价", choices=Rating.choices, null=True, blank=True)
    rating_comment = models.CharField("评价意见", max_length=300, blank=True)

    received_at = models.DateTimeField("来信时间", db_index=True)
    dispatched_at = models.DateTimeField("派单时间", null=True, blank=True)
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    alerted_at = models.DateTimeField("长期未答复告警时间", null=True, blank=True)

    publication = models.CharField(
        "公开", max_length=20, choices=Publication.choices, default=Publication.NOT_REQUESTED
    )
    masks = models.JSONField("遮盖", default=dict, blank=True)
    public_subject = models.CharField("公开标题", max_length=100, blank=True)
    public_content = models.TextField("公开内容", blank=True)
    public_reply = models.TextField("公开答复", blank=True)
    published_at = models.DateTimeField("公开时间", null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = "来信"
        verbose_name_plural = "来信"
        ordering = ["-received_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "received_at"]),
            models.Index(fields=["lead_unit", "state"]),
            models.Index(fields=["mailbox", "publication", "published_at"]),
        ]

    def __str__(self):
        return f"{self.query_code} {self.subject}"

    @property
    def is_open(self):
        return self.state in OPEN_STATES


class LetterEvent(models.Model):
    """One step on a letter's timeline (工作流转单): who, for which unit, when, why, and how the
    deadline moved. Written by every transition, never edited."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField("操作", max_length=30)
    label = models.CharField("操作名称", max_length=30)
    from_state = models.CharField(max_length=30, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=30, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField("操作人", max_length=50)
    unit = models.ForeignKey(
        "interaction.HandlingUnit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="单位",
    )
    at = models.DateTimeField("时间", db_index=True)
    due_before = models.DateTimeField("原期限", null=True, blank=True)
    due_after = models.DateTimeField("新期限", null=True, blank=True)
    reason = models.TextField("说明", blank=True)
    public = models.BooleanField("来信人可见", default=False)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = "办理记录"
        verbose_name_plural = "办理记录"

    def __str__(self):
        return f"{self.letter_id} {self.label}"


class LetterAttachment(models.Model):
    """A file sent with a letter (by the writer) or with a step (by staff). Stored under a
    random name; never served from MEDIA_URL, only through a view that checks who asks."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(
        LetterEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    file = models.FileField(upload_to="letters/%Y/%m/", max_length=200)
    original_name = models.CharField("文件名", max_length=200)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField("大小")

    class Meta:
        verbose_name = "附件"
        verbose_name_plural = "附件"

    def __str__(self):
        return self.original_name
