"""Columns for the lists' django-tables2 tables: use these instead of django-tables2's own.

django-tables2's `TemplateColumn` compiles its template for every cell it renders, and its `DateColumn` and
`DateTimeColumn` are template columns: a page of 25 disputes compiled 75 templates (a third of the list's
server time). Here a template column compiles its template once, and dates are formatted directly.

Registered with django-tables2's column library (CoreConfig.ready), so the columns a table's `Meta.fields`
generates for date and datetime fields are these too."""

from __future__ import annotations

import inspect
from datetime import date, datetime
from functools import lru_cache, partialmethod
from typing import Any

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.template import Context, Template
from django.template.base import render_value_in_context
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.hashable import make_hashable
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django_tables2.columns import ManyToManyColumn
from django_tables2.columns.base import LinkTransform, library
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.utils import Accessor, AttributeDict, call_with_appropriate


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
        return _date_text(value, self.format, get_language())

    def value(self, value: Any) -> Any:
        return value.isoformat() if isinstance(value, date) else value


@lru_cache(maxsize=4096)
def _date_text(value: date, format: str, language: str | None) -> str:
    """A list shows the same few hundred dates again and again; date_format costs ~50 µs a cell."""
    return date_format(value, format)


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


# --- the table body, rendered in Python ------------------------------------------------------------------
# django-tables2's template renders a page of 25 rows × 10 columns through ~250 template `{% for %}` turns,
# builds every cell's <td> attributes anew (the column's, the table's, the CSS classes) and runs
# inspect.signature() for every cell it renders: two thirds of a list page's server time (issue 17's profile
# of the dispute list). `render_rows` produces the same <tr>/<td> markup from the same column methods
# (render_FOO, linkify, get_FOO_display, localize), with each column's attributes and each function's signature
# worked out once per page instead of once per cell.


@lru_cache(maxsize=1024)
def _parameters(func: Any, bound: bool) -> tuple[tuple[str, ...], str | None]:
    """django_tables2.utils.signature for a function, read once (the library reads it for every cell)."""
    names, catch_all = [], None
    params = list(inspect.signature(func).parameters.values())
    for param in params[1:] if bound else params:
        if param.kind == param.VAR_KEYWORD:
            catch_all = param.name
        elif param.kind != param.VAR_POSITIONAL:
            names.append(param.name)
    return tuple(names), catch_all


def _call_with_appropriate(fn: Any, kwargs: dict[str, Any]) -> Any:
    """django_tables2.utils.call_with_appropriate (call `fn` with the arguments it names, None if one is missing)
    with the signature cached per function."""
    func = getattr(fn, "__func__", None)
    if func is not None and inspect.isfunction(func):
        names, catch_all = _parameters(func, True)
    elif inspect.isfunction(fn):
        names, catch_all = _parameters(fn, False)
    else:
        return call_with_appropriate(fn, kwargs)
    if catch_all:
        return fn(**kwargs)
    if any(name not in kwargs for name in names):
        return None
    return fn(**{name: kwargs[name] for name in names})


def _has_callable(attrs: Any) -> bool:
    return any(callable(v) or (isinstance(v, dict) and _has_callable(v)) for v in attrs.values())


def _td_attrs_vary(column: Any) -> bool:
    """Whether a column's <td> attributes depend on the row (a callable among them); if not, they are the same
    for every cell of the column and are built once (BoundColumn.attrs)."""
    source = {**column._table.attrs, **column.column.attrs}
    td = source.get("td", source.get("cell", {}))
    return _has_callable(td)


def _plain_choice_field(model: Any, column: Any) -> Any:
    """The choices of a column that shows a model field with choices through Django's own get_FOO_display
    (django-tables2 calls it, and it rebuilds the choices' dict for every cell); None for any other column."""
    name = str(column.accessor)
    if model is None or not name or "__" in name or "." in name:
        return None
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return None
    display = inspect.getattr_static(model, f"get_{name}_display", None)
    if not getattr(field, "choices", None) or not isinstance(display, partialmethod):
        return None
    if isinstance(column.column, ManyToManyColumn):
        return None
    return field.flatchoices


_MISSING = object()


def _plain_attribute(model: Any, column: Any) -> str | None:
    """The attribute name of a column that shows one attribute of a model record (a field without choices, a
    property): django-tables2 resolves such a cell through Accessor.penultimate, get_field and resolve (~100 µs a
    cell); reading the attribute gives the same value. None for any other column (paths, link columns with a
    text, many-to-many columns: the library's own path)."""
    name = str(column.accessor)
    if model is None or not name or "__" in name or "." in name:
        return None
    if isinstance(column.column, ManyToManyColumn | BaseLinkColumn):
        return None
    try:
        if getattr(model._meta.get_field(name), "choices", None):
            return None  # shown through get_FOO_display (_plain_choice_field, or the library for an override)
    except FieldDoesNotExist:
        pass
    return name


def _read(record: Any, attribute: str) -> Any:
    """record.attribute, or _MISSING when reading it fails or gives a callable (the library's path decides)."""
    try:
        value = getattr(record, attribute)
    except Exception:  # noqa: BLE001 - the library's resolve() handles the failure its own way
        return _MISSING
    return _MISSING if callable(value) else value


def _link_writer(bound_column: Any) -> Any:
    """For a column linked to a named URL (`linkify=("app:view", {"pk": A("pk")})`) with fixed <a> attributes: a
    function (record, content) -> the same <a> as LinkTransform writes, with the attributes' HTML worked out once
    per page (the library rebuilds and escapes them, and copies the reverse() arguments, for every cell). None for
    any other link (a callable URL, get_absolute_url, computed attributes): the library's own path."""
    from django.urls import reverse
    from django.utils.html import escape, format_html, format_html_join

    link = bound_column.link
    if type(link) is not LinkTransform or link.url is not None:
        return None
    params = link.reverse_args
    viewname = params.get("viewname")
    if not isinstance(viewname, str) or set(params) - {"viewname", "args", "kwargs"}:
        return None
    attrs = link.attrs or {}
    if "href" in attrs or _has_callable(attrs) or any(isinstance(v, dict) for v in attrs.values()):
        return None
    fixed = format_html_join(" ", '{}="{}"', [(k, v) for k, v in attrs.items()
                                              if k not in AttributeDict.blacklist and v is not None])
    lead = f"{fixed} " if fixed else ""
    args, kwargs = params.get("args"), params.get("kwargs")

    def resolved(value: Any, record: Any) -> Any:
        return value.resolve(record) if isinstance(value, Accessor) else value

    def write(record: Any, content: Any) -> Any:
        url = reverse(viewname, args=[resolved(a, record) for a in args or ()] or None,
                      kwargs={k: resolved(v, record) for k, v in (kwargs or {}).items()} or None)
        return format_html('<a {}href="{}">{}</a>', mark_safe(lead), escape(url), content)  # noqa: S308

    return write


def render_rows(table: Any, context: Context) -> SafeString:
    """The <tr> rows of the table's current page, as core/table.html's loop rendered them (BoundRow.items,
    BoundColumn.attrs, the template's `{{ cell }}` with its localize/unlocalize choice); "" for no rows."""
    from django.templatetags.l10n import localize, unlocalize

    columns = list(table.columns)
    static_td: dict[str, str] = {}
    for column in columns:
        if not _td_attrs_vary(column):
            column.current_record = column.current_value = None
            static_td[column.name] = column.attrs["td"].as_html()
    labels: dict[str, dict[Any, Any]] = {}
    model = getattr(getattr(table, "_meta", None), "model", None)
    for column in columns:
        choices = _plain_choice_field(model, column)
        if choices is not None:
            labels[column.name] = {key: force_str(label, strings_only=True) for key, label in make_hashable(choices)}
    plain = {column.name: name for column in columns if column.name not in labels
             and (name := _plain_attribute(model, column)) is not None}
    links = {column.name: writer for column in columns if column.link and (writer := _link_writer(column))}
    rows = []
    for row in table.paginated_rows:
        record = row.record

        def render(bound_column: Any, value: Any = None, row: Any = row, record: Any = record) -> Any:
            kwargs = {"value": value, "record": record, "column": bound_column.column, "bound_column": bound_column,
                      "bound_row": row, "table": table}
            content = _call_with_appropriate(bound_column.render, kwargs)
            if not bound_column.link:
                return content
            writer = links.get(bound_column.name)
            return writer(record, content) if writer is not None else bound_column.link(content, **kwargs)

        cells = []
        for column in columns:
            choice_labels = labels.get(column.name)
            if choice_labels is not None and isinstance(record, models.Model):
                # what get_FOO_display() returns, without rebuilding the field's choices for every cell
                value = getattr(record, column.accessor)
                key = make_hashable(value)
                value = choice_labels[key] if key in choice_labels else force_str(value, strings_only=True)
                cell = column.default if value in column.column.empty_values else render(column, value)
            elif (attribute := plain.get(column.name)) is not None and isinstance(record, models.Model) \
                    and (value := _read(record, attribute)) is not _MISSING:
                cell = column.default if value in column.column.empty_values else render(column, value)
            else:
                cell = row._get_and_render_with(column, render_func=render, default=column.default)
            column.current_value, column.current_record = cell, record
            td = static_td.get(column.name)
            if td is None:
                td = column.attrs["td"].as_html()
            if column.localize is not None:
                cell = localize(cell) if column.localize else unlocalize(cell)
            if type(cell) is SafeString:  # what most cells are (format_html, links): written as they are
                cells.append(f"<td {td}>{cell}</td>")
            else:
                cells.append(f"<td {td}>{render_value_in_context(cell, context)}</td>")
        rows.append(f"<tr {row.attrs.as_html()}>{''.join(cells)}</tr>")
    return mark_safe("\n  ".join(rows))  # noqa: S308 - every cell went through render_value_in_context
