"""Columns for the lists' django-tables2 tables: use these instead of django-tables2's own.

django-tables2's `TemplateColumn` compiles its template for every cell it renders, and its `DateColumn` and
`DateTimeColumn` are template columns: a page of 25 disputes compiled 75 templates (a third of the list's
server time). Here a template column compiles its template once, and dates are formatted directly.

Registered with django-tables2's column library (CoreConfig.ready), so the columns a table's `Meta.fields`
generates for date and datetime fields are these too."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import django_tables2 as tables
from django.db import models
from django.template import Context, Template
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django_tables2.columns.base import library


class TemplateColumn(tables.TemplateColumn):  # type: ignore[misc]  # django-tables2 is untyped
    """django-tables2's TemplateColumn with its `template_code` compiled once per column, not once per cell."""

    @cached_property
    def _compiled(self) -> Template:
        return Template(self.template_code)

    def render(self, record: Any, table: Any, value: Any, bound_column: Any, **kwargs: Any) -> Any:
        if not self.template_code:
            return super().render(record=record, table=table, value=value, bound_column=bound_column, **kwargs)
        parent_context = getattr(table, "context", None) or Context()
        context = self.get_context_data(record=record, table=table, value=value, bound_column=bound_column, **kwargs)
        with parent_context.update(context):
            parent_context["request"] = getattr(table, "request", None)
            return self._compiled.render(parent_context)


class DateColumn(tables.Column):  # type: ignore[misc]
    """A date as the locale's short date (2016-03-01 in both languages, tianping/core/formats); ISO in exports."""

    def __init__(self, format: str | None = None, short: bool = True, *args: Any, **kwargs: Any) -> None:
        self.format = format or ("SHORT_DATE_FORMAT" if short else "DATE_FORMAT")
        super().__init__(*args, **kwargs)

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> DateColumn | None:
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None

    def render(self, value: Any) -> str:
        return date_format(value, self.format)

    def value(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value


class DateTimeColumn(tables.Column):  # type: ignore[misc]
    """A moment in the court's time zone, as the locale's short date and time (2016-03-01 09:30)."""

    def __init__(self, format: str | None = None, short: bool = True, *args: Any, **kwargs: Any) -> None:
        self.format = format or ("SHORT_DATETIME_FORMAT" if short else "DATETIME_FORMAT")
        super().__init__(*args, **kwargs)

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> DateTimeColumn | None:
        if isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None

    def render(self, value: Any) -> str:
        if isinstance(value, datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, self.format)

    def value(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value


def register_columns() -> None:
    """Make Meta.fields generate these columns for date and datetime fields (the library asks the columns
    registered last first). Idempotent."""
    for column in (DateColumn, DateTimeColumn):
        if column not in library.columns:
            library.register(column)
