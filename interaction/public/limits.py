"""Rate limits on writing, counted from the stored letters themselves (client_hash, phone,
received_at), so every server process agrees and nothing else needs keeping: at most
LETTER_RATE_LIMITS["client_per_hour"] letters per client and ["phone_per_day"] per phone."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts.client_ip import client_ip

from ..models import Letter


@dataclass(frozen=True)
class Limit:
    setting: str
    field: str
    window: timedelta
    message: str  # {count} and {retry} are filled in


ROUND_UP = timedelta(seconds=59)  # the retry time is shown to the minute: never too early

LIMITS = (
    Limit(
        "client_per_hour",
        "client_hash",
        timedelta(hours=1),
        "同一网络 1 小时内最多可提交 {count} 封信件，请于 {retry} 后再试。",
    ),
    Limit(
        "phone_per_day",
        "phone",
        timedelta(hours=24),
        "同一联系电话 24 小时内最多可提交 {count} 封信件，请于 {retry} 后再试。",
    ),
)


def client_key(request):
    """The client's address under the site's secret: stable (so an hour's count holds across
    midnight), not readable as an address, and the same whatever browser the client claims."""
    address = client_ip(request)
    return salted_hmac("interaction.letter-client", address).hexdigest() if address else ""


def refusal(client_hash, phone, now=None):
    """The Chinese message saying when to try again, or None while both limits allow a letter."""
    now = now or timezone.now()
    values = {"client_hash": client_hash, "phone": phone}
    for limit in LIMITS:
        count = settings.LETTER_RATE_LIMITS.get(limit.setting, 0)
        if not count or not values[limit.field]:
            continue
        recent = list(
            Letter.objects.filter(
                **{limit.field: values[limit.field]}, received_at__gt=now - limit.window
            )
            .order_by("-received_at")
            .values_list("received_at", flat=True)[:count]
        )
        if len(recent) >= count:  # free again once the oldest of the newest `count` ages out
            retry = timezone.localtime(recent[-1] + limit.window + ROUND_UP)
            return limit.message.format(count=count, retry=f"{retry:%Y-%m-%d %H:%M}")
    return None
