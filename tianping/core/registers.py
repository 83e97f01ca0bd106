"""Registers: one declaration of a spreadsheet layout per kind of record (courts, people, cases …).

From a `Register` come the import template, the import parser and the export columns, so they cannot
drift apart. Apps declare theirs in `<app>/importers.py` and call `register()`; the import/export
machinery (tianping.core.importexport) looks them up by KIND name.

This module holds the declaration and the export half; parsing and committing imports live in
tianping.core.importexport.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils.functional import Promise

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value: Any) -> Any:
    """Formula injection: a text cell starting with = + - @ is prefixed with an apostrophe on export."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass
class Column:
    """One spreadsheet column.

    header: the Chinese header as it appears in row 1.
    field: the model attribute (or a key the register's `save_row` understands). For a ForeignKey give the
        field name ("department"); the resolver returns the related object.
    parse: cell value (str|int|float|date|datetime|None) -> python value; raises ValueError with a Chinese
        message saying what to write instead. Context-free. When None the machinery infers one from the
        model field (DateField → parse_date, BooleanField → parse_bool, choices → parse_choice of the
        labels, Integer/Decimal → parse_int/parse_decimal, everything else → parse_text).
    resolve: (ctx, parsed value) -> python value, for values that need the database or the court, e.g.
        `resolve_department`, `resolve_person`, `resolve_people`. Called only for non-empty values.
    export: instance -> cell value (defaults to getattr(instance, field); choices export their label,
        a related object its name).
    required: an empty cell is a row error ("必填").
    choices: allowed texts (a drop-down list[Any] in the template). Inferred from the field's choices if None.
    text: keep as text in the template and export (ID numbers, staff numbers, case numbers).
    help: a hint shown in the template's header comment and in the column list[Any] on the import page.
    example: the value in the template's example row.
    """

    header: str
    field: str
    parse: Callable[[Any], Any] | None = None
    export: Callable[[Any], Any] | None = None
    required: bool = False
    choices: list[str] | None = None
    text: bool = False
    example: Any = ""
    width: int = 14
    resolve: Callable[[Any, Any], Any] | None = None
    help: str = ""

    def value_of(self, instance: Any) -> Any:
        if self.export is not None:
            return self.export(instance)
        model_field = _model_field(type(instance), self.field)
        if model_field is not None and getattr(model_field, "choices", None) and not model_field.is_relation:
            return getattr(instance, f"get_{self.field}_display")()
        value = getattr(instance, self.field, "")
        if isinstance(value, models.Model):
            return getattr(value, "name", str(value))
        return value


def _model_field(model: type, name: str) -> Any:
    try:
        return model._meta.get_field(name)  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - not a model field (a key save_row understands)
        return None


@dataclass
class ExportOption:
    """An extra export filter of a register, e.g. the dues sheet's `--month 2016-05`.

    name: the option name (`--month` on the command line; key of `rows_for_export`'s options).
    apply: (queryset, raw text) -> queryset; raise ValueError with a Chinese message for a bad value.
    """

    name: str
    help: str
    apply: Callable[[Any, str], Any]


@dataclass
class Register:
    """The spreadsheet layout of one kind of record, plus the hooks the import machinery calls.

    natural_key: model field names identifying a row within the court (the upsert key), e.g. ("id_number",).
    court_scoped: rows belong to a court (the import's court is set on new rows and bounds every lookup).
    import_perm: the policy permission to import (and to use the import page), e.g. "org.import_person";
        by default the model's declared "import" permission (`<app>/policy.py`). `can_import(user)` asks the
        policy. Only when neither is declared: `import_permission(user)`, then `manage_roles`.
    prepare_row: (ctx, values: dict[field, value]) -> dict, cross-column checks/derivations before the
        row is matched and saved; raise `RowError(header, message)` or ValueError for a problem.
    save_row: (ctx, values) -> "created" | "updated" | "unchanged"; replaces the generic upsert for
        records that need more than setting fields (lists of attendees, several models per row …).
        Runs inside the import transaction; raise RowError/ValidationError for a problem.
    write: (ctx, created: list[obj], updated: list[(obj, old_values: dict[str, Any])], update_fields: list[str]) — the
        app's service that writes one batch of the generic upsert (only services write): bulk_create /
        bulk_update, dependent rows (people open a DepartmentAssignment), and `audit_record` per record (inside
        the import these join its one audit entry). `version`/`updated_at` are already set on updated rows.
        Needed for importing with the generic upsert (save_row registers call their services themselves).
    bulk: the generic upsert writes each batch with bulk_create/bulk_update (fast). Set False when rows
        refer to earlier rows of the same file (courts: 上级法院代字), so each row is saved at once.
    export_queryset: (user, court) -> queryset of rows to export; default model.objects.visible_to(user)
        narrowed to the court. export_options: extra filters (see ExportOption).
    """

    kind: str
    title: str | Promise
    model: type[models.Model]
    columns: list[Column]
    natural_key: tuple[str, ...] = ()
    court_scoped: bool = True
    extra: dict[str, Any] = field(default_factory=dict)
    manage_roles: tuple[str, ...] = ()
    import_permission: Callable[[Any], bool] | None = None
    import_perm: str = ""
    prepare_row: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None
    save_row: Callable[[Any, dict[str, Any]], str] | None = None
    write: Callable[[Any, list[Any], list[Any], list[str]], None] | None = None
    bulk: bool = True
    export_queryset: Callable[[Any, Any], Any] | None = None
    export_options: list[ExportOption] = field(default_factory=list[Any])
    description: str | Promise = ""  # shown on the import page; gettext_lazy so English mode reads English

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    def column(self, field_name: str) -> Column | None:
        return next((c for c in self.columns if c.field == field_name), None)

    def can_import(self, user: Any) -> bool:
        """May this user import into (and download the template of) this register?"""
        if user is None:
            return True  # the command line: whoever can run manage.py
        if not getattr(user, "is_authenticated", False):
            return False
        from tianping.core.policy import DECLARED, allowed, perm_name

        perm = self.import_perm or perm_name(self.model, "import")
        if perm in DECLARED:
            return allowed(user, perm)
        if self.import_permission is not None:
            return bool(self.import_permission(user))
        from tianping.core.scope import has_role, user_roles

        if user.is_superuser and not user_roles(user):
            return True
        return bool(self.manage_roles) and has_role(user, *self.manage_roles)

    def rows_for_export(self, user: Any, court: Any = None, options: dict[str, str] | None = None) -> Any:
        """The rows an export gives: visible to the user, of the court, narrowed by export options."""
        if self.export_queryset is not None:
            qs = self.export_queryset(user, court)
        else:
            qs = self.model._default_manager.all()
            if user is not None and hasattr(qs, "visible_to"):
                qs = qs.visible_to(user)
            if court is not None and self.court_scoped:
                qs = qs.filter(court=court)
            related = [c.field for c in self.columns
                       if (f := _model_field(self.model, c.field)) is not None and f.many_to_one]
            if related:
                qs = qs.select_related(*related)  # one query, not one per row, for 部门/上级法院 …
        by_name = {o.name: o for o in self.export_options}
        for name, raw in (options or {}).items():
            if raw in (None, ""):
                continue
            if name not in by_name:
                raise ValueError(f"{self.kind} 不支持导出筛选项 {name}")
            qs = by_name[name].apply(qs, str(raw))
        return qs


_REGISTRY: dict[str, Register] = {}
_COURT_MODEL: list[type[models.Model]] = []


def register_court_model(model: type[models.Model]) -> None:
    """The org app names its court model (looked up by `code`, 法院代字) so that the import/export machinery
    and its commands need not import a domain app."""
    _COURT_MODEL[:] = [model]


def court_model() -> type[models.Model]:
    if not _COURT_MODEL:
        raise LookupError("no app registered a court model (tianping.org.importers does)")
    return _COURT_MODEL[0]


def register(reg: Register) -> Register:
    _REGISTRY[reg.kind] = reg
    return reg


def _load_all() -> None:
    """Every app's importers.py is imported by `CoreConfig.ready()` (tianping.core.registry.autodiscover)."""


def get_register(kind: str) -> Register:
    """The register of KIND; KeyError if no app declares it."""
    _load_all()
    return _REGISTRY[kind]


def all_registers() -> dict[str, Register]:
    _load_all()
    return dict(_REGISTRY)


def _cell(value: Any) -> Any:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    if value is None:
        return ""
    if isinstance(value, (date, int, float)):
        return value
    return escape_cell(str(value))


def export_xlsx(reg: Register, rows: Iterable[Any], *, sheet_title: str | None = None) -> bytes:
    """Write rows in the import layout to .xlsx (write-only mode: memory stays flat)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(sheet_title or reg.title)[:31])
    for i, col in enumerate(reg.columns):
        from openpyxl.utils import get_column_letter

        ws.column_dimensions[get_column_letter(i + 1)].width = col.width
    header = []
    for col in reg.columns:
        c = WriteOnlyCell(ws, value=col.header)
        c.font = Font(bold=True)
        header.append(c)
    ws.append(header)
    for obj in rows:
        out = []
        for col in reg.columns:
            value = _cell(col.value_of(obj))
            if col.text and value != "":
                c = WriteOnlyCell(ws, value=str(value))
                c.number_format = "@"
                out.append(c)
            elif isinstance(value, date):
                c = WriteOnlyCell(ws, value=value)
                c.number_format = "yyyy-mm-dd"
                out.append(c)
            else:
                out.append(value)
        ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_table_xlsx(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    """A table of figures (not a register: nothing to import back) as .xlsx: a bold header row, then the rows;
    text cells escaped against formula injection like a register's export."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=str(title)[:31])
    for i, text in enumerate(header):
        ws.column_dimensions[get_column_letter(i + 1)].width = max(10, min(40, 2 * len(str(text)) + 2))
    cells = []
    for text in header:
        c = WriteOnlyCell(ws, value=escape_cell(str(text)))
        c.font = Font(bold=True)
        cells.append(c)
    ws.append(cells)
    for row in rows:
        ws.append([_cell(v) for v in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
