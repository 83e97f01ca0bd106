from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartylifeConfig(AppConfig):
    name = "tianping.partylife"
    label = "partylife"
    verbose_name = _("组织生活")
