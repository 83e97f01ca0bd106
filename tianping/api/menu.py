from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("数据接口"), order=91, items=(
    MenuItem(_("接口令牌"), "api:token_list", "key", perm="api.manage_tokens"),
)))
