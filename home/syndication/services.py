"""Sharing content across sites by reference (DESIGN §5), as plain functions.

A department's article reaches the portal by submission (报送) and a portal reviewer's acceptance;
a portal notice reaches many sites at once by a platform admin's push. Either way the receiving
column gets a Wagtail alias of the original, never a copy: publishing the original updates every
alias, unpublishing or deleting it takes every alias offline, and the public alias page names the
original's site and points search engines at it (templates/base.html).

Each function applies every rule itself, so the admin views are only one way in: it raises
`PermissionDenied` when the user may not act at all and `SyndicationError`, with a sentence for the
user, when the content or the target does not allow it. Nothing is written in either case.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from wagtail.actions.create_alias import CreatePageAliasAction
from wagtail.log_actions import log
from wagtail.models import Page

from sites.models import SiteProfile, portal_profile

from ..models import ArticlePage, ColumnPage, PolicyDocumentPage, Submission
from ..models.base import site_profile_of
from .permissions import can_review


class SyndicationError(Exception):
    """A sharing rule the content or its target breaks; the message is shown to the user as is."""


def check_shareable(page):
    """Raise unless `page` may appear elsewhere by reference."""
    page_class = page.specific_class
    if page_class is None or not issubclass(page_class, ArticlePage):
        raise SyndicationError("只有文章可以共享。")
    if issubclass(page_class, PolicyDocumentPage):
        # Its 索引号 is unique, so no alias can exist; the portal's 政策文件库 lists it anyway.
        raise SyndicationError("政策文件由门户网站的政策文件库统一汇集，无需共享。")
    if page.alias_of_id:
        raise SyndicationError("该页面引用自其他网站，请共享原文。")
    if not page.live:
        raise SyndicationError("只有已发布的文章可以共享。")


def submitting_site(page, user):
    """The site that would submit `page` to the portal; raises unless `user` may submit it."""
    if not page.permissions_for_user(user).can_edit():
        raise PermissionDenied
    check_shareable(page)
    site = site_profile_of(page)
    if site is None or site.kind == "portal":
        raise SyndicationError("门户网站的文章无需报送；如需发到各站点，请使用「推送至各站点」。")
    if site.is_archived:
        raise SyndicationError("本站点已归档，不能报送。")
    return site


def check_pushable(notice, user):
    """Raise unless `user` may push `notice` to other sites: platform admins, portal articles."""
    if not user.is_superuser:
        raise PermissionDenied
    check_shareable(notice)
    site = site_profile_of(notice)
    if site is None or site.kind != "portal":
        raise SyndicationError("只能推送门户网站的文章。")


def portal_columns():
    """The portal columns that take submissions: its live columns without sub-columns."""
    portal = portal_profile()
    if portal is None:
        return ColumnPage.objects.none()
    columns = ColumnPage.objects.descendant_of(portal.home_page).live()
    parent_paths = [path[: -Page.steplen] for path in columns.values_list("path", flat=True)]
    return columns.exclude(path__in=parent_paths).order_by("path")


def pushable_sites():
    """The sites a notice may be pushed to: every active site but the portal."""
    return SiteProfile.objects.active().exclude(kind="portal").select_related("site")


def column_path_of(page):
    """The path of the column holding `page`, relative to its site home, e.g. "tzgg".

    Site homes are children of the tree root (DESIGN §5), so the first segment of the URL path
    names the site and the last one the page itself.
    """
    return "/".join(page.url_path.strip("/").split("/")[1:-1])


@transaction.atomic
def submit(page, column, user):
    """Submit `page` to the portal's `column`, to wait for the portal's review."""
    source_site = submitting_site(page, user)
    if not portal_columns().filter(pk=column.pk).exists():
        raise SyndicationError("只能报送至门户网站不含子栏目的栏目。")
    earlier = Submission.objects.filter(source=page, target_column=column).first()
    if earlier is not None:
        raise SyndicationError(
            f"「{page.title}」已报送至门户网站「{column.title}」栏目"
            f"（{earlier.get_status_display()}），不能重复报送。"
        )
    submission = Submission.objects.create(
        source=page,
        source_site=source_site,
        target_column=column,
        target_site=portal_profile(),
        submitted_by=user,
    )
    log(instance=submission, action="syndication.submitted", user=user)
    return submission


@transaction.atomic
def accept(submission, user, reason=""):
    """Accept `submission`: its item appears in the chosen portal column as an alias."""
    submission = _pending_for_decision(submission, user)
    source = submission.source.specific
    check_shareable(source)
    submission.alias = _place_alias(source, submission.target_column, user)
    _record_decision(submission, user, Submission.Status.ACCEPTED, reason)
    return submission


@transaction.atomic
def reject(submission, user, reason):
    """Reject `submission` with a reason the submitting site reads in its listing."""
    submission = _pending_for_decision(submission, user)
    if not reason.strip():
        raise SyndicationError("请填写不予采用的理由，报送单位将看到它。")
    _record_decision(submission, user, Submission.Status.REJECTED, reason)
    return submission


@dataclass
class PushReport:
    """What one push did, site by site."""

    column_path: str
    pushed: list = field(default_factory=list)
    missing_column: list = field(default_factory=list)
    already_there: list = field(default_factory=list)

    @property
    def summary(self):
        parts = [f"已推送至 {len(self.pushed)} 个站点。"]
        if self.missing_column:
            names = "、".join(site.name for site in self.missing_column)
            parts.append(
                f"跳过 {len(self.missing_column)} 个没有「{self.column_path}」栏目的站点：{names}。"
            )
        if self.already_there:
            names = "、".join(site.name for site in self.already_there)
            parts.append(f"跳过 {len(self.already_there)} 个已有该文章的站点：{names}。")
        return "".join(parts)


@transaction.atomic
def push(notice, sites, column_path, user):
    """Place `notice` under the column at `column_path` of each of `sites`, all or nothing.

    Sites lacking that column, or already holding an alias of the notice anywhere, are skipped
    and reported, so pushing again only reaches the sites added since.
    """
    check_pushable(notice, user)
    column_path = column_path.strip("/")
    chosen = list(
        pushable_sites()
        .filter(pk__in=[site.pk for site in sites])
        .select_related("site__root_page")
        .order_by("kind", "code")
    )
    if len(chosen) != len(sites):
        raise SyndicationError("只能推送至运行中的非门户站点。")
    wanted = {site.pk: f"{site.home_page.url_path}{column_path}/" for site in chosen}
    columns = {c.url_path: c for c in ColumnPage.objects.filter(url_path__in=wanted.values())}
    alias_paths = list(notice.aliases.values_list("path", flat=True))
    report = PushReport(column_path=column_path)
    for site in chosen:
        column = columns.get(wanted[site.pk])
        if any(path.startswith(site.home_page.path) for path in alias_paths):
            report.already_there.append(site)
        elif column is None:
            report.missing_column.append(site)
        else:
            _place_alias(notice, column, user)
            report.pushed.append(site)
    return report


def _pending_for_decision(submission, user):
    """The submission, locked against a concurrent decision, once we know `user` may decide."""
    if not can_review(user, submission.target_site):
        raise PermissionDenied
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if locked.status != Submission.Status.PENDING:
        raise SyndicationError(f"该报送已{locked.get_status_display()}，不能再次审核。")
    return locked


def _record_decision(submission, user, status, reason):
    submission.status = status
    submission.reason = reason.strip()
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.save()
    log(instance=submission, action=f"syndication.{status}", user=user)


def _place_alias(original, column, user):
    """Alias `original` under `column`; the caller has applied the sharing rules.

    Wagtail's own checks are skipped on purpose: they ask whether the user could copy the
    original and publish under the column, which a portal reviewer never can (no rights in the
    department's tree, no publish right under the three-step review). Acceptance is the review.
    """
    return CreatePageAliasAction(
        original.specific,
        parent=column,
        update_slug=_free_slug(column, original.slug),
        user=user,
    ).execute(skip_permission_checks=True)


def _free_slug(parent, slug):
    """`slug`, or `slug-2`, `slug-3`… when a page under `parent` already uses it."""
    taken = set(parent.get_children().filter(slug__startswith=slug).values_list("slug", flat=True))
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        candidate = f"{slug}-{number}"
    return candidate
