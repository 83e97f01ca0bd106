from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "tianping.api"
    label = "api"
    verbose_name = _("数据接口")

    def ready(self) -> None:
        from tianping.api import checks  # noqa: F401 - registers the deploy check on the demo token
