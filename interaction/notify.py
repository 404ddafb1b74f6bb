"""Mail about letters: to the handling unit, the dispatcher, the unit's 站点管理员, the platform
admins and the writer. Sent through the platform's queued mail (runtime.mail), after commit."""

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from sites.models import SiteRole


def _send(subject, body, recipients):
    recipients = sorted({address for address in recipients if address})
    if recipients:
        send_mail(subject, body, None, recipients)


def _emails(**filters):
    users = get_user_model().objects.filter(is_active=True, **filters).exclude(email="")
    return users.values_list("email", flat=True)


def _staff_body(letter, what, note=""):
    lines = [
        f"{what}：{letter.subject}",
        f"信箱：{letter.mailbox.title}；类型：{letter.get_category_display()}；"
        f"状态：{letter.get_state_display()}",
    ]
    due = letter.deadlines.filter(stage="reply").first()
    if due:
        lines.append(f"答复期限：{_local(due.due_at)}")
    if note:
        lines.append(f"说明：{note}")
    lines.append(f"办理：{_link(letter)}")
    return "\n".join(lines)


def _local(moment):
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _link(letter):
    return f"{letter.mailbox.get_site().root_url}{reverse('letters:detail', args=[letter.pk])}"


def unit_handlers(letter, unit, what):
    _send(
        f"【信件{what}】{letter.subject}", _staff_body(letter, what), _emails(groups=unit.handlers)
    )


def dispatchers(letter, what):
    unit = letter.mailbox.unit
    if unit and unit.dispatchers_id:
        _send(
            f"【信件{what}】{letter.subject}",
            _staff_body(letter, what),
            _emails(groups=unit.dispatchers),
        )


def supervised(letter, reason):
    """督办: the lead unit, its site's 站点管理员 and the mailbox's dispatchers are told."""
    unit = letter.mailbox.unit
    recipients = list(_emails(groups=unit.dispatchers)) if unit and unit.dispatchers_id else []
    if letter.lead_unit:
        recipients += _emails(groups=letter.lead_unit.handlers)
        recipients += _emails(
            groups__site_group__profile=letter.lead_unit.site,
            groups__site_group__role=SiteRole.SITE_ADMIN,
        )
    _send(f"【督办】{letter.subject}", _staff_body(letter, "督办", reason), recipients)


def due_soon(group_id, deadlines, hours):
    """One reminder to a unit's group, listing each of its deadlines due within `hours`."""
    lines = [f"以下信件的办理期限将在 {hours} 小时内到期，请及时办理："]
    for deadline in deadlines:
        letter = deadline.letter
        lines += [
            f"- {letter.query_code} {letter.subject}："
            f"{deadline.get_stage_display()}期限 {_local(deadline.due_at)}",
            f"  办理：{_link(letter)}",
        ]
    _send(
        f"【期限提醒】{len(deadlines)} 项信件办理期限即将到期",
        "\n".join(lines),
        _emails(groups=group_id),
    )


def platform_alert(letters, days):
    lines = [f"以下信件已超过 {days} 天未答复（满 3 个月未答复将被单项否决）："]
    lines += [
        f"- {letter.query_code} {letter.subject}（{letter.mailbox.title}）" for letter in letters
    ]
    _send(
        f"【告警】{len(letters)} 封信件超过 {days} 天未答复",
        "\n".join(lines),
        _emails(is_superuser=True),
    )


def writer(letter, what):
    if not letter.email:
        return
    url = f"{letter.mailbox.full_url}{letter.mailbox.reverse_subpage('query')}"
    body = (
        f"您写给{letter.mailbox.title}的信件“{letter.subject}”{what}。\n"
        f"查询码：{letter.query_code}\n"
        f"请凭查询码和查询密码在 {url} 查看办理过程和答复，并进行评价。"
    )
    _send(f"【{letter.mailbox.title}】您的信件{what}", body, [letter.email])


def receipt(letter, password):
    """The writer's receipt: the 查询码 and the query password, the only time the password is
    sent anywhere (it is stored hashed)."""
    if not letter.email:
        return
    url = f"{letter.mailbox.full_url}{letter.mailbox.reverse_subpage('query')}"
    body = (
        f"您写给{letter.mailbox.title}的信件“{letter.subject}”已收到。\n"
        f"查询码：{letter.query_code}\n"
        f"查询密码：{password}\n"
        f"请妥善保存，凭查询码和查询密码可在 {url} 查看办理过程和答复，并进行评价。"
    )
    _send(f"【{letter.mailbox.title}】信件已收到，查询码 {letter.query_code}", body, [letter.email])
