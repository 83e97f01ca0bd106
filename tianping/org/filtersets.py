from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.forms import StyledFilterSet
from tianping.org.models import Court, Department, DepartmentType, Person, Post


class PersonFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=django_filters.widgets.forms.TextInput(attrs={"placeholder": _("姓名或工号")}))
    department = django_filters.ModelChoiceFilter(label=_("部门"), queryset=Department.objects.none())
    post = django_filters.ChoiceFilter(label=_("职务"), choices=Post.choices)
    is_quota_judge = django_filters.BooleanFilter(label=_("员额法官"))
    in_service = django_filters.BooleanFilter(label=_("在职"), method="filter_in_service")

    class Meta:
        model = Person
        fields = ["q", "department", "post", "is_quota_judge", "in_service"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["department"].queryset = Department.objects.visible_to(user)

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(staff_number=value))

    def filter_in_service(self, queryset, name, value):
        return queryset.filter(left_on__isnull=value)

    def filter_queryset(self, queryset):
        """Besides the visible filters, `?ids=1,2,3` narrows to the people behind a figure (the annual report's
        recruits and leaders link here)."""
        queryset = super().filter_queryset(queryset)
        raw = self.data.get("ids") if self.data else None
        if raw:
            queryset = queryset.filter(pk__in=[int(v) for v in raw.split(",") if v.strip().isdigit()])
        return queryset


class DepartmentFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), field_name="name", lookup_expr="contains")
    type = django_filters.ChoiceFilter(label=_("部门类型"), choices=DepartmentType.choices)

    class Meta:
        model = Department
        fields = ["q", "type", "active"]


class CourtFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search")

    class Meta:
        model = Court
        fields = ["q", "level"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(code__startswith=value))
