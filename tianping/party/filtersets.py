from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.forms import StyledFilterSet
from tianping.party.models import (
    MemberStatus,
    OrgKind,
    PartyMember,
    PartyOrganisation,
    PartyTransfer,
    PointsEntry,
    Stage,
)

# a year outside these is a typo; unbounded, year=99999 reached the database as an impossible date (a 500)
YEAR_BOUNDS = {"min_value": 1949, "max_value": 2100, "decimal_places": 0}


class OrganisationFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), field_name="name", lookup_expr="contains")
    kind = django_filters.ChoiceFilter(label=_("组织类型"), choices=OrgKind.choices)

    class Meta:
        model = PartyOrganisation
        fields = ["q", "kind", "active"]


class MemberFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=django_filters.widgets.forms.TextInput(attrs={"placeholder": _("姓名或工号")}))
    branch = django_filters.ModelChoiceFilter(label=_("所在支部"), queryset=PartyOrganisation.objects.none(),
                                              method="filter_branch")
    stage = django_filters.ChoiceFilter(label=_("阶段"), choices=Stage.choices)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=MemberStatus.choices)
    on_roster = django_filters.BooleanFilter(label=_("在册"), method="filter_on_roster")

    class Meta:
        model = PartyMember
        fields = ["q", "branch", "stage", "status", "on_roster"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["branch"].queryset = PartyOrganisation.objects.visible_to(user)

    def search(self, queryset, name, value):
        return queryset.filter(Q(person__name__contains=value) | Q(person__staff_number=value))

    def filter_branch(self, queryset, name, value):
        """A branch's members include those kept in its 党小组 (as the branch page counts them)."""
        return queryset.filter(Q(branch=value) | Q(branch__parent=value)) if value else queryset

    def filter_on_roster(self, queryset, name, value):
        roster = queryset.on_roster()
        return roster if value else queryset.exclude(pk__in=roster.values("pk"))


class TransferFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search")
    year = django_filters.NumberFilter(label=_("年度"), field_name="transferred_on__year", **YEAR_BOUNDS)

    class Meta:
        model = PartyTransfer
        fields = ["q", "direction", "year"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(member__person__name__contains=value) | Q(other_organisation__contains=value)
                               | Q(letter_number__contains=value))


class PointsEntryFilterSet(StyledFilterSet):
    person = django_filters.NumberFilter(field_name="person_id", widget=django_filters.widgets.forms.HiddenInput,
                                         min_value=1, max_value=2**31 - 1)
    q = django_filters.CharFilter(label=_("姓名"), field_name="person__name", lookup_expr="contains")
    year = django_filters.NumberFilter(label=_("年度"), field_name="occurred_on__year", **YEAR_BOUNDS)
    rule = django_filters.CharFilter(label=_("规则代码"), field_name="rule__code")
    branch = django_filters.ModelChoiceFilter(label=_("所在支部"), method="filter_branch",
                                              queryset=PartyOrganisation.objects.none())

    class Meta:
        model = PointsEntry
        fields = ["person", "q", "year", "rule", "branch"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["branch"].queryset = PartyOrganisation.objects.visible_to(user)

    def filter_branch(self, queryset, name, value):
        """A branch's members include those kept in its 党小组."""
        if not value:
            return queryset
        return queryset.filter(Q(person__party_member__branch=value) | Q(person__party_member__branch__parent=value))
