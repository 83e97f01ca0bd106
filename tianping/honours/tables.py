from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy

from tianping.honours.models import Article, Honour, PioneerPost


class HonourTable(tables.Table):
    name = tables.Column(linkify=("honours:honour_detail", {"pk": tables.A("pk")}),
                         attrs={"a": {"data-testid": "honour-link"}})
    holder = tables.Column(verbose_name=gettext_lazy("获得者"), accessor="holder_name", orderable=False)
    awarded_on = tables.DateColumn(attrs={"td": {"class": "text-nowrap"}})

    class Meta:
        model = Honour
        fields = ["name", "level", "holder_kind", "holder", "issuer", "awarded_on", "certificate_number", "source"]
        order_by = ("-awarded_on",)
        attrs = {"class": "table table-sm table-hover", "data-testid": "honour-table"}


class PostTable(tables.Table):
    name = tables.Column(linkify=("honours:post_detail", {"pk": tables.A("pk")}))
    holder_count = tables.Column(verbose_name=gettext_lazy("在岗党员"), orderable=True)

    class Meta:
        model = PioneerPost
        fields = ["name", "window", "department", "holder_count", "brand_text", "active"]
        order_by = ("window",)
        attrs = {"class": "table table-sm table-hover", "data-testid": "post-table"}


class ArticleTable(tables.Table):
    title = tables.Column(linkify=("honours:article_detail", {"pk": tables.A("pk")}))

    class Meta:
        model = Article
        fields = ["title", "category", "author", "status", "assigned", "published_on", "read_count"]
        order_by = ("-published_on",)
        attrs = {"class": "table table-sm table-hover", "data-testid": "article-table"}

    def render_assigned(self, value: Any) -> str:
        return "✓" if value else ""
