from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tianping.accounts"
    label = "accounts"
    verbose_name = _("账号与安全")

    def ready(self) -> None:
        from tianping.accounts import signals  # noqa: F401  (login/logout/failed-login audit)
