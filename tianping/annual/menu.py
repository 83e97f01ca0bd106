from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("年度报告"), order=45, items=(
    MenuItem(_("年度党建工作报告"), "annual:report", "journal-richtext", perm="annual.view_report"),
    MenuItem(_("院党建工作看板"), "annual:dashboard", "speedometer2", perm="annual.view_dashboard"),
    MenuItem(_("支部建设比拼"), "annual:scorecards", "bar-chart-steps", perm="annual.view_dashboard"),
    MenuItem(_("指挥中心大屏"), "annual:big_screen", "display", perm="annual.view_dashboard"),
)))
