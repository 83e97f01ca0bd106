from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tianping.core.tables import DateColumn, TemplateColumn
from tianping.party.models import PartyMember, PartyOrganisation, PartyTransfer, PointsEntry


class OrganisationTable(tables.Table):
    name = tables.Column(linkify=("party:organisation_detail", {"pk": tables.A("pk")}))
    departments = tables.ManyToManyColumn(verbose_name=_("组建部门"), separator="、")
    roster_count = tables.Column(verbose_name=_("在册人数"), orderable=False)

    class Meta:
        model = PartyOrganisation
        fields = ["name", "kind", "parent", "departments", "brand_name", "roster_count", "active"]
        order_by = ("sort_order",)


class MemberTable(tables.Table):
    name = tables.Column(verbose_name=_("姓名"), accessor="person__name",
                         linkify=("party:member_detail", {"pk": tables.A("pk")}))
    staff_number = tables.Column(verbose_name=_("工号"), accessor="person__staff_number")
    department = tables.Column(verbose_name=_("部门"), accessor="person__department__name")
    conversion_due_on = DateColumn(verbose_name=_("转正到期"), accessor="conversion_due_on", orderable=False,
                                          format="Y-m-d")

    class Meta:
        model = PartyMember
        fields = ["name", "staff_number", "department", "branch", "stage", "status", "applied_on", "admitted_on",
                  "converted_on", "conversion_due_on"]
        order_by = ("branch", "name")


class TransferTable(tables.Table):
    member = tables.Column(verbose_name=_("姓名"), accessor="member__person__name",
                           linkify=("party:member_detail", {"pk": tables.A("member_id")}))

    class Meta:
        model = PartyTransfer
        fields = ["transferred_on", "direction", "member", "branch", "other_organisation", "letter_number", "note"]


class PointsEntryTable(tables.Table):
    person = tables.Column(verbose_name=_("姓名"), accessor="person__name")
    rule = tables.Column(verbose_name=_("事项"), accessor="rule__name", default=_("手工调整"))
    reverse = TemplateColumn(verbose_name="", orderable=False,
                                    template_name="party/includes/points_reverse.html")

    class Meta:
        model = PointsEntry
        fields = ["occurred_on", "person", "rule", "points", "source_label", "note", "reverses"]
