from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnnualConfig(AppConfig):
    name = "tianping.annual"
    label = "annual"
    verbose_name = _("年度党建工作报告")
