from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem

MENU = [
    MenuGroup(_("系统与安全"), order=90, items=(
        MenuItem(_("账号管理"), "accounts:account_list", "person-gear", ("sysadmin",)),
        MenuItem(_("安全策略"), "accounts:policy", "shield-lock", ("secadmin",)),
        MenuItem(_("审计日志"), "accounts:audit_list", "journal-check", ("auditor",)),
    )),
]
