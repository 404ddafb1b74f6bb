"""Platform-wide wording checks applied when content is published (严重错误表述 / 错别字).

Maintained by platform admins only (no site role holds these permissions).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ForbiddenExpression(models.Model):
    """An expression that must never be published, e.g. a wrong official title (严重错误表述).

    Publishing or submitting content that contains one is blocked, quoting the text and where.
    """

    expression = models.CharField(_("错误表述"), max_length=100, unique=True)
    correct = models.CharField(_("正确表述"), max_length=100, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("严重错误表述")
        verbose_name_plural = _("严重错误表述")
        ordering = ["expression"]

    def __str__(self):
        return self.expression


class Miswriting(models.Model):
    """A common mis-writing (错别字) and its correct form; found ones produce a warning."""

    wrong = models.CharField(_("错误写法"), max_length=50, unique=True)
    right = models.CharField(_("正确写法"), max_length=50)

    class Meta:
        verbose_name = _("常见错别字")
        verbose_name_plural = _("常见错别字")
        ordering = ["wrong"]

    def __str__(self):
        return f"{self.wrong} → {self.right}"
