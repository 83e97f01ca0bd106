from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.forms import StyledFilterSet
from tianping.honours.models import (
    Article,
    ArticleCategory,
    ArticleStatus,
    HolderKind,
    Honour,
    HonourLevel,
    PioneerPost,
    PostWindow,
)


class HonourFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("荣誉名称、获得者或授予机关")}))
    year = django_filters.NumberFilter(label=_("年度"), field_name="awarded_on", lookup_expr="year")
    level = django_filters.ChoiceFilter(label=_("级别"), choices=HonourLevel.choices)
    holder_kind = django_filters.ChoiceFilter(label=_("获得者类型"), choices=HolderKind.choices)
    # the annual report's links: the three years of honours, the 办案能手 / 调解能手 of a year
    awarded_from = django_filters.DateFilter(label=_("授予日期自"), field_name="awarded_on", lookup_expr="gte",
                                             widget=forms.HiddenInput)
    awarded_to = django_filters.DateFilter(label=_("授予日期至"), field_name="awarded_on", lookup_expr="lte",
                                           widget=forms.HiddenInput)
    expert = django_filters.BooleanFilter(label=_("办案能手、调解能手"), method="filter_expert",
                                          widget=forms.HiddenInput)

    class Meta:
        model = Honour
        fields = ["q", "year", "level", "holder_kind", "awarded_from", "awarded_to", "expert"]

    def search(self, qs: Any, name: str, value: str) -> Any:
        return qs.filter(Q(name__icontains=value) | Q(person__name__icontains=value) | Q(issuer__icontains=value)
                         | Q(department__name__icontains=value) | Q(organisation__name__icontains=value))

    def filter_expert(self, qs: Any, name: str, value: Any) -> Any:
        from tianping.honours.report import expert_q

        return qs.filter(expert_q()) if value else qs


class PostFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("岗位名称或党员姓名")}))
    window = django_filters.ChoiceFilter(label=_("岗位类型"), choices=PostWindow.choices)
    held_on = django_filters.DateFilter(label=_("在岗日期"), method="filter_held_on", widget=forms.HiddenInput)

    class Meta:
        model = PioneerPost
        fields = ["q", "window", "held_on"]

    def filter_held_on(self, qs: Any, name: str, value: Any) -> Any:
        """Posts with a holder on that day (the annual report's pioneer_posts at year end)."""
        return qs.filter(pk__in=PioneerPost.objects.filter(holders__start__lte=value).filter(
            Q(holders__end__isnull=True) | Q(holders__end__gte=value)).values("pk"))

    def search(self, qs: Any, name: str, value: str) -> Any:
        return qs.filter(Q(name__icontains=value) | Q(holders__person__name__icontains=value)).distinct()


class ArticleFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), field_name="title", lookup_expr="icontains")
    category = django_filters.ChoiceFilter(label=_("栏目"), choices=ArticleCategory.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=ArticleStatus.choices)

    class Meta:
        model = Article
        fields = ["q", "category", "status"]
