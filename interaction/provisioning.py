"""The mailbox part of a site (registered with `sites.parts`): the site's own handling unit
with its 信件办理, 信件审核 and — where the site has a mailbox — 信件调度 groups, and each
mailbox page's dispatching unit. Re-provisioning an existing site adds what is missing."""

from django.contrib.auth.models import Group, Permission

from sites.models import SiteProfile

from .models import ROLE_LABELS, HandlingUnit, MailboxPage


def unit_group_name(code, role, office=""):
    return ":".join(part for part in (code, office, ROLE_LABELS[role]) if part)


def _group(profile, role, added, office=""):
    group, created = Group.objects.get_or_create(name=unit_group_name(profile.code, role, office))
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
        added.append(f"用户组 {group.name}")
    return group


def ensure_mail_handling(profile: SiteProfile):
    added = []
    mailboxes = MailboxPage.objects.descendant_of(profile.site.root_page)
    unit = HandlingUnit.objects.filter(site=profile, parent=None).first()
    if unit is None:
        unit = HandlingUnit.objects.create(
            site=profile,
            name=profile.sponsor,
            handlers=_group(profile, "handler", added),
            reviewers=_group(profile, "reviewer", added),
        )
        added.append(f"承办单位 {unit.name}")
    if unit.dispatchers_id is None and mailboxes.exists():
        unit.dispatchers = _group(profile, "dispatcher", added)
        unit.save(update_fields=["dispatchers"])
    for mailbox in mailboxes.filter(unit=None):
        mailbox.unit = unit
        mailbox.save(update_fields=["unit"])
        added.append(f"信箱 {mailbox.title} 的调度单位")
    return added


def add_office(unit, name):
    """An office (内设机构) of a site's unit, with its own 信件办理 and 信件审核 groups."""
    added = []
    return HandlingUnit.objects.create(
        site=unit.site,
        parent=unit,
        name=name,
        handlers=_group(unit.site, "handler", added, office=name),
        reviewers=_group(unit.site, "reviewer", added, office=name),
    )
