from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem

_FIGURES = ("leader", "trial_office", "party_office", "member", "branch_secretary")

MENU = [
    MenuGroup(_("审判质效"), order=40, items=(
        MenuItem(_("三比"), "trials:overview", "bar-chart", _FIGURES),
        MenuItem(_("案件"), "trials:case_list", "folder2-open", ("leader", "trial_office", "member")),
        MenuItem(_("辖区法院质效"), "trials:courts", "table", ("higher_court",)),
        MenuItem(_("案件类型与审限"), "trials:case_types", "list-ol", ("trial_office", "sysadmin")),
    )),
]
