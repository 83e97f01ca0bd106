from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "tianping.service"
    label = "service"
    verbose_name = _("司法为民")

    def ready(self) -> None:
        from tianping.service import trials_figures

        trials_figures.register()
