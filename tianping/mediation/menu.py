from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("诉调对接"), order=60, items=(
    MenuItem(_("诉前调解案件"), "mediation:dispute_list", "people-fill", perm="mediation.view_dispute"),
    MenuItem(_("诉调对接统计"), "mediation:figures", "bar-chart", perm="mediation.view_figures"),
    MenuItem(_("赔偿计算器"), "mediation:standalone_calculator", "calculator", perm="mediation.use_calculator"),
    MenuItem(_("调解员名册"), "mediation:mediator_list", "person-badge", perm="mediation.view_mediator"),
    MenuItem(_("人民调解委员会"), "mediation:committee_list", "diagram-3", perm="mediation.view_committee"),
    MenuItem(_("统计数据与限额"), "mediation:statistics", "table", perm="mediation.view_provincestatistic"),
)))
