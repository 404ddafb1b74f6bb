"""Shared resource library (信息报送): department items offered to, and used by, the portal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from sites.models import SiteProfile


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Platform admins see all; others see what their sites sent or received."""
        if user.is_superuser:
            return self
        sites = SiteProfile.objects.visible_to(user)
        return self.filter(
            models.Q(source_site__in=sites) | models.Q(target_site__in=sites)
        ).distinct()


class Submission(models.Model):
    """One item a site's editor submitted (报送) to a column of the portal.

    The portal's reviewers accept it, which places a reference to the source in that column
    (a Wagtail alias: source edits show up, unpublishing the source removes it), or reject it
    with a reason. Site-owned: each side sees only its own submissions.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("待审核")
        ACCEPTED = "accepted", _("已采用")
        REJECTED = "rejected", _("未采用")

    source = models.ForeignKey(
        "wagtailcore.Page",
        on_delete=models.CASCADE,
        related_name="submissions",
        verbose_name=_("报送内容"),
    )
    source_site = models.ForeignKey(
        SiteProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("报送单位")
    )
    target_column = models.ForeignKey(
        "home.ColumnPage", on_delete=models.CASCADE, related_name="+", verbose_name=_("报送栏目")
    )
    target_site = models.ForeignKey(
        SiteProfile, on_delete=models.CASCADE, related_name="+", verbose_name=_("接收网站")
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("报送人"),
    )
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    reason = models.TextField(_("审核意见"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("审核人"),
    )
    decided_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    alias = models.ForeignKey(
        "wagtailcore.Page",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("采用后的引用页面"),
    )

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("信息报送")
        verbose_name_plural = _("信息报送")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target_column"], name="one_submission_per_item_and_column"
            )
        ]

    def __str__(self):
        return f"{self.source.title} → {self.target_column.title}"
