"""The case list's filters. Besides the usual ones, a figure's drill-down parameters (period, case set
and scope) are filters too, so the filter bar shows — and keeps — exactly what a figure counted."""

from __future__ import annotations

from datetime import date

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.forms import StyledFilterSet
from tianping.org.models import Department, Person
from tianping.trials.models import Case, CaseType, Outcome
from tianping.trials.selectors import (
    DEADLINE_LABELS,
    SET_LABELS,
    Period,
    deadline_q,
    default_period,
    drilldown_queryset,
)


def _noop(queryset, name, value):
    return queryset  # applied together in CaseFilterSet.filter_queryset


class CaseFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("案号或案由")}))
    type_code = django_filters.ChoiceFilter(label=_("类型代字"), choices=())
    outcome = django_filters.ChoiceFilter(label=_("结案方式"), choices=Outcome.choices)
    department = django_filters.ModelChoiceFilter(label=_("承办部门"), queryset=Department.objects.none())
    judge = django_filters.ModelChoiceFilter(label=_("承办人"), queryset=Person.objects.none())
    start = django_filters.DateFilter(label=_("统计起始日期"), method=_noop)
    end = django_filters.DateFilter(label=_("统计截止日期"), method=_noop)
    set = django_filters.ChoiceFilter(label=_("指标口径"), choices=list(SET_LABELS.items()), method=_noop)
    branch = django_filters.ChoiceFilter(label=_("党支部"), method=_noop, choices=())
    party = django_filters.ChoiceFilter(label=_("承办人党员身份"), method=_noop,
                                        choices=[("1", _("党员")), ("0", _("非党员"))])
    leadership = django_filters.ChoiceFilter(label=_("院领导承办"), method=_noop,
                                             choices=[("1", _("院领导")), ("0", _("其他人员")),
                                                      ("panel", _("院领导承办或参与合议"))])
    participant = django_filters.ModelChoiceFilter(label=_("承办或参与合议"), method=_noop,
                                                   queryset=Person.objects.none())
    limit = django_filters.ChoiceFilter(label=_("审限"), method="by_limit", choices=list(DEADLINE_LABELS.items()))

    class Meta:
        model = Case
        fields = ["q", "type_code", "outcome", "department", "judge", "start", "end", "set", "party", "leadership",
                  "branch", "participant", "limit"]

    def __init__(self, *args, user=None, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.court = court
        self.filters["department"].queryset = Department.objects.visible_to(user).filter(court=court)
        self.filters["judge"].queryset = Person.objects.visible_to(user).filter(court=court)
        self.filters["participant"].queryset = Person.objects.visible_to(user).filter(court=court)
        from tianping.trials.selectors import branch_departments

        self.filters["branch"].extra["choices"] = [
            (str(k), v["name"]) for k, v in sorted(branch_departments(court).items(), key=lambda kv: kv[1]["name"])]
        self.filters["type_code"].extra["choices"] = [(t.code, str(t)) for t in CaseType.objects.all()]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__contains=value) | Q(cause__contains=value))

    def by_limit(self, queryset, name, value):
        from django.utils import timezone

        return queryset.filter(deadline_q(value, timezone.localdate()))

    def period(self) -> Period | None:
        cd = getattr(self.form, "cleaned_data", {}) or {}
        start, end = cd.get("start"), cd.get("end")
        if start and end:
            return Period(start, end)
        if cd.get("set") or cd.get("party") not in (None, ""):
            base = default_period()
            return Period(start or base.start, end or base.end) if (start or end) else base
        return None

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        cd = self.form.cleaned_data
        period = self.period()
        if period is None:
            if cd.get("participant"):
                p = cd["participant"].pk
                queryset = queryset.filter(Q(judge_id=p) | Q(panel__id=p)).distinct()
            return queryset
        party = cd.get("party")
        leadership = cd.get("leadership")
        return drilldown_queryset(
            queryset, period, cd.get("set") or "", court=self.court, branch=cd.get("branch"),
            party=None if party in (None, "") else party == "1",
            leadership=None if leadership in (None, "") else "panel" if leadership == "panel" else leadership == "1",
            participant=cd["participant"].pk if cd.get("participant") else None)


def parse_day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
