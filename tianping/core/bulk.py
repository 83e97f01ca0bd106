"""INSERT many rows of plain values at once, past the ORM's per-value compilation."""

from __future__ import annotations

from operator import attrgetter
from typing import Any

from django.db import connection
from django.utils import timezone


def bulk_insert(model: Any, rows: list[dict[str, Any]], *, batch_size: int = 5000) -> int:
    """INSERT `rows` (dicts of field attname -> value) with one prepared statement per batch: for the
    demo's 100,000 cases bulk_create spends most of its time compiling every value of every row through
    the field classes; here only the constant columns go through them (defaults, auto_now timestamps), the
    per-row values must already be what the column stores (str, int, bool, date, Decimal, None).
    Returns the number of rows. No signals, no full_clean, no ids returned: for the demo generators and for
    services writing rows they have already checked (an import's department history)."""
    if not rows:
        return 0
    now = timezone.now()
    given = list(rows[0])
    fields = {f.attname: f for f in model._meta.concrete_fields}
    constants = {}
    for name, f in fields.items():
        if name in given or f.primary_key:
            continue
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.has_default():
            value = f.get_default()
        else:
            value = None
        constants[name] = f.get_db_prep_save(value, connection)
    json_cols = {n for n in given if fields[n].get_internal_type() == "JSONField"}
    columns = given + list(constants)
    qn = connection.ops.quote_name
    # identifiers come from the model's meta (quoted), values are parameters
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    tail = tuple(constants.values())
    with connection.cursor() as cur:
        for i in range(0, len(rows), batch_size):
            batch = rows[i:i + batch_size]
            if json_cols:
                params = [tuple(fields[c].get_db_prep_save(r[c], connection) if c in json_cols else r[c]
                                for c in given) + tail for r in batch]
            else:
                params = [tuple(r[c] for c in given) + tail for r in batch]
            cur.executemany(sql, params)
    return len(rows)


# values the database drivers take as they are (Django registers SQLite's adapters for date and Decimal)
_PLAIN_TYPES = {"AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField", "EmailField",
                "ForeignKey", "IntegerField", "OneToOneField", "PositiveIntegerField", "PositiveSmallIntegerField",
                "SlugField", "SmallIntegerField", "TextField"}


def bulk_insert_objects(objs: list[Any], *, scope: dict[str, Any], key: str, batch_size: int = 2000) -> None:
    """INSERT unsaved, already full_clean()ed model instances with one prepared statement per batch and give
    each its primary key, found again by `key` (a field unique within `scope`, e.g. scope={"court_id": 1},
    key="id_number"). What bulk_create does, without compiling every value of every row through the field
    classes (most of its time for 100,000 people): plain columns go to the driver as they are, the others
    (datetimes, JSON …) through the field. auto_now / auto_now_add fields are set on the objects. No signals."""
    if not objs:
        return
    model = type(objs[0])
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    stamped = [f.attname for f in fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    for name in stamped:
        for obj in objs:
            setattr(obj, name, now)
    fields = [f for f in fields if f.attname not in stamped]
    plain = [f.get_internal_type() in _PLAIN_TYPES for f in fields]
    stamp = tuple(model._meta.get_field(name).get_db_prep_save(now, connection) for name in stamped)
    qn = connection.ops.quote_name
    columns = [f.column for f in fields] + [model._meta.get_field(name).column for name in stamped]
    # identifiers come from the model's meta (quoted), values are parameters
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) "  # noqa: S608
           f"VALUES ({', '.join(['%s'] * len(columns))})")
    if all(plain) and len(fields) > 1:
        values_of = attrgetter(*(f.attname for f in fields))  # a tuple per object, built in C
        params = [values_of(o) + stamp for o in objs]
    else:
        params = [tuple(getattr(o, f.attname) if p else f.get_db_prep_save(getattr(o, f.attname), connection)
                        for f, p in zip(fields, plain, strict=True)) + stamp for o in objs]
    with connection.cursor() as cur:
        for i in range(0, len(params), batch_size):
            cur.executemany(sql, params[i:i + batch_size])
    attname = model._meta.get_field(key).attname
    by_key = {getattr(o, attname): o for o in objs}
    keys = list(by_key)
    for i in range(0, len(keys), 500):
        for value, pk in model._default_manager.filter(**scope, **{f"{attname}__in": keys[i:i + 500]}).values_list(
                attname, "pk"):
            obj = by_key[value]
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias
