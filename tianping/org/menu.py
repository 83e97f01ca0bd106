from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem

_BUSINESS = ("leader", "party_office", "branch_secretary", "member", "trial_office", "mediator", "higher_court")

MENU = [
    MenuGroup(_("机构与人员"), order=10, items=(
        MenuItem(_("组织架构"), "org:tree", "diagram-3", _BUSINESS),
        MenuItem(_("人员名册"), "org:person_list", "people", ("leader", "party_office", "trial_office")),
        MenuItem(_("部门"), "org:department_list", "building", ("leader", "party_office", "trial_office")),
        MenuItem(_("法院"), "org:court_list", "bank", ("leader", "party_office", "higher_court", "sysadmin")),
    )),
]
