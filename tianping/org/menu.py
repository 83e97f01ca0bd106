from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("机构与人员"), order=10, items=(
    MenuItem(_("组织架构"), "org:tree", "diagram-3", perm="org.view_tree"),
    MenuItem(_("人员名册"), "org:person_list", "people", perm="org.view_roster"),
    MenuItem(_("部门"), "org:department_list", "building", perm="org.view_departments"),
    MenuItem(_("法院"), "org:court_list", "bank", perm="org.view_courts"),
)))
