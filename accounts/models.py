from django.conf import settings
from django.db import models
from django.utils import timezone


class LoginEvent(models.Model):
    """One attempt to sign in to the admin, or one step of it; pruned with the audit log."""

    class Kind(models.TextChoices):
        LOGIN_SUCCEEDED = "login_succeeded", "登录成功"
        LOGIN_FAILED = "login_failed", "密码错误"
        LOCKED_OUT = "locked_out", "账号锁定"
        SECOND_FACTOR_SUCCEEDED = "second_factor_succeeded", "两步验证成功"
        SECOND_FACTOR_FAILED = "second_factor_failed", "两步验证失败"
        TWO_FACTOR_ENROLLED = "two_factor_enrolled", "绑定两步验证"

    timestamp = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("事件", max_length=30, choices=Kind.choices)
    username = models.CharField("输入的用户名", max_length=150, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="账号",
    )
    ip_address = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=255, blank=True)

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = "登录记录"
        verbose_name_plural = "登录记录"

    def __str__(self):
        return f"{self.timestamp:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"


class PasswordHistory(models.Model):
    """The hash of a password a user has had, and when it was set; the newest is the current."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="password_history"
    )
    password = models.CharField(max_length=128)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["user", "-changed_at"])]
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"

    def __str__(self):
        return f"{self.user_id} {self.changed_at:%Y-%m-%d}"
