from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("系统与安全"), order=90, items=(
    MenuItem(_("账号管理"), "accounts:account_list", "person-gear", perm="accounts.manage_accounts"),
    MenuItem(_("安全策略"), "accounts:policy", "shield-lock", perm="accounts.manage_security"),
    MenuItem(_("审计日志"), "accounts:audit_list", "journal-check", perm="accounts.view_audit"),
)))
