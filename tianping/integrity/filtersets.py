from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tianping.core.forms import StyledFilterSet
from tianping.integrity.choices import FamilyActivityKind, Handover, InterferenceKind, Mechanism
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


class JudgeLetterFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("案号或承办人")}))
    year = django_filters.NumberFilter(label=_("年度"), field_name="issued_on", lookup_expr="year")
    month = django_filters.NumberFilter(label=_("月份"), field_name="issued_on", lookup_expr="month")
    department = django_filters.NumberFilter(label=_("承办部门"), field_name="case__department_id",
                                             widget=forms.HiddenInput)
    handover = django_filters.ChoiceFilter(label=_("发放方式"), choices=[*Handover.choices, ("none", _("未记录"))],
                                           method="filter_handover")

    class Meta:
        model = JudgeLetter
        fields = ["q", "year", "month", "handover", "department"]

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(Q(case__number__icontains=value) | Q(case__judge__name__icontains=value))

    def filter_handover(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(handover="") if value == "none" else qs.filter(handover=value)


class MeasureFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), field_name="title", lookup_expr="icontains")
    mechanism = django_filters.ChoiceFilter(label=_("机制"), choices=Mechanism.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="start_on", lookup_expr="year")

    class Meta:
        model = Measure
        fields = ["q", "mechanism", "year"]


class FamilyContactFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search")

    class Meta:
        model = FamilyContact
        fields = ["q"]

    def search(self, qs: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return qs.filter(Q(person__name__icontains=value) | Q(name__icontains=value))


class FamilyPledgeFilterSet(StyledFilterSet):
    year = django_filters.NumberFilter(label=_("签订年度"), field_name="year")
    q = django_filters.CharFilter(label=_("干警"), field_name="person__name", lookup_expr="icontains")

    class Meta:
        model = FamilyPledge
        fields = ["year", "q"]


class FamilyActivityFilterSet(StyledFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=FamilyActivityKind.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="held_on", lookup_expr="year")

    class Meta:
        model = FamilyActivity
        fields = ["kind", "year"]


class FamilyAwardFilterSet(StyledFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="year")

    class Meta:
        model = FamilyAward
        fields = ["year"]


class InterferenceFilterSet(StyledFilterSet):
    kind = django_filters.ChoiceFilter(label=_("类型"), choices=InterferenceKind.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="recorded_on", lookup_expr="year")
    month = django_filters.NumberFilter(label=_("月份"), field_name="recorded_on", lookup_expr="month")

    class Meta:
        model = InterferenceRecord
        fields = ["kind", "year", "month"]


class MonthlyReportFilterSet(StyledFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="month", lookup_expr="year")
    zero = django_filters.BooleanFilter(label=_("零报告"), field_name="zero")

    class Meta:
        model = MonthlyReport
        fields = ["year", "zero"]
