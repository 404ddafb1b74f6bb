from django.apps import AppConfig


class SitesConfig(AppConfig):
    """Site registry and lifecycle: provisioning, identity, branding, isolation, archiving."""

    name = "sites"
    verbose_name = "站点管理"

    def ready(self):
        from . import signals  # noqa: F401
