from django.contrib.auth.models import Group
from django.db import models
from django.db.models import Q

ROLE_GROUPS = {"handler": "handlers", "reviewer": "reviewers", "dispatcher": "dispatchers"}
ROLE_LABELS = {"handler": "信件办理", "reviewer": "信件审核", "dispatcher": "信件调度"}


class HandlingUnitQuerySet(models.QuerySet):
    def of_user(self, user, *roles):
        """Units in whose group of one of `roles` (handler, reviewer, dispatcher) the user is."""
        if user.is_superuser:
            return self
        acting = Q(pk__in=[])
        for role in roles:
            acting |= Q(**{f"{ROLE_GROUPS[role]}__user": user})
        return self.filter(acting).distinct()

    def visible_to(self, user):
        """Units a staff user may see: those of their own sites and those they act in."""
        if user.is_superuser:
            return self
        return self.filter(
            Q(site__site_groups__group__user=user)
            | Q(handlers__user=user)
            | Q(reviewers__user=user)
            | Q(dispatchers__user=user)
        ).distinct()


class HandlingUnit(models.Model):
    """A body that handles letters (承办单位): a site's own organisation, or one of its offices
    (内设机构). Its 信件办理 and 信件审核 groups act on the letters dispatched to it; a unit with a
    信件调度 group runs a mailbox and dispatches its letters."""

    site = models.ForeignKey(
        "sites.SiteProfile",
        on_delete=models.PROTECT,
        related_name="handling_units",
        verbose_name="所属站点",
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="offices",
        verbose_name="上级单位",
    )
    name = models.CharField("单位名称", max_length=100)
    handlers = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="handling_unit", verbose_name="信件办理组"
    )
    reviewers = models.OneToOneField(
        Group, on_delete=models.PROTECT, related_name="reviewing_unit", verbose_name="信件审核组"
    )
    dispatchers = models.OneToOneField(
        Group,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dispatching_unit",
        verbose_name="信件调度组",
    )
    active = models.BooleanField("接收派单", default=True)

    objects = HandlingUnitQuerySet.as_manager()

    class Meta:
        verbose_name = "承办单位"
        verbose_name_plural = "承办单位"
        ordering = ["site__kind", "site__code", "parent_id", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["site"],
                condition=Q(parent__isnull=True),
                name="one_own_unit_per_site",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def level(self):
        """The handling level deadline policies are keyed on: the kind of the unit's site."""
        return self.site.kind

    def dispatch_targets(self):
        """Units this unit's mailbox may dispatch to: its own offices, the units of the sites
        below it, and, from the portal, every site's unit."""
        units = HandlingUnit.objects.filter(active=True).exclude(pk=self.pk)
        if self.site.kind == "portal":
            return units.select_related("site")
        return units.filter(Q(site=self.site) | Q(site__parent=self.site)).select_related("site")
