from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("组织生活"), order=30, items=(
    MenuItem(_("会议活动"), "partylife:meeting_list", "people-fill", perm="partylife.view_meetings"),
    MenuItem(_("组织生活日历"), "partylife:calendar", "calendar3", perm="partylife.view_meetings"),
    MenuItem(_("合规情况"), "partylife:compliance", "grid-3x3-gap", perm="partylife.view_compliance"),
    MenuItem(_("廉政大讲堂"), "partylife:lecture_hall", "mic", perm="partylife.view_lectures"),
    MenuItem(_("学时与出勤"), "partylife:study", "journal-check", perm="partylife.view_study"),
    MenuItem(_("活动与类型设置"), "partylife:campaigns", "sliders", perm="partylife.manage_settings"),
)))
