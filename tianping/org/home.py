"""Home-page figures of the org app: staff in service, quota judges, departments (each links to its list)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import allowed
from tianping.org.models import Department, Person


@registry.home_panels.register(order=10)
def home_panels(user) -> list[dict]:
    if not allowed(user, "org.view_departments"):
        return []
    people = Person.objects.visible_to(user).in_service()
    roster = reverse("org:person_list")
    return [{
        "title": _("机构与人员"),
        "figures": [
            {"label": _("在职人员"), "value": people.count(), "url": f"{roster}?in_service=true"},
            {"label": _("员额法官"), "value": people.filter(is_quota_judge=True).count(),
             "url": f"{roster}?in_service=true&is_quota_judge=true"},
            {"label": _("启用的部门"), "value": Department.objects.visible_to(user).filter(active=True).count(),
             "url": f"{reverse('org:department_list')}?active=true"},
        ],
    }]
