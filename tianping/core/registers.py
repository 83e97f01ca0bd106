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
    field: the model attribute (or a key the register's `save_row` understands).
    parse: cell value (str|int|float|date|None) -> python value; raises ValueError with a Chinese message.
    export: instance -> cell value (defaults to getattr(instance, field)).
    choices: allowed texts (a drop-down list in the template).
    text: keep as text in the template (ID numbers, staff numbers, case numbers).
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

    def value_of(self, instance: Any) -> Any:
        if self.export is not None:
            return self.export(instance)
        value = getattr(instance, self.field, "")
        if isinstance(value, models.Model):
            return str(value)
        return value


@dataclass
class Register:
    """The spreadsheet layout of one kind of record."""

    kind: str
    title: str
    model: type[models.Model]
    columns: list[Column]
    natural_key: tuple[str, ...] = ()
    court_scoped: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    def headers(self) -> list[str]:
        return [c.header for c in self.columns]


_REGISTRY: dict[str, Register] = {}


def register(reg: Register) -> Register:
    _REGISTRY[reg.kind] = reg
    return reg


_loaded = False


def _load_all() -> None:
    """Import every app's importers.py once, so their register() calls have run."""
    global _loaded
    if _loaded:
        return
    from importlib import import_module

    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("tianping."):
            try:
                import_module(f"{config.name}.importers")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.importers":
                    raise
    _loaded = True


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
    ws = wb.create_sheet(title=(sheet_title or reg.title)[:31])
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
