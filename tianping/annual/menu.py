from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("年度报告"), order=45, items=(
    MenuItem(_("年度党建工作报告"), "annual:report", "journal-richtext", perm="annual.view_report"),
)))
