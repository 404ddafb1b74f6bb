"""The site registry: one `SiteProfile` per Wagtail `Site`, and the groups that act on it."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models.audit_log import BaseLogEntry, ModelLogEntryManager

from .standards import kind_choices, load_standards, palette_choices

SITE_CODE_VALIDATOR = RegexValidator(
    r"^[a-z][a-z0-9-]{1,29}$",
    _("站点代码须为 2–30 位小写字母、数字或连字符，并以字母开头（它将成为网站域名的第一段）。"),
)
ORGANISATION_CODE_VALIDATOR = RegexValidator(
    r"^[0-9A-Z]{9}$", _("组织机构代码须为 9 位数字或大写字母，例如 000014349。")
)
SITE_ID_CODE_VALIDATOR = RegexValidator(
    r"^\d{10}$", _("网站标识码须为 10 位数字，例如 3699000001。")
)


class SiteProfileQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The sites a user may manage: all for platform admins, else those of their groups."""
        if user.is_superuser:
            return self
        return self.filter(site_groups__group__user=user).distinct()

    def active(self):
        return self.filter(status=SiteProfile.Status.ACTIVE)


class SiteProfile(models.Model):
    """Identity and branding of one site of the cluster (portal, department, district or topic).

    Created only by provisioning, together with its Wagtail `Site`, home page, columns, groups,
    collection and workflow. Platform admins edit every field; a site's own 站点管理员 edits only
    its branding and contact details. The footer of every public page is rendered from it.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("运行中")
        ARCHIVED = "archived", _("已归档")

    site = models.OneToOneField(
        "wagtailcore.Site", on_delete=models.PROTECT, related_name="profile", verbose_name=_("站点")
    )
    kind = models.CharField(_("站点类型"), max_length=20, choices=kind_choices)
    code = models.CharField(
        _("站点代码"), max_length=30, unique=True, validators=[SITE_CODE_VALIDATOR]
    )
    name = models.CharField(_("网站名称"), max_length=100)
    sponsor = models.CharField(_("主办单位"), max_length=100)
    site_id_code = models.CharField(
        _("网站标识码"), max_length=10, unique=True, validators=[SITE_ID_CODE_VALIDATOR]
    )
    organisation_code = models.CharField(
        _("组织机构代码"),
        max_length=9,
        blank=True,
        validators=[ORGANISATION_CODE_VALIDATOR],
        help_text=_("主办单位的组织机构代码，用于生成政策文件索引号。"),
    )
    icp_number = models.CharField(_("ICP备案号"), max_length=50)
    police_number = models.CharField(_("公安机关备案号"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=50)
    contact_email = models.EmailField(_("联系邮箱"), blank=True)
    contact_address = models.CharField(_("联系地址"), max_length=200)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("网站标志"),
    )
    accent_colour = models.CharField(
        _("主题色"), max_length=20, choices=palette_choices, default="red"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("上级单位网站"),
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        on_delete=models.PROTECT,
        null=True,
        related_name="+",
        verbose_name=_("素材库"),
    )
    legacy_hosts = models.TextField(
        _("旧网站域名"),
        blank=True,
        help_text=_("迁移前网站的域名，每行一个；导入旧内容时只接受这些域名和本站域名的旧网址。"),
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    archived_at = models.DateTimeField(_("归档时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SiteProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("站点")
        verbose_name_plural = _("站点")
        ordering = ["kind", "code"]

    def __str__(self):
        return self.name

    @property
    def is_archived(self):
        return self.status == self.Status.ARCHIVED

    @property
    def kind_label(self):
        return load_standards().kind(self.kind).label

    @property
    def accent_hex(self):
        return load_standards().palette[self.accent_colour][1]

    @property
    def root_url(self):
        return self.site.root_url

    @property
    def home_page(self):
        return self.site.root_page

    @property
    def legacy_host_names(self):
        return {line.strip().lower() for line in self.legacy_hosts.splitlines() if line.strip()}


class SiteRole(models.TextChoices):
    """The five roles every site has; page permissions are granted only at the site root."""

    SITE_ADMIN = "site_admin", _("站点管理员")
    EDITOR = "editor", _("编辑")
    FIRST_REVIEWER = "first_reviewer", _("初审")
    SECOND_REVIEWER = "second_reviewer", _("复审")
    FINAL_REVIEWER = "final_reviewer", _("终审")


class SiteGroup(models.Model):
    """Links a Django group to the site and role it stands for, so "whose site" is a join."""

    profile = models.ForeignKey(SiteProfile, on_delete=models.CASCADE, related_name="site_groups")
    role = models.CharField(max_length=20, choices=SiteRole.choices)
    group = models.OneToOneField(Group, on_delete=models.CASCADE, related_name="site_group")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "role"], name="one_group_per_site_role")
        ]

    def __str__(self):
        return self.group.name


def group_name(profile_code, role):
    return f"{profile_code}:{SiteRole(role).label}"


def portal_profile():
    return SiteProfile.objects.filter(kind="portal").select_related("site").first()


def site_hostname(code, kind):
    if kind == "portal":
        return settings.PORTAL_HOSTNAME
    return f"{code}.{settings.PLATFORM_DOMAIN}"


class SiteProfileLogEntryManager(ModelLogEntryManager):
    def viewable_by_user(self, user):
        """Wagtail shows a model's log to anyone with a permission on the model; every
        站点管理员 has one on SiteProfile, so narrow it to the sites the user manages.

        The permission is asked here, not through Wagtail's manager: that one keeps the content
        types a user may see on the user object, worked out from whichever log model is asked
        first, so the site history left the 站点管理员's own profile entries out."""
        if user.is_superuser:
            return self.all()
        actions = ("add", "change", "delete", "view")
        if not any(user.has_perm(f"sites.{action}_siteprofile") for action in actions):
            return self.none()
        own = SiteProfile.objects.visible_to(user).values_list("pk", flat=True)
        return self.filter(object_id__in=[str(pk) for pk in own])


class SiteProfileLogEntry(BaseLogEntry):
    """Audit log of site profiles (edits, archiving, restoring), visible per site."""

    object_id = models.CharField(max_length=255, db_index=True)

    objects = SiteProfileLogEntryManager()

    class Meta:
        ordering = ["-timestamp", "-id"]
        verbose_name = _("站点日志")
        verbose_name_plural = _("站点日志")
