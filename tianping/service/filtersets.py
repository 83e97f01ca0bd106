"""Filters of the service lists. The year / period / judge / department / branch / party / rated / satisfied
filters reproduce exactly the set behind each figure of the service page and of the 三比 satisfaction column."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.forms import StyledFilterSet
from tianping.service.models import (
    CircuitForm,
    CircuitTrial,
    Complaint,
    ComplaintCategory,
    ComplaintStatus,
    FollowUp,
    FollowUpStatus,
    OutreachEvent,
    OutreachKind,
    PartnerVisit,
    Rating,
    Revisit,
    RevisitMethod,
    RevisitSample,
)


def _year_filter(field: str) -> Any:
    def apply(queryset: Any, name: str, value: Any) -> Any:
        try:
            year = int(value)
        except (TypeError, ValueError):
            return queryset
        if not 1990 <= year <= 2999:
            return queryset
        return queryset.filter(**{f"{field}__gte": date(year, 1, 1), f"{field}__lte": date(year, 12, 31)})
    return apply


def _person_filter(*fields: str) -> Any:
    def apply(queryset: Any, name: str, value: Any) -> Any:
        try:
            pid = int(value)
        except (TypeError, ValueError):
            return queryset
        q = Q()
        for f in fields:
            q |= Q(**{f: pid})
        return queryset.filter(pk__in=queryset.model.objects.filter(q).values("pk"))
    return apply


def _people_filter(field: str) -> Any:
    """`people=1,2,3`: the records of these people (a branch page's figures link with its roster)."""
    def apply(queryset: Any, name: str, value: str) -> Any:
        ids = [int(v) for v in value.split(",") if v.strip().isdigit()]
        return queryset.filter(pk__in=queryset.model.objects.filter(**{f"{field}__in": ids}).values("pk"))
    return apply


def _people(field: str) -> Any:
    return django_filters.CharFilter(label=_("人员"), method=_people_filter(field), widget=forms.HiddenInput)


YEAR_WIDGET = forms.TextInput(attrs={"placeholder": "2026", "size": 5})


class ServiceFilterSet(StyledFilterSet):
    """Hidden filters (the drill-down keys of a figure: judge, department, person …) stay out of the filter
    bar unless the link set them, so the bar shows only what a user can choose."""

    @property
    def form(self) -> Any:
        form = super().form
        data = self.data or {}
        for name in [n for n, f in form.fields.items() if isinstance(f.widget, forms.HiddenInput)]:
            if not data.get(name):
                del form.fields[name]
        return form


class RevisitFilterSet(ServiceFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("案号或被回访人")}))
    year = django_filters.CharFilter(label=_("年度"), method=_year_filter("revisited_on"), widget=YEAR_WIDGET)
    start = django_filters.DateFilter(label=_("回访日期自"), field_name="revisited_on", lookup_expr="gte",
                                      widget=forms.DateInput)
    end = django_filters.DateFilter(label=_("回访日期至"), field_name="revisited_on", lookup_expr="lte",
                                    widget=forms.DateInput)
    method = django_filters.ChoiceFilter(label=_("回访方式"), choices=RevisitMethod.choices)
    rating = django_filters.TypedChoiceFilter(label=_("满意度"), choices=Rating.choices, coerce=int)
    satisfied = django_filters.ChoiceFilter(label=_("是否满意"), method="filter_satisfied",
                                            choices=[("1", _("满意")), ("0", _("不满意"))])
    rated = django_filters.BooleanFilter(label=_("仅看已评价"), method="filter_rated", widget=forms.CheckboxInput)
    judge = django_filters.NumberFilter(label=_("承办人"), method="filter_judge", widget=forms.HiddenInput)
    person = django_filters.NumberFilter(label=_("人员"), method=_person_filter("case__judge_id"), widget=forms.HiddenInput)
    department = django_filters.CharFilter(label=_("承办部门"), method="filter_department", widget=forms.HiddenInput)
    branch = django_filters.NumberFilter(label=_("党支部"), method="filter_branch", widget=forms.HiddenInput)
    party = django_filters.NumberFilter(label=_("党员身份"), method="filter_party", widget=forms.HiddenInput)
    sample = django_filters.NumberFilter(label=_("抽样"), field_name="assignment__sample_id", widget=forms.HiddenInput)
    judges = django_filters.CharFilter(label=_("承办人"), method="filter_judges", widget=forms.HiddenInput)
    people = _people("case__judge_id")

    class Meta:
        model = Revisit
        fields = ["q", "year", "start", "end", "method", "rating", "satisfied", "rated"]

    def __init__(self, *args: Any, threshold: int = Rating.BASIC, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.threshold = threshold
        self.court = court

    def search(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip()
        return queryset.filter(Q(case__number__contains=value) | Q(contact_name__contains=value))

    def filter_satisfied(self, queryset: Any, name: str, value: str) -> Any:
        if value == "1":
            return queryset.filter(rating__gte=self.threshold)
        if value == "0":
            return queryset.filter(rating__isnull=False, rating__lt=self.threshold)
        return queryset

    def filter_rated(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(rating__isnull=False) if value else queryset

    def filter_judge(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(case__judge_id=int(value))

    def filter_judges(self, queryset: Any, name: str, value: str) -> Any:
        ids = [int(v) for v in value.split(",") if v.strip().isdigit()]
        return queryset.filter(case__judge_id__in=ids)

    def filter_department(self, queryset: Any, name: str, value: str) -> Any:
        if value == "none":
            return queryset.filter(case__department__isnull=True)
        return queryset.filter(case__department_id=int(value)) if value.isdigit() else queryset

    def filter_branch(self, queryset: Any, name: str, value: Any) -> Any:
        from tianping.trials.selectors import branch_departments

        if self.court is None:
            return queryset.none()
        deps = branch_departments(self.court).get(int(value), {}).get("departments", [])
        return queryset.filter(case__department_id__in=deps)

    def filter_party(self, queryset: Any, name: str, value: Any) -> Any:
        return queryset.filter(case__judge_party_closed=bool(int(value)))


class FollowUpFilterSet(ServiceFilterSet):
    status = django_filters.ChoiceFilter(label=_("状态"), choices=FollowUpStatus.choices)
    year = django_filters.CharFilter(label=_("回访年度"), method=_year_filter("revisit__revisited_on"),
                                     widget=YEAR_WIDGET)
    person = django_filters.NumberFilter(label=_("人员"), method=_person_filter("revisit__case__judge_id"), widget=forms.HiddenInput)
    people = _people("revisit__case__judge_id")

    class Meta:
        model = FollowUp
        fields = ["status", "year"]


class SampleFilterSet(StyledFilterSet):
    year = django_filters.CharFilter(label=_("年度"), method=_year_filter("drawn_on"), widget=YEAR_WIDGET)

    class Meta:
        model = RevisitSample
        fields = ["year", "method"]


class CircuitFilterSet(ServiceFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("乡镇、地点或案号")}))
    year = django_filters.CharFilter(label=_("年度"), method=_year_filter("held_on"), widget=YEAR_WIDGET)
    form = django_filters.ChoiceFilter(label=_("形式"), choices=CircuitForm.choices)
    township = django_filters.CharFilter(label=_("乡镇街道"), field_name="place__township")
    person = django_filters.NumberFilter(label=_("人员"), method=_person_filter("judge_id"), widget=forms.HiddenInput)
    people = _people("judge_id")
    department = django_filters.NumberFilter(label=_("承办部门"), field_name="department_id", widget=forms.HiddenInput)

    class Meta:
        model = CircuitTrial
        fields = ["q", "year", "form", "township"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip()
        return queryset.filter(Q(place__township__contains=value) | Q(place__name__contains=value)
                               | Q(case__number__contains=value))


class OutreachFilterSet(ServiceFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), field_name="title", lookup_expr="contains")
    year = django_filters.CharFilter(label=_("年度"), method=_year_filter("held_on"), widget=YEAR_WIDGET)
    kind = django_filters.ChoiceFilter(label=_("活动类型"), choices=OutreachKind.choices)
    person = django_filters.NumberFilter(label=_("人员"), method=_person_filter("participants__id"), widget=forms.HiddenInput)
    people = _people("participants__id")

    class Meta:
        model = OutreachEvent
        fields = ["q", "year", "kind"]


class VisitFilterSet(ServiceFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search")
    year = django_filters.CharFilter(label=_("年度"), method=_year_filter("visited_on"), widget=YEAR_WIDGET)
    person = django_filters.NumberFilter(label=_("人员"), method=_person_filter("visitors__id"), widget=forms.HiddenInput)
    people = _people("visitors__id")
    partnership = django_filters.NumberFilter(label=_("结对"), field_name="partnership_id", widget=forms.HiddenInput)

    class Meta:
        model = PartnerVisit
        fields = ["q", "year"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        value = value.strip()
        return queryset.filter(Q(partnership__partner__contains=value) | Q(matters__contains=value))


class ComplaintFilterSet(StyledFilterSet):
    year = django_filters.CharFilter(label=_("年度"), method=_year_filter("received_on"), widget=YEAR_WIDGET)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ComplaintStatus.choices)
    category = django_filters.ChoiceFilter(label=_("投诉类别"), choices=ComplaintCategory.choices)

    class Meta:
        model = Complaint
        fields = ["year", "status", "category"]
