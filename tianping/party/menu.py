from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("党组织与党员"), order=20, items=(
    MenuItem(_("我的党员档案"), "party:my_record", "person-vcard", perm="party.view_my_record"),
    MenuItem(_("党组织"), "party:organisation_list", "flag", perm="party.view_partyorganisation"),
    MenuItem(_("党员名册"), "party:member_list", "person-badge", perm="party.view_partymember"),
    MenuItem(_("组织关系转接"), "party:transfer_list", "arrow-left-right", perm="party.view_partytransfer"),
    MenuItem(_("党费收缴表"), "party:dues_sheet", "cash-coin", perm="party.view_dues_sheet"),
    MenuItem(_("党费年度汇总"), "party:dues_totals", "table", perm="party.view_dues_sheet"),
    MenuItem(_("积分台账"), "party:points_ledger", "star", perm="party.view_pointsentry"),
    MenuItem(_("积分排名"), "party:points_ranking", "trophy", perm="party.view_figures"),
    MenuItem(_("党务规则"), "party:rules", "sliders", perm="party.view_rules"),
)))
