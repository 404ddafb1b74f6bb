from django.db import models


class MonthlyUnitStats(models.Model):
    """One unit's figures for one mailbox and month, published on the mailbox (济南条例 art. 33).

    Numerators and denominators are both kept, so either common formula can be shown:
    满意率 = satisfied / rated (实际参评满意率) or satisfied / answered; 按时办结率 =
    answered_on_time / due; 平均答复用时 = answer_working_days / answered.

    The unit of a letter is its lead unit, or the mailbox's unit before 派单; months are local
    (Asia/Shanghai). received: letters received in the month. answered: letters whose (latest)
    reply was approved in the month; rated, satisfied (非常满意, 满意, 基本满意) and ratings
    ({"5": n, …, "1": n}) count the ratings of those same letters, so the two 满意率 share one
    group of letters. answer_working_days: the working days from receipt to reply, summed
    over the answered. due: reply deadlines falling in the month, less letters not accepted
    (不予受理) or merged (并单); answered_on_time: those of them met by their due time.
    interaction.stats computes the rows (`manage.py compute_letter_stats`, daily)."""

    mailbox = models.ForeignKey(
        "interaction.MailboxPage", on_delete=models.CASCADE, related_name="monthly_stats"
    )
    unit = models.ForeignKey(
        "interaction.HandlingUnit", on_delete=models.CASCADE, related_name="monthly_stats"
    )
    month = models.DateField("月份")
    received = models.PositiveIntegerField("受理", default=0)
    answered = models.PositiveIntegerField("答复", default=0)
    due = models.PositiveIntegerField("应办结", default=0)
    answered_on_time = models.PositiveIntegerField("按时答复", default=0)
    answer_working_days = models.PositiveIntegerField("答复用时合计（工作日）", default=0)
    rated = models.PositiveIntegerField("参评", default=0)
    satisfied = models.PositiveIntegerField("满意（含基本满意）", default=0)
    ratings = models.JSONField("各级评价数", default=dict)
    computed_at = models.DateTimeField("统计时间")

    class Meta:
        verbose_name = "月度统计"
        verbose_name_plural = "月度统计"
        ordering = ["-month", "unit"]
        constraints = [
            models.UniqueConstraint(
                fields=["mailbox", "unit", "month"], name="one_row_per_unit_month"
            )
        ]

    def __str__(self):
        return f"{self.unit} {self.month:%Y-%m}"
