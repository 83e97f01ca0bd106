from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntegrityConfig(AppConfig):
    name = "tianping.integrity"
    verbose_name = _("廉政")

    def ready(self) -> None:
        # integrity builds on trials (a letter belongs to a case); trials tells it about filed cases through
        # tianping.trials.hooks and never imports integrity
        from tianping.integrity import hooks  # noqa: F401
