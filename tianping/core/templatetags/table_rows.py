"""`{% table_rows table as rows %}`: the table's rows for core/table.html, rendered in Python
(tianping/core/tables.py `render_rows`: a list page's rows cost a third of what django-tables2's loop did)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from tianping.core.tables import render_rows

register = template.Library()


@register.simple_tag(takes_context=True)
def table_rows(context: template.Context, table: Any) -> SafeString:
    return render_rows(table, context)
