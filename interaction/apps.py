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
        from .models import MailboxPage
        from .provisioning import ensure_mail_handling

        parts.register_column_type("mailbox", MailboxPage)
        parts.register_part(ensure_mail_handling)
        post_save.connect(calendar_changed, sender=CalendarDay, dispatch_uid="letters-calendar")
        post_delete.connect(calendar_changed, sender=CalendarDay, dispatch_uid="letters-calendar")
