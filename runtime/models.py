from django.db import models


class WorkerHeartbeat(models.Model):
    """A worker process says it is alive; a task claimed by a silent worker is run again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)
    hostname = models.CharField(max_length=255, blank=True)
    pid = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = "后台进程"
        verbose_name_plural = "后台进程"

    def __str__(self):
        return self.worker_id


class JobState(models.Model):
    """What the clock knows of one declared job (platform/schedule.toml): the row is the lock."""

    class Result(models.TextChoices):
        NEVER = "never", "尚未运行"
        QUEUED = "queued", "已排队"
        RUNNING = "running", "运行中"
        SUCCEEDED = "succeeded", "成功"
        FAILED = "failed", "失败"

    name = models.CharField(max_length=100, primary_key=True)
    next_run_at = models.DateTimeField()
    result = models.CharField(max_length=20, choices=Result.choices, default=Result.NEVER)
    last_started_at = models.DateTimeField(null=True)
    last_finished_at = models.DateTimeField(null=True)
    last_duration = models.DurationField(null=True)
    last_error = models.TextField(blank=True)
    last_output = models.TextField(blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = "定时任务"
        verbose_name_plural = "定时任务"
        ordering = ["name"]

    def __str__(self):
        return self.name


class OutgoingMail(models.Model):
    """One message handed to Django's mail API; the worker delivers it once."""

    class Status(models.TextChoices):
        QUEUED = "queued", "待发送"
        SENDING = "sending", "发送中"
        SENT = "sent", "已发送"
        FAILED = "failed", "发送失败"
        UNKNOWN = "unknown", "结果未知"

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    subject = models.CharField(max_length=998)
    sender = models.CharField(max_length=320)
    recipients = models.JSONField(default=list)
    message = models.BinaryField()  # the whole RFC 5322 message, as Django built it
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    attempts = models.PositiveIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True)
    next_attempt_at = models.DateTimeField(null=True)
    sent_at = models.DateTimeField(null=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = "外发邮件"
        verbose_name_plural = "外发邮件"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.subject


class CalendarDay(models.Model):
    """An exception to Monday–Friday on the national calendar: a day off (法定节假日, 补假,
    调休放假) or a make-up working day (调休上班) on a weekend."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", "放假"
        MAKEUP_WORKDAY = "makeup_workday", "调休上班"

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    name = models.CharField("节日", max_length=100, blank=True)
    source = models.CharField("依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "放假调休日"
        verbose_name_plural = "放假调休日"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose 放假安排 is in the table; other years count Monday to Friday, with a warning."""

    year = models.PositiveSmallIntegerField("年份", primary_key=True)
    source = models.CharField("依据", max_length=300, blank=True)

    class Meta:
        verbose_name = "已录入放假安排的年份"
        verbose_name_plural = "已录入放假安排的年份"
        ordering = ["year"]

    def __str__(self):
        return str(self.year)
