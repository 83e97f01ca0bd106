from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "tianping.honours"
    label = "honours"
    verbose_name = _("先锋岗、表彰与展示")

    def ready(self) -> None:
        from tianping.honours import selectors  # noqa: F401  (registers the column's study hours)
