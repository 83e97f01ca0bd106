from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("年度报告"), order=45, items=(
    MenuItem(_("年度党建工作报告"), "annual:report", "journal-richtext", perm="annual.view_report"),
    MenuItem(_("院党建工作看板"), "annual:dashboard", "speedometer2", perm="annual.view_dashboard"),
    MenuItem(_("支部建设比拼"), "annual:scorecards", "bar-chart-steps", perm="annual.view_dashboard"),
    MenuItem(_("指挥中心大屏"), "annual:big_screen", "display", perm="annual.view_dashboard"),
    MenuItem(_("五型五力自评与评议"), "annual:leadership_list", "person-badge", perm="annual.view_leadership"),
    MenuItem(_("领导班子学习教育"), "annual:study_list", "book", perm="annual.view_leadershipstudy"),
    MenuItem(_("人员配置"), "annual:placement", "diagram-3", perm="annual.view_placement"),
)))
