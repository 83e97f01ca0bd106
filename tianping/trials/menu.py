from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("审判质效"), order=40, items=(
    MenuItem(_("三比"), "trials:overview", "bar-chart", perm="trials.view_figures"),
    MenuItem(_("案件"), "trials:case_list", "folder2-open", perm="trials.view_case"),
    MenuItem(_("立案登记"), "trials:case_file", "file-earmark-plus", perm="trials.add_case"),
    MenuItem(_("辖区法院质效"), "trials:courts", "table", perm="trials.view_courts"),
    MenuItem(_("案件类型与审限"), "trials:case_types", "list-ol", perm="trials.change_casetype"),
)))
