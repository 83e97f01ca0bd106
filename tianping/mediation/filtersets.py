from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tianping.core.forms import StyledFilterSet
from tianping.mediation.models import Dispute, Kind, Mediator, Room, SiteKind, Source, Status, Studio
from tianping.mediation.selectors import STAGES, stage_q


class DisputeFilterSet(StyledFilterSet):
    """The dispute list's filters; `stage`, `room`, `mediator`, `studio`, `month` and the registration
    dates reproduce exactly the set behind each figure of the figures page."""

    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("编号、当事人或案由")}))
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Status.choices)
    source = django_filters.ChoiceFilter(label=_("来源"), choices=Source.choices)
    kind = django_filters.ChoiceFilter(label=_("调解类型"), choices=Kind.choices)
    site = django_filters.ChoiceFilter(label=_("登记地点"), choices=[], method="filter_site")
    stage = django_filters.ChoiceFilter(label=_("统计口径"), choices=list(STAGES.items()), method="filter_stage")
    room = django_filters.ChoiceFilter(label=_("调解室"), choices=[*Room.choices, ("none", _("未分流调解"))],
                                       method="filter_room")
    mediator = django_filters.ModelChoiceFilter(label=_("调解员"), queryset=Mediator.objects.none())
    studio = django_filters.ModelChoiceFilter(label=_("法官工作室"), queryset=Studio.objects.none())
    month = django_filters.CharFilter(label=_("登记月份"), method="filter_month",
                                      widget=forms.TextInput(attrs={"placeholder": "2024-05", "size": 8}))
    registered_from = django_filters.DateFilter(label=_("登记日期自"), field_name="registered_on",
                                                lookup_expr="gte", widget=forms.DateInput)
    overdue = django_filters.BooleanFilter(label=_("仅看超期"), method="filter_overdue",
                                           widget=forms.CheckboxInput)
    registered_to = django_filters.DateFilter(label=_("登记日期至"), field_name="registered_on", lookup_expr="lte",
                                              widget=forms.DateInput)

    class Meta:
        model = Dispute
        fields = ["q", "status", "source", "kind", "site", "stage", "room", "mediator", "studio", "month", "registered_from",
                  "registered_to", "overdue"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        court_id = getattr(user, "court_id", None)
        self.filters["mediator"].queryset = Mediator.objects.filter(court_id=court_id)
        self.filters["studio"].queryset = Studio.objects.filter(court_id=court_id)
        from tianping.mediation.models import Site

        stations = (Site.objects.filter(court_id=court_id, department__isnull=False)
                    .order_by("department__name").values_list("department_id", "department__name"))
        self.filters["site"].extra["choices"] = [(str(SiteKind.CENTRE), _("诉讼服务中心")),
                                                 *[(str(pk), name) for pk, name in stations]]

    def filter_site(self, queryset, name, value):
        from tianping.mediation.selectors import site_q

        return queryset.filter(site_q(value))

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__contains=value) | Q(cause__contains=value)
                               | Q(parties__name__contains=value)).distinct()

    def filter_stage(self, queryset, name, value):
        return queryset.filter(stage_q(value))

    def filter_room(self, queryset, name, value):
        return queryset.filter(room="" if value == "none" else value)

    def filter_month(self, queryset, name, value):
        from datetime import date

        try:
            y, m = (int(x) for x in value.strip().split("-"))
            start = date(y, m, 1)
        except ValueError:
            return queryset.none()  # the form's clean_month has already said what is wrong
        end = date(y + (m == 12), m % 12 + 1, 1)
        return queryset.filter(registered_on__gte=start, registered_on__lt=end)

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        return queryset.overdue(timezone.localdate()) if value else queryset


class MediatorFilterSet(StyledFilterSet):
    q = django_filters.CharFilter(label=_("关键词"), method="search",
                                  widget=forms.TextInput(attrs={"placeholder": _("姓名、组织或擅长领域")}))

    class Meta:
        model = Mediator
        fields = ["q", "kind", "active"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__contains=value) | Q(organisation__contains=value)
                               | Q(speciality__contains=value))
