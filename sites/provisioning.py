"""Provisioning: create a complete, standards-compliant site in one transaction.

One service behind `manage.py provision_site`, `manage.py provision_cluster` and the admin form.
It creates the Wagtail Site, home page, standard column tree, role groups with page permissions at
the site root, a collection with collection permissions, the site profile and the three-step
review workflow. Running it again on an existing site only adds what the standard now requires;
it never changes or removes existing content. Bad input raises `ProvisioningError` listing every
problem, before anything is written.
"""

from dataclasses import MISSING, dataclass, field, fields

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from home.models import ColumnPage, PolicyLibraryPage, PortalHomePage, SiteHomePage

from . import parts
from .models import (
    ORGANISATION_CODE_VALIDATOR,
    SITE_CODE_VALIDATOR,
    SITE_ID_CODE_VALIDATOR,
    SiteGroup,
    SiteProfile,
    SiteRole,
    group_name,
    site_hostname,
)
from .roles import COLLECTION_PERMISSIONS, MODEL_PERMISSIONS, PAGE_PERMISSIONS, REVIEW_STEPS
from .standards import load_standards


class ProvisioningError(Exception):
    """Input that cannot be provisioned; `problems` names each one in words an admin understands."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("；".join(self.problems))


@dataclass(frozen=True)
class SiteSpec:
    """What a platform admin declares about a site (one entry of an inventory)."""

    code: str
    kind: str
    name: str
    sponsor: str
    site_id_code: str
    icp_number: str
    police_number: str
    contact_phone: str
    contact_address: str
    contact_email: str = ""
    organisation_code: str = ""
    accent_colour: str = "red"
    parent: str = ""

    LABELS = {
        "code": "站点代码",
        "kind": "站点类型",
        "name": "网站名称",
        "sponsor": "主办单位",
        "site_id_code": "网站标识码",
        "icp_number": "ICP备案号",
        "police_number": "公安机关备案号",
        "contact_phone": "联系电话",
        "contact_address": "联系地址",
        "contact_email": "联系邮箱",
        "organisation_code": "组织机构代码",
        "accent_colour": "主题色",
        "parent": "上级单位网站",
    }

    @classmethod
    def from_mapping(cls, data):
        """Build a spec from an inventory entry or form data, naming unknown or missing fields."""
        declared = {f.name: f for f in fields(cls)}
        problems = [f"未知字段「{key}」" for key in sorted(set(data) - set(declared))]
        problems += [
            f"缺少{cls.LABELS[name]}（{name}）"
            for name, spec_field in declared.items()
            if spec_field.default is MISSING and not str(data.get(name, "")).strip()
        ]
        if problems:
            raise ProvisioningError(problems)
        return cls(**{key: str(value).strip() for key, value in data.items()})

    @property
    def hostname(self):
        return site_hostname(self.code, self.kind)


@dataclass
class ProvisionReport:
    """What one provisioning run did to one site."""

    code: str
    name: str
    hostname: str
    created: bool
    added: list[str] = field(default_factory=list)


def validate(spec, *, allow_existing=True, pending_codes=()):
    """Every problem with `spec`, as sentences; empty when it can be provisioned."""
    problems = []
    standards = load_standards()
    for validator, value, label in [
        (SITE_CODE_VALIDATOR, spec.code, "站点代码"),
        (SITE_ID_CODE_VALIDATOR, spec.site_id_code, "网站标识码"),
        (ORGANISATION_CODE_VALIDATOR, spec.organisation_code, "组织机构代码"),
    ]:
        if not value and validator is ORGANISATION_CODE_VALIDATOR:
            continue
        try:
            validator(value)
        except ValidationError as error:
            problems.append(f"{label}「{value}」无效：{error.messages[0]}")
    if spec.kind not in standards.kinds:
        known = "、".join(f"{key}（{kind.label}）" for key, kind in standards.kinds.items())
        problems.append(f"未知的站点类型「{spec.kind}」，可选：{known}")
    if spec.accent_colour not in standards.palette:
        problems.append(
            f"主题色「{spec.accent_colour}」不在标准色板中，可选：{'、'.join(standards.palette)}"
        )
    if spec.contact_email:
        try:
            validate_email(spec.contact_email)
        except ValidationError:
            problems.append(f"联系邮箱「{spec.contact_email}」格式不正确")
    if (
        spec.parent
        and spec.parent not in pending_codes
        and not (SiteProfile.objects.filter(code=spec.parent).exists())
    ):
        problems.append(f"上级单位网站「{spec.parent}」不存在")

    existing = SiteProfile.objects.filter(code=spec.code).select_related("site").first()
    if existing and not allow_existing:
        problems.append(f"站点代码「{spec.code}」已被「{existing.name}」使用")
    if existing and existing.kind != spec.kind:
        problems.append(
            f"站点「{spec.code}」已是{existing.kind_label}，不能改为「{spec.kind}」类型"
        )
    others = SiteProfile.objects.exclude(code=spec.code)
    holder = others.filter(site_id_code=spec.site_id_code).first()
    if holder:
        problems.append(f"网站标识码「{spec.site_id_code}」已被「{holder.name}」使用")
    if not existing:
        if Site.objects.filter(hostname=spec.hostname).exists():
            problems.append(f"域名「{spec.hostname}」已被另一个站点使用")
        if spec.kind == "portal" and others.filter(kind="portal").exists():
            problems.append("门户网站只能有一个，已存在门户网站")
        if Page.get_first_root_node().get_children().filter(slug=spec.code).exists():
            problems.append(f"页面树根下已有路径为「{spec.code}」的页面")
    return problems


def provision_site(spec, *, allow_existing=True):
    """Provision one site in its own transaction; raise ProvisioningError before writing."""
    problems = validate(spec, allow_existing=allow_existing)
    if problems:
        raise ProvisioningError(problems)
    with transaction.atomic():
        return _Provisioner(spec).run()


def provision_many(specs, *, progress=None):
    """Provision an inventory: every entry is checked before anything is written.

    Each site then gets its own transaction, so a site is always whole. One transaction for the
    whole inventory was tried and dropped: on PostgreSQL, Wagtail's search backend rescans its
    index table on every page insert and inside one long transaction the dead rows pile up,
    making 50 sites take 116 s instead of 23 s (bench/provision.py). Should the database fail
    part-way, the sites already done are complete and running the inventory again finishes it.
    """
    problems = inventory_problems(specs)
    if problems:
        raise ProvisioningError(problems)
    reports = []
    for spec in specs:
        with transaction.atomic():
            reports.append(_Provisioner(spec).run())
        if progress:
            progress(spec)
    return reports


def inventory_problems(specs):
    problems = []
    seen = {}
    for number, spec in enumerate(specs, start=1):
        for attribute, label in [("code", "站点代码"), ("site_id_code", "网站标识码")]:
            value = getattr(spec, attribute)
            if (attribute, value) in seen:
                first = seen[(attribute, value)]
                problems.append(f"第 {number} 个站点：{label}「{value}」与第 {first} 个站点重复")
            seen.setdefault((attribute, value), number)
        earlier = [other.code for other in specs[: number - 1]]
        for problem in validate(spec, pending_codes=earlier):
            problems.append(f"第 {number} 个站点（{spec.code}）：{problem}")
    return problems


def _standard_page(column, show_in_menus):
    common = {"title": column.title, "slug": column.slug, "show_in_menus": show_in_menus}
    if column.page_type == "policy_library":
        return PolicyLibraryPage(live=True, **common)
    build = parts.column_type(column.page_type)
    if build is not None:
        return build(live=True, **common)
    return ColumnPage(
        update_days=column.update_days, blank_allowed=column.blank_allowed, live=True, **common
    )


class _Provisioner:
    """Ensures each part of one site exists, recording what it had to add."""

    def __init__(self, spec):
        self.spec = spec
        self.kind = load_standards().kind(spec.kind)
        self.profile = SiteProfile.objects.filter(code=spec.code).select_related("site").first()
        self.added = []

    def run(self):
        created = self.profile is None
        if created:
            home = self._create_home()
            site = self._create_site(home)
            self.profile = self._create_profile(site)
        home = self.profile.site.root_page
        collection = self._ensure_collection()
        groups = self._ensure_groups()
        self._ensure_permissions(groups, home, collection)
        self._ensure_columns(home)
        self._ensure_workflow(groups, home)
        for ensure in parts.parts():
            self.added.extend(ensure(self.profile))
        return ProvisionReport(
            code=self.spec.code,
            name=self.profile.name,
            hostname=self.profile.site.hostname,
            created=created,
            added=self.added,
        )

    def _create_home(self):
        page_class = PortalHomePage if self.spec.kind == "portal" else SiteHomePage
        home = page_class(title=self.spec.name, slug=self.spec.code, live=True)
        Page.get_first_root_node().add_child(instance=home)
        self.added.append("首页")
        return home

    def _create_site(self, home):
        is_portal = self.spec.kind == "portal"
        site = Site.objects.create(
            hostname=self.spec.hostname,
            port=settings.SITE_PORT,
            root_page=home,
            site_name=self.spec.name,
            is_default_site=is_portal and not Site.objects.filter(is_default_site=True).exists(),
        )
        self.added.append(f"站点 {site.hostname}")
        return site

    def _create_profile(self, site):
        parent = (
            SiteProfile.objects.filter(code=self.spec.parent).first() if self.spec.parent else None
        )
        values = {
            f.name: getattr(self.spec, f.name) for f in fields(SiteSpec) if f.name != "parent"
        }
        self.added.append("站点档案")
        return SiteProfile.objects.create(site=site, parent=parent, **values)

    def _ensure_collection(self):
        if self.profile.collection_id is None:
            root = Collection.get_first_root_node()
            self.profile.collection = root.add_child(name=self.profile.name)
            self.profile.save(update_fields=["collection"])
            self.added.append("素材库")
        return self.profile.collection

    def _ensure_groups(self):
        groups = {sg.role: sg.group for sg in self.profile.site_groups.select_related("group")}
        for role in SiteRole:
            if role not in groups:
                group, _ = Group.objects.get_or_create(name=group_name(self.profile.code, role))
                SiteGroup.objects.create(profile=self.profile, role=role, group=group)
                groups[role] = group
                self.added.append(f"用户组 {group.name}")
        return groups

    def _ensure_permissions(self, groups, home, collection):
        wanted_codenames = {
            codename
            for role in SiteRole
            for codename in PAGE_PERMISSIONS[role]
            + [c for _, c in COLLECTION_PERMISSIONS[role] + MODEL_PERMISSIONS[role]]
        }
        permissions = {
            (p.content_type.app_label, p.codename): p
            for p in Permission.objects.filter(codename__in=wanted_codenames).select_related(
                "content_type"
            )
        }
        new_rows = 0
        for role, group in groups.items():
            group.permissions.add(*(permissions[key] for key in MODEL_PERMISSIONS[role]))
            for codename in PAGE_PERMISSIONS[role]:
                _, made = GroupPagePermission.objects.get_or_create(
                    group=group, page=home, permission=permissions[("wagtailcore", codename)]
                )
                new_rows += made
            for key in COLLECTION_PERMISSIONS[role]:
                _, made = GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=collection, permission=permissions[key]
                )
                new_rows += made
        if new_rows:
            self.added.append(f"页面与素材权限 {new_rows} 项")

    def _ensure_columns(self, home):
        def url_path(path):
            return home.url_path + "".join(f"{slug}/" for slug in path)

        columns = list(self.kind.walk_columns())
        pages = {(): home}
        existing = {
            page.url_path: page
            for page in Page.objects.descendant_of(home).filter(
                url_path__in=[url_path(path) for path, _ in columns]
            )
        }
        for path, column in columns:
            if url_path(path) in existing:
                pages[path] = existing[url_path(path)]
                continue
            page = _standard_page(column, show_in_menus=len(path) == 1)
            pages[path] = pages[path[:-1]].add_child(instance=page)
            self.added.append(f"栏目 {'/'.join(path)}")

    def _ensure_workflow(self, groups, home):
        if WorkflowPage.objects.filter(page=home).exists():
            return
        workflow = Workflow.objects.create(name=f"{self.profile.name}三级审核", active=True)
        for order, (task_name, role) in enumerate(REVIEW_STEPS):
            task = GroupApprovalTask.objects.create(name=f"{task_name}（{self.profile.name}）")
            task.groups.set([groups[role]])
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=order)
        WorkflowPage.objects.create(page=home, workflow=workflow)
        self.added.append(f"审核流程 {workflow.name}")
