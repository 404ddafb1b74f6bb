from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    """Background work and time: the task worker, the clock (scheduled jobs) and outgoing mail.

    The lowest of the project's apps: it imports none of them. Jobs name management commands
    (platform/schedule.toml), so higher apps are run without being imported.
    """

    name = "runtime"
    verbose_name = "运行与调度"

    def ready(self):
        from . import audit  # noqa: F401  (registers the retention check)
