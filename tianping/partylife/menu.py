from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem

_PARTY = ("leader", "party_office", "branch_secretary", "member")
_MANAGERS = ("leader", "party_office", "branch_secretary")

MENU = [
    MenuGroup(_("组织生活"), order=30, items=(
        MenuItem(_("会议活动"), "partylife:meeting_list", "people-fill", _PARTY),
        MenuItem(_("组织生活日历"), "partylife:calendar", "calendar3", _PARTY),
        MenuItem(_("合规情况"), "partylife:compliance", "grid-3x3-gap", _MANAGERS),
        MenuItem(_("廉政大讲堂"), "partylife:lecture_hall", "mic", _PARTY),
        MenuItem(_("学时与出勤"), "partylife:study", "journal-check", _PARTY),
        MenuItem(_("活动与类型设置"), "partylife:campaigns", "sliders", ("party_office",)),
    )),
]
