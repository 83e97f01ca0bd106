from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem

_PARTY = ("leader", "party_office", "branch_secretary")

MENU = [
    MenuGroup(_("党组织与党员"), order=20, items=(
        MenuItem(_("我的党员档案"), "party:my_record", "person-vcard", ("member",)),
        MenuItem(_("党组织"), "party:organisation_list", "flag", ("leader", "party_office", "branch_secretary",
                                                                 "member")),
        MenuItem(_("党员名册"), "party:member_list", "person-badge", _PARTY + ("member",)),
        MenuItem(_("组织关系转接"), "party:transfer_list", "arrow-left-right", _PARTY),
        MenuItem(_("党费收缴表"), "party:dues_sheet", "cash-coin", _PARTY),
        MenuItem(_("党费年度汇总"), "party:dues_totals", "table", _PARTY),
        MenuItem(_("积分台账"), "party:points_ledger", "star", _PARTY + ("member",)),
        MenuItem(_("积分排名"), "party:points_ranking", "trophy", _PARTY),
        MenuItem(_("党务规则"), "party:rules", "sliders", ("party_office", "leader")),
    )),
]
