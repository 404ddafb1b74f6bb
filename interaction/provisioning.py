"""The mailbox part of a site (registered with `sites.parts`): the site's own handling unit
with its 信件办理, 信件审核 and — where the site has a mailbox — 信件调度 groups, and each
mailbox page's dispatching unit. Re-provisioning an existing site adds what is missing."""

from django.contrib.auth.models import Group, Permission

from sites.models import SiteProfile

from .models import ROLE_LABELS, HandlingUnit, MailboxPage


def unit_group_name(code, role):
    return f"{code}:{ROLE_LABELS[role]}"


def _admin_group(name):
    """The group `name`, created with the right to enter the admin if it was missing."""
    group, created = Group.objects.get_or_create(name=name)
    if created:
        group.permissions.add(
            Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        )
    return group, created


def _group(profile, role, added):
    group, created = _admin_group(unit_group_name(profile.code, role))
    if created:
        added.append(f"用户组 {group.name}")
    return group


def office_group_name(office, role):
    return f"{office.site.code}:{office.name}:{ROLE_LABELS[role]}"


def add_office_groups(office):
    """The 信件办理 and 信件审核 groups of a new office (内设机构) of a site's unit."""
    office.handlers, _ = _admin_group(office_group_name(office, "handler"))
    office.reviewers, _ = _admin_group(office_group_name(office, "reviewer"))


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
    """An office (内设机构) of a site's unit, with its own groups."""
    office = HandlingUnit(site=unit.site, parent=unit, name=name)
    add_office_groups(office)
    office.save()
    return office
