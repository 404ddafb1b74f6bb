"""The record of admin sign-ins: every password success and failure, every lockout, and every
second-factor step, with the time, the client's address and browser."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

from .client_ip import client_ip
from .models import LoginEvent

# The sender of the user_login_failed signal a wrong second factor sends, so that django-axes
# counts it toward the lockout; it is recorded as a second-factor failure, not a password one.
SECOND_FACTOR = "accounts.second_factor"

USER_AGENT_LENGTH = LoginEvent._meta.get_field("user_agent").max_length
USERNAME_LENGTH = LoginEvent._meta.get_field("username").max_length


def record(request, kind, username="", user=None):
    if user is None and username:
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
    meta = request.META if request is not None else {}
    return LoginEvent.objects.create(
        kind=kind,
        username=(username or (user.get_username() if user else ""))[:USERNAME_LENGTH],
        user=user,
        ip_address=client_ip(request) if request is not None else None,
        user_agent=meta.get("HTTP_USER_AGENT", "")[:USER_AGENT_LENGTH],
    )


def second_factor_failed(request, user, count_toward_lockout=True):
    """Record a wrong code; unless it was typed while enrolling, count it toward the lockout."""
    record(request, LoginEvent.Kind.SECOND_FACTOR_FAILED, user=user)
    if count_toward_lockout:
        user_login_failed.send(
            sender=SECOND_FACTOR, credentials={"username": user.get_username()}, request=request
        )


@receiver(user_logged_in)
def record_login(sender, request, user, **kwargs):
    typed = request.POST.get("username", "") if request is not None else ""
    record(request, LoginEvent.Kind.LOGIN_SUCCEEDED, username=typed, user=user)


@receiver(user_login_failed)
def record_failure(sender, credentials, request=None, **kwargs):
    # axes' receiver runs first (this module imports axes.signals before connecting its own):
    # the failure that reaches the limit, like every attempt while locked out, has marked the
    # request and is recorded once, as the lockout axes signals.
    if sender == SECOND_FACTOR or getattr(request, "axes_locked_out", False):
        return
    record(request, LoginEvent.Kind.LOGIN_FAILED, username=credentials.get("username") or "")


@receiver(user_locked_out)
def record_lockout(sender, request, username, **kwargs):
    record(request, LoginEvent.Kind.LOCKED_OUT, username=username or "")
