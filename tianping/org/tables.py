from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tianping.org.models import Court, Department, Person


class PersonTable(tables.Table):
    name = tables.Column(linkify=("org:person_detail", {"pk": tables.A("pk")}))
    id_number = tables.Column(verbose_name=_("身份证号"), accessor="id_number_masked", orderable=False)
    phone = tables.Column(verbose_name=_("手机号"), accessor="phone_masked", orderable=False)
    in_service = tables.BooleanColumn(verbose_name=_("在职"), accessor="in_service", orderable=False)

    class Meta:
        model = Person
        fields = ["name", "staff_number", "gender", "department", "post", "is_quota_judge", "is_leadership",
                  "id_number", "phone", "hired_on", "in_service"]
        order_by = ("department", "name")


class DepartmentTable(tables.Table):
    name = tables.Column(linkify=("org:department_edit", {"pk": tables.A("pk")}))
    people_count = tables.Column(verbose_name=_("在职人数"))

    class Meta:
        model = Department
        fields = ["name", "type", "active", "sort_order", "people_count"]


class CourtTable(tables.Table):
    class Meta:
        model = Court
        fields = ["name", "code", "level", "parent"]
