from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem

_CENTRE = ("leader", "trial_office", "mediator", "member")

MENU = [
    MenuGroup(_("诉调对接"), order=60, items=(
        MenuItem(_("诉前调解案件"), "mediation:dispute_list", "people-fill", _CENTRE),
        MenuItem(_("诉调对接统计"), "mediation:figures", "bar-chart", ("leader", "trial_office", "mediator",
                                                                  "higher_court")),
        MenuItem(_("调解员名册"), "mediation:mediator_list", "person-badge", ("leader", "trial_office", "mediator")),
        MenuItem(_("统计数据与限额"), "mediation:statistics", "table", ("leader", "trial_office", "mediator")),
    )),
]
