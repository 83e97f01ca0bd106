from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("先锋岗与表彰"), order=35, items=(
    MenuItem(_("党员先锋岗"), "honours:post_list", "flag", perm="honours.view_pioneerpost"),
    MenuItem(_("表彰奖励"), "honours:honour_list", "award", perm="honours.view_honour"),
    MenuItem(_("表彰统计"), "honours:figures", "bar-chart-line", perm="honours.view_figures"),
    MenuItem(_("办案能手与调解能手"), "honours:experts", "trophy", perm="honours.award_experts"),
    MenuItem(_("评选"), "honours:selection_list", "check2-square", perm="honours.view_selection"),
    MenuItem(_("网上党建专栏"), "honours:article_list", "newspaper", perm="honours.view_article"),
    MenuItem(_("党建阵地"), "honours:venue_list", "building", perm="honours.view_venue"),
    MenuItem(_("展板"), "honours:display_board", "easel", perm="honours.display_boards"),
    MenuItem(_("大厅展示屏"), "honours:lobby_screens", "display", perm="honours.view_lobbyscreen"),
)))
