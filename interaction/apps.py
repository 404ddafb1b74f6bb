from django.apps import AppConfig


class InteractionConfig(AppConfig):
    """互动交流: leaders' mailboxes with their closed loop (letters arrive with the next issues'
    work); today the redaction of personal data that every published letter goes through."""

    name = "interaction"
    verbose_name = "互动交流"
