from django.utils.translation import gettext_lazy as _

from tianping.core.menu import MenuGroup, MenuItem
from tianping.core.registry import menu

menu.register(MenuGroup(_("廉政"), order=70, items=(
    MenuItem(_("法官寄语"), "integrity:desk", "envelope-paper", perm="integrity.view_letter_figures"),
    MenuItem(_("六项机制"), "integrity:measure_list", "shield-check", perm="integrity.view_measure"),
    MenuItem(_("家庭助廉"), "integrity:family", "house-heart", perm="integrity.view_family"),
    MenuItem(_("三个规定"), "integrity:reports", "journal-check", perm="integrity.view_monthlyreport"),
)))
