from django.db import models

from .letters import Category


class Stage(models.TextChoices):
    RESPOND = "respond", "签收响应"
    REPLY = "reply", "办结答复"
    FEEDBACK = "feedback", "向来信人反馈"


class Measure(models.TextChoices):
    WORKING_HOURS = "working_hours", "工作小时"
    WORKING_DAYS = "working_days", "工作日"
    CALENDAR_DAYS = "calendar_days", "自然日"


class DeadlinePolicy(models.Model):
    """How long one stage may take for one category at one handling level (blank: every level).
    Platform admins edit these; the defaults come from the local rules (NATIONAL-RULES §3.4)."""

    category = models.CharField("类型", max_length=20, choices=Category.choices)
    level = models.CharField(
        "办理层级",
        max_length=20,
        blank=True,
        help_text="承办单位所属站点的类型；留空适用于所有层级。",
    )
    stage = models.CharField("环节", max_length=20, choices=Stage.choices)
    amount = models.PositiveSmallIntegerField("时限")
    measure = models.CharField("计量", max_length=20, choices=Measure.choices)
    max_extension = models.PositiveSmallIntegerField("最多可延期", default=0)

    class Meta:
        verbose_name = "办理时限"
        verbose_name_plural = "办理时限"
        ordering = ["category", "stage", "level"]
        constraints = [
            models.UniqueConstraint(
                fields=["category", "level", "stage"], name="one_policy_per_stage"
            )
        ]

    def __str__(self):
        what = f"{self.get_category_display()}·{self.get_stage_display()}"
        return f"{what}：{self.amount}{self.get_measure_display()}"


class LetterDeadline(models.Model):
    """One running clock on a letter. The due time is derived from the start, the amount and
    the calendar, so it is recomputed when the calendar changes."""

    letter = models.ForeignKey(
        "interaction.Letter", on_delete=models.CASCADE, related_name="deadlines"
    )
    stage = models.CharField("环节", max_length=20, choices=Stage.choices)
    starts_at = models.DateTimeField("起算时间")
    amount = models.PositiveSmallIntegerField("时限")
    measure = models.CharField("计量", max_length=20, choices=Measure.choices)
    due_at = models.DateTimeField("期限")
    met_at = models.DateTimeField("完成时间", null=True, blank=True)
    reminded_at = models.DateTimeField("提醒时间", null=True, blank=True)
    overdue_at = models.DateTimeField("超期督办时间", null=True, blank=True)

    class Meta:
        verbose_name = "期限"
        verbose_name_plural = "期限"
        constraints = [
            models.UniqueConstraint(fields=["letter", "stage"], name="one_deadline_per_stage")
        ]
        indexes = [models.Index(fields=["met_at", "due_at"])]

    def __str__(self):
        return f"{self.get_stage_display()} {self.due_at:%Y-%m-%d %H:%M}"
