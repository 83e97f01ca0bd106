from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.forms import StyledFilterSet
from tianping.partylife.choices import MeetingStatus
from tianping.partylife.models import Campaign, Meeting, MeetingType


class MeetingFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=django_filters.widgets.forms.TextInput(attrs={"placeholder": _("主题或地点")}))
    meeting_type = django_filters.ModelChoiceFilter(label=_("会议类型"), queryset=MeetingType.objects.all())
    organisation = django_filters.ModelChoiceFilter(label=_("组织"), queryset=None)
    status = django_filters.ChoiceFilter(label=_("状态"), choices=MeetingStatus.choices)
    campaign = django_filters.ModelChoiceFilter(label=_("学习教育活动"), queryset=Campaign.objects.none())
    date_from = django_filters.DateFilter(label=_("起始日期"), field_name="date", lookup_expr="gte",
                                          widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(label=_("截止日期"), field_name="date", lookup_expr="lte",
                                        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}))
    class Meta:
        model = Meeting
        fields = ["q", "meeting_type", "organisation", "status", "campaign", "date_from", "date_to"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        from tianping.party.models import PartyOrganisation

        self.filters["organisation"].queryset = PartyOrganisation.objects.visible_to(user)
        self.filters["campaign"].queryset = Campaign.objects.visible_to(user)

    def search(self, queryset, name, value):
        return queryset.filter(Q(topic__contains=value) | Q(place__contains=value))

    def filter_queryset(self, queryset):
        """Besides the visible filters, `?ids=1,2,3` narrows to the records behind a figure (lecture hall,
        compliance cells link here)."""
        queryset = super().filter_queryset(queryset)
        raw = self.data.get("ids") if self.data else None
        if raw:
            ids = [int(v) for v in raw.split(",") if v.strip().isdigit()]
            queryset = queryset.filter(pk__in=ids)
        return queryset
