"""Demo letters and mail-role accounts, registered with `setup_demo` (sites.parts).

Every mailbox gets letters at every point of the loop — new, dispatched, in progress, waiting
for an extension or a reply review, answered, rated, reopened, published, refused — some of
them overdue, all on the working-day clock and with their timelines. Deterministic per site."""

import random
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from sites.demo_accounts import DEMO_PASSWORD, DEMO_SITES

from .actions import perform
from .models import HandlingUnit, MailboxPage, Rating
from .provisioning import add_office
from .submission import submit

WRITERS = ["李明", "王芳", "张伟", "刘洋", "陈静", "杨磊", "赵敏", "黄勇", "周丽", "吴刚"]
MATTERS = [
    (
        "complaint",
        "小区附近工地夜间施工噪音扰民",
        "{street}旁的工地每天晚上十一点以后还在施工，噪音很大，影响休息。",
    ),
    (
        "consultation",
        "新生儿医保参保怎么办理",
        "孩子刚出生，想咨询新生儿医保参保需要哪些材料，能否网上办理。",
    ),
    (
        "help",
        "老旧小区加装电梯申请",
        "我们{street}的老小区想加装电梯，请问申请流程和补贴政策是什么。",
    ),
    ("suggestion", "建议增加公交线路", "{street}一带居民较多，早高峰公交很挤，建议增开一条线路。"),
    ("report", "有商户占道经营", "{street}有几家商户长期占用人行道摆摊，行人只能走机动车道。"),
    ("complaint", "路灯损坏多日无人修", "{street}的路灯坏了一个多星期，晚上出行很不安全。"),
]
STREETS = ["人民路", "滨江路", "建设路", "解放路", "中山路", "新华路"]
REPLY = "经核实，您反映的问题属实。我单位已安排工作人员现场处理，并将持续跟踪，感谢您的监督。"
# (steps to take, days ago the letter came): every point of the loop, some overdue.
STORIES = [
    ([], 0),
    (["dispatch"], 0),
    (["dispatch", "accept"], 2),
    (["dispatch", "accept"], 30),
    (["dispatch", "accept", "request_extension"], 6),
    (["dispatch", "accept", "submit_reply"], 3),
    (["dispatch", "accept", "submit_reply", "approve_reply"], 5),
    (["dispatch", "accept", "submit_reply", "approve_reply", "publish", "rate"], 12),
    (["dispatch", "accept", "submit_reply", "approve_reply", "publish", "rate"], 40),
    (["dispatch", "accept", "submit_reply", "approve_reply", "reopen"], 15),
    (["dispatch", "request_return"], 1),
    (["not_accept"], 4),
    (["reply_directly", "approve_reply", "publish", "rate"], 20),
]
OFFICES = ["办公室", "综合业务科"]
MAIL_ROLE_USERNAMES = {"dispatcher": "dispatcher", "handler": "handler", "reviewer": "mailreviewer"}


def fill_letters(profile):
    mailbox = MailboxPage.objects.descendant_of(profile.site.root_page).first()
    if mailbox is None or mailbox.letters.exists():
        return 0
    rng = random.Random(f"letters-{profile.code}")
    staff = get_user_model().objects.filter(is_superuser=True).order_by("pk").first()
    if profile.kind != "portal" and not mailbox.unit.offices.exists():
        for office in OFFICES:
            add_office(mailbox.unit, office)
    targets = list(mailbox.unit.dispatch_targets()[:12])
    stories = STORIES if profile.kind == "portal" else rng.sample(STORIES, 4)
    for number, (steps, days_ago) in enumerate(stories):
        category, subject, content = MATTERS[number % len(MATTERS)]
        if category not in mailbox.categories:
            category = mailbox.categories[0]
        writer = WRITERS[rng.randrange(len(WRITERS))]
        came = timezone.now() - timedelta(days=days_ago, hours=rng.randrange(1, 6))
        letter = submit(
            mailbox,
            now=came,
            category=category,
            subject=subject,
            content=content.format(street=rng.choice(STREETS))
            + f"联系人{writer}，电话1390799{rng.randrange(10000):04d}。",
            name=writer,
            phone=f"1390799{rng.randrange(10000):04d}",
            wants_public=True,
        ).letter
        _tell(letter, steps, staff, rng.choice(targets), came)
    return len(stories)


def _tell(letter, steps, staff, unit, came):
    when = came
    for step in steps:
        when = min(when + timedelta(hours=20), timezone.now())
        data = {}
        if step == "dispatch":
            data["unit"] = unit
        elif step in ("submit_reply", "reply_directly"):
            data["reply"] = REPLY
        elif step == "request_extension":
            data["days"] = 5
        elif step == "not_accept":
            data["not_accepted"] = "disclosure"
        elif step in ("rate", "reopen"):
            rating = Rating.SATISFIED if step == "rate" else Rating.UNSATISFIED
            perform(letter, step, actor="writer", rating=rating, now=when)
            continue
        reason = {
            "request_extension": "需协调多个部门现场核查。",
            "request_return": "该事项不属于本单位职责，建议转交属地街道办理。",
            "not_accept": "请通过政府信息公开申请渠道提出。",
        }.get(step, "")
        perform(letter, step, user=staff, reason=reason, now=when, **data)


def create_mail_accounts():
    """One user per mail role for the portal and the demo sites; returns [(username, text)]."""
    User = get_user_model()
    accounts = []
    for unit in HandlingUnit.objects.filter(site__code__in=["www", *DEMO_SITES], parent=None):
        for role, suffix in MAIL_ROLE_USERNAMES.items():
            group = getattr(unit, f"{role}s")
            if group is None:
                continue
            username = f"{unit.site.code}_{suffix}"
            user, created = User.objects.get_or_create(
                username=username, defaults={"first_name": f"{unit.name}{group.name.split(':')[1]}"}
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(group)
            accounts.append((username, f"{unit.site.name} · {group.name.split(':')[1]}"))
    return accounts
