from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("司法为民"), order=65, items=(
    MenuItem(_("司法为民统计"), "service:home", "heart", perm="service.view_figures"),
    MenuItem(_("案件回访"), "service:revisit_list", "telephone", perm="service.view_revisit"),
    MenuItem(_("回访问题整改"), "service:follow_up_list", "check2-square", perm="service.view_followup"),
    MenuItem(_("巡回审判"), "service:circuit_list", "signpost-2", perm="service.view_circuittrial"),
    MenuItem(_("法官六进与法制宣传"), "service:outreach_list", "megaphone", perm="service.view_outreachevent"),
    MenuItem(_("双包双联走访"), "service:visit_list", "building", perm="service.view_partnervisit"),
    MenuItem(_("作风投诉"), "service:complaint_list", "envelope-exclamation", perm="service.view_complaint"),
)))
