from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Admin accounts (等保 2.0 三级): two-factor authentication, password ageing and history,
    and the record of every login.

    Imports only `runtime` and `sites` of the project's apps.
    """

    name = "accounts"
    verbose_name = "账号安全"

    def ready(self):
        from . import login_events, passwords  # noqa: F401  (connect their signal receivers)
