from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tianping.core.validators import mask_phone
from tianping.integrity.models import (
    FamilyActivity,
    FamilyAward,
    FamilyContact,
    FamilyPledge,
    InterferenceRecord,
    JudgeLetter,
    Measure,
    MonthlyReport,
)

ATTRS = {"class": "table table-sm table-hover"}


class JudgeLetterTable(tables.Table):
    number = tables.Column(verbose_name=_("案号"), accessor="case__number",
                           linkify=("integrity:letter_detail", {"pk": tables.A("pk")}),
                           attrs={"a": {"data-testid": "letter-link"}, "td": {"class": "text-nowrap"}})
    filed_on = tables.DateColumn(verbose_name=_("立案日期"), accessor="case__filed_on")
    department = tables.Column(verbose_name=_("承办部门"), accessor="case__department__name")
    judge = tables.Column(verbose_name=_("承办人"), accessor="case__judge__name")
    version = tables.Column(verbose_name=_("模板版本"), accessor="template__version")

    class Meta:
        model = JudgeLetter
        fields = ["number", "filed_on", "department", "judge", "issued_on", "handover", "version", "print_count"]
        order_by = ("-issued_on",)
        attrs = {**ATTRS, "data-testid": "letter-table"}


class MeasureTable(tables.Table):
    title = tables.Column(linkify=("integrity:measure_detail", {"pk": tables.A("pk")}),
                          attrs={"a": {"data-testid": "measure-link"}})
    owner = tables.Column(verbose_name=_("负责"), accessor="pk", orderable=False)

    class Meta:
        model = Measure
        fields = ["start_on", "mechanism", "category", "title", "owner", "participant_count"]
        order_by = ("-start_on",)
        attrs = {**ATTRS, "data-testid": "measure-table"}

    def render_owner(self, record: Measure) -> str:
        return (record.department.name if record.department is not None else "") or (
            record.branch.name if record.branch is not None else "") or "—"


class FamilyContactTable(tables.Table):
    person = tables.Column(verbose_name=_("干警"), accessor="person__name")

    class Meta:
        model = FamilyContact
        fields = ["person", "name", "relation", "phone", "note"]
        attrs = {**ATTRS, "data-testid": "contact-table"}

    def render_phone(self, value: str) -> str:
        return mask_phone(value)


class FamilyPledgeTable(tables.Table):
    person = tables.Column(verbose_name=_("干警"), accessor="person__name")
    scan = tables.Column(verbose_name=_("扫描件"), orderable=False)

    class Meta:
        model = FamilyPledge
        fields = ["year", "person", "signed_on", "family_name", "relation", "scan"]
        attrs = {**ATTRS, "data-testid": "pledge-table"}

    def render_scan(self, value: object, record: FamilyPledge) -> str:
        if not value:
            return "—"
        from django.urls import reverse
        from django.utils.html import format_html

        return format_html('<a href="{}">{}</a>', reverse("integrity:pledge_scan", args=[record.pk]), _("已上传"))


class FamilyActivityTable(tables.Table):
    class Meta:
        model = FamilyActivity
        fields = ["held_on", "kind", "title", "family_count", "case_number"]
        attrs = {**ATTRS, "data-testid": "activity-table"}


class FamilyAwardTable(tables.Table):
    person = tables.Column(verbose_name=_("干警"), accessor="person__name")

    class Meta:
        model = FamilyAward
        fields = ["year", "kind", "person", "family_name", "note"]
        attrs = {**ATTRS, "data-testid": "award-table"}


class InterferenceTable(tables.Table):
    recorder = tables.Column(verbose_name=_("记录人"), accessor="recorder__name")

    class Meta:
        model = InterferenceRecord
        fields = ["recorded_on", "recorder", "kind", "asker", "asker_post", "case_number", "content", "handling"]
        order_by = ("-recorded_on",)
        attrs = {**ATTRS, "data-testid": "interference-table"}


class MonthlyReportTable(tables.Table):
    person = tables.Column(verbose_name=_("法官"), accessor="person__name")
    month = tables.DateColumn(format="Y-m")

    class Meta:
        model = MonthlyReport
        fields = ["month", "person", "zero", "record_count", "filed_on", "note"]
        attrs = {**ATTRS, "data-testid": "report-table"}
