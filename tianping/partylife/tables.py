from __future__ import annotations

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from tianping.core.tables import DateColumn, TemplateColumn
from tianping.partylife.models import Meeting


class MeetingTable(tables.Table):
    date = DateColumn(format="Y-m-d", linkify=("partylife:meeting_detail", {"pk": tables.A("pk")}),
                             attrs={"td": {"class": "text-nowrap"}})
    time = TemplateColumn("{{ record.start_time|time:'H:i' }}–{{ record.end_time|time:'H:i' }}",
                                 verbose_name=_("时间"), orderable=False, attrs={"td": {"class": "text-nowrap"}})
    topic = tables.Column(linkify=("partylife:meeting_detail", {"pk": tables.A("pk")}))
    status = tables.Column(attrs={"td": {"class": "text-nowrap"}})
    attended = TemplateColumn("{{ record.attended_n }}/{{ record.expected_n }}", verbose_name=_("实到/应到"),
                                     orderable=False)

    class Meta:
        model = Meeting
        fields = ["date", "time", "meeting_type", "organisation", "topic", "place", "host", "campaign", "status",
                  "attended"]
        order_by = ("-date",)
