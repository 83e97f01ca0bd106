"""Typed JSON schemas made from a spreadsheet register (tianping.core.registers): one declaration of the columns
drives the import template, the parser, the export — and the API's record schemas. A record's keys are the
column headers (案号, 立案日期 …; the English field names are accepted too), its values what a cell would
hold; the register's own parsers check them, so the API accepts and refuses exactly what the spreadsheet does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import models
from ninja import Schema
from pydantic import ConfigDict, Field, create_model

from tianping.core.registers import Register, get_register


def _model_field(reg: Register, name: str) -> Any:
    try:
        return reg.model._meta.get_field(name)
    except Exception:  # noqa: BLE001 - a key save_row understands (panel lists …), not a model field
        return None


def _types(reg: Register, column: Any) -> tuple[Any, Any, dict[str, Any]]:
    """(input type, output type, extra JSON schema) of a column."""
    f = _model_field(reg, column.field)
    if isinstance(f, models.DateField):
        return str, date, {"format": "date"}
    if isinstance(f, models.BooleanField):
        return bool | str, bool, {}
    if isinstance(f, models.IntegerField):
        return int | str, int, {}
    if isinstance(f, models.DecimalField):
        return float | str, float, {}
    return str, str, {}


class _In(Schema):
    model_config = ConfigDict(populate_by_name=True, extra="forbid")


class _Out(Schema):
    model_config = ConfigDict(populate_by_name=True)


def _description(column: Any) -> str:
    parts = [column.help] if column.help else []
    if column.choices:
        parts.append("可选值：" + "、".join(map(str, column.choices)))
    return "；".join(parts)


@cache
def record_in(kind: str) -> type[Schema]:
    """The input record of register `kind` (e.g. CasesIn for "cases")."""
    reg = get_register(kind)
    fields: dict[str, Any] = {}
    for col in reg.columns:
        typ, _out, extra = _types(reg, col)
        example = col.example if col.example not in ("", None) else None
        schema_extra = {**extra, **({"examples": [example]} if example is not None else {})}
        if col.required:
            fields[col.field] = (typ, Field(alias=col.header, description=_description(col), min_length=1
                                            if typ is str else None, json_schema_extra=schema_extra))
        else:
            fields[col.field] = (typ | None, Field(None, alias=col.header, description=_description(col),
                                                   json_schema_extra=schema_extra))
    return create_model(f"{kind.title()}RecordIn", __base__=_In, **fields)


@cache
def record_out(kind: str) -> type[Schema]:
    reg = get_register(kind)
    fields: dict[str, Any] = {}
    for col in reg.columns:
        _in, typ, extra = _types(reg, col)
        fields[col.field] = (typ | None, Field(None, alias=col.header, description=_description(col),
                                               json_schema_extra=extra or None))
    return create_model(f"{kind.title()}RecordOut", __base__=_Out, **fields)


def record_values(kind: str, obj: Any, reg: Register | None = None) -> dict[str, Any]:
    """The record as the export writes it (by the register's columns), keyed by field name. `reg`: the register
    as one user may export it (`tianping.core.scope.register_for_user`: personal columns masked)."""
    reg = reg or get_register(kind)
    out: dict[str, Any] = {}
    for col in reg.columns:
        _in, typ, _extra = _types(reg, col)
        value = col.value_of(obj)
        if value in ("", None) and typ is not str:
            value = None
        elif isinstance(value, Decimal):
            value = float(value)
        elif typ is str and value is not None:
            value = str(value)
        out[col.field] = value
    return out


def input_rows(items: list[Any]) -> list[dict[str, Any]]:
    """Validated records → {field: cell value} rows for `run_import_rows` (what a spreadsheet cell would hold)."""
    return [item.model_dump(by_alias=False) for item in items]


def header_of(kind: str, field: str) -> str:
    return next((c.header for c in get_register(kind).columns if c.field == field), field)
