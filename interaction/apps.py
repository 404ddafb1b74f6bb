from django.apps import AppConfig


class InteractionConfig(AppConfig):
    """互动交流: leaders' mailboxes (领导信箱) with their closed loop on a working-day clock."""

    name = "interaction"
    verbose_name = "互动交流"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from runtime.models import CalendarDay
        from sites import parts

        from .calendar_change import calendar_changed
        from .demo import create_mail_accounts, fill_letters
        from .models import MailboxPage
        from .provisioning import ensure_mail_handling
        from .public import signals  # noqa: F401  (retires cached mailbox pages)

        parts.register_column_type("mailbox", MailboxPage)
        parts.register_part(ensure_mail_handling)
        parts.register_demo(fill_letters)
        parts.register_demo_accounts(create_mail_accounts)
        post_save.connect(calendar_changed, sender=CalendarDay, dispatch_uid="letters-calendar")
        post_delete.connect(calendar_changed, sender=CalendarDay, dispatch_uid="letters-calendar")
