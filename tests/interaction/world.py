"""A mail world: the portal and two departments, each with its mailbox, and one user per mail
role (信件调度, 信件办理, 信件审核) and per site role, named <code>_<role>."""

from interaction.models import HandlingUnit, MailboxPage
from interaction.submission import submit
from tests.factories import UserFactory, provision, role_users

MAIL_ROLES = ("dispatcher", "handler", "reviewer")


def build_mail_world():
    world = {"portal": provision("www", "portal"), "a": provision("aaa"), "b": provision("bbb")}
    users = {}
    for key in ("portal", "a", "b"):
        profile = world[key]
        unit = HandlingUnit.objects.get(site=profile, parent=None)
        world[f"{key}_unit"] = unit
        world[f"{key}_mailbox"] = MailboxPage.objects.descendant_of(profile.home_page).get()
        for role in MAIL_ROLES:
            group = getattr(unit, f"{role}s")
            if group is None:
                continue
            user = UserFactory(
                username=f"{profile.code}_{role}", email=f"{profile.code}_{role}@example.gov.cn"
            )
            user.groups.add(group)
            users[(key, role)] = user
        for role, user in role_users(profile).items():
            users[(key, str(role))] = user
    world["users"] = users
    return world


LETTER = {
    "category": "complaint",
    "subject": "小区门口道路长期积水",
    "content": "人民路88号小区门口道路一下雨就积水，我叫张三丰，电话13912345678，请尽快处理。",
    "name": "张三丰",
    "phone": "13912345678",
    "email": "writer@example.com",
    "wants_public": True,
}


def write(mailbox, **overrides):
    return submit(mailbox, **{**LETTER, **overrides})
