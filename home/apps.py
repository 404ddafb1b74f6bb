from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The content model: base page, portal and site home pages, columns and articles."""

    name = "home"
    verbose_name = "内容"

    def ready(self):
        from . import signals  # noqa: F401
