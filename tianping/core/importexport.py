"""Spreadsheet import and export for every register of tianping — the guide for writing an importer.

How a register is declared (worked example: tianping/org/importers.py — courts, departments, people)
---------------------------------------------------------------------------------------------------------
Each app lists its registers in `<app>/importers.py`::

    from tianping.core.importexport import parse_date, parse_text
    from tianping.core.registers import Column, ExportOption, Register, register
    from tianping.org.importers import resolve_department, resolve_person   # the org app's resolvers

    register(Register(   # who may import: the model's "import" permission in org/policy.py (org.import_person)
        kind="people", title="人员", model=Person, natural_key=("id_number",),
        columns=[
            Column("姓名", "name", required=True, example="张伟"),
            Column("性别", "gender", required=True, example="男"),        # choices inferred from the field
            Column("身份证号", "id_number", required=True, text=True, example="370403198503070016"),
            Column("工号", "staff_number", text=True, example="0312"),   # number cell 312 → "312"
            Column("部门", "department", resolve=resolve_department, example="民事审判庭"),
            Column("入职日期", "hired_on", example="2010-07-01"),          # parse_date inferred
        ],
        write=people_write,   # (ctx, created, updated, fields) → org.services.people_import: only services write
    ))

From that one declaration come the template (.xlsx with header, example row, drop-downs for choices, text
format for `text=True` columns and a 填写说明 sheet), the parser, the preview, the error report and the
export (`?export=xlsx` on the list page, `manage.py export_data`), so they cannot drift apart.

A Column's value travels: cell → `parse(cell)` (context-free; inferred from the model field when omitted)
→ `resolve(ctx, value)` (needs the court or the database: departments, people, branches …) → the model
field. A parser or resolver raises `ValueError("what is wrong and what to write")` (or `RowError`); the
machinery turns it into "第 N 行：列名：message" with N the Excel row number.

Empty cells: in a `required=True` column a row error; otherwise a field that cannot be empty (NOT NULL, or
not blank such as 职务 with its default) is left alone — its default on a new record, its current value on
an existing one — and a field that may be blank is cleared. A `choices=[...]` list is enforced (drop-down
in the template; anything else is a row error naming the allowed values). Headers are matched by text, in
any order; unknown columns (and the 错误原因 column of an error report) are ignored.

How a row is saved
------------------
Generic upsert (most registers): the row's natural key (`Register.natural_key`, looked up *within the
court* of the import) finds the existing record; the parsed values are set on it; if nothing changed the
row counts as unchanged, otherwise updated; no match → created. Every row is `full_clean()`ed (the model's
`clean()` and field validators run, so the rules of the forms apply to imports too); unique constraints
are checked against the database and against earlier rows of the file. A model with a `version` field
gets it incremented on update (the edit forms' concurrency check notices an import). Each checked batch
goes to the register's `write(ctx, created, updated, fields)`, which calls the app's service (only
services write; the service may bulk_create/bulk_update and audits each record).

Custom save (`Register.save_row(ctx, values) -> "created" | "updated" | "unchanged"`): for rows that
write several models (a meeting with its attendees, a case with its parties). It calls the app's services
(`<app>/services.py`), inside the import transaction, one savepoint per row; raise RowError /
ValidationError / ValueError for a problem. Cross-column checks for either path: `prepare_row(ctx,
values) -> values`.

All or nothing
--------------
`run_import()` commits the whole file in one transaction. If any row has a problem the transaction is
rolled back and the result lists every problem (all of a row's problems at once); nothing is written. A
crash or a killed worker leaves nothing either. The commit writes one audit entry (event
`import.committed`): the services' audit facts are gathered by `tianping.core.audit.audit_batch` and
written at the end, so the audit chain's head is locked only for a moment before the commit.

Preview (`dry_run=True`) only reads: the generic upsert checks every row (parsers, resolvers, full_clean,
unique keys against the database and the file) without writing; a `save_row` register has each batch of
rows saved and rolled back at once. Either way the preview never holds the write lock for long (SQLite's
lock is the whole database's). The counts equal a commit's: before each batch, the rows of earlier batches
that created a record this batch names (by its natural key, e.g. a 上级组织 far up the file) are saved again
inside the batch's transaction. The preview also lists the first rows it would write
(`ImportResult.sample`, the first page: SAMPLE_ROWS).

Parsers and resolvers (use these rather than writing your own)
----------------------------------------------------------------
parse_text, parse_date, parse_bool (是/否), parse_choice(mapping or TextChoices), parse_int,
parse_decimal, parse_id_number, split_names ("张伟、李娜" → list);
resolve_by_name(ctx, queryset, text, label=...) for named records
(e.g. party branches: `lambda ctx, v: resolve_by_name(ctx, PartyOrganisation.objects.filter(court=ctx.court), v,
label="党组织")`). Unknown or ambiguous names are row errors that name the candidates. The org app's
registers add resolve_department(ctx, name), resolve_person(ctx, "张伟" or "张伟(0312)"),
resolve_people(ctx, "张伟、李娜") and resolve_court(ctx, code) (tianping.org.importers; core names no domain app).

Export filters: `Register.export_options=[ExportOption("month", "缴费月份，如 2016-05", apply)]` adds
`--month` to `manage.py export_data` (and `rows_for_export(user, court, {"month": "2016-05"})` applies it).
On the web the list page's own filters narrow the export (`?export=xlsx` keeps the filter's query).

Permissions: `can_import(user)` asks the policy — `Register.import_perm`, by default the model's declared
"import" permission (`<app>/policy.py`: `declare(Person, "import", ...)` → "org.import_person"); exports use
`Register.rows_for_export(user, court, options)`, which starts from `visible_to(user)`, with personal columns
masked unless the full export is asked for with a reason (tianping.core.views.ExportMixin).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import logging
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tianping.core.registers import Column, Register, _model_field, get_register
from tianping.core.scope import is_personal_column

__all__ = [
    "ImportContext", "ImportResult", "Problem", "RowError", "court_filter", "parse_bool", "parse_choice",
    "parse_date", "parse_decimal", "parse_id_number", "parse_int", "parse_text", "resolve_by_name", "run_import",
    "split_names", "write_error_report", "write_template", "get_register", "run_import_rows",
]

ERROR_HEADER = "错误原因"
SAMPLE_ROWS = 20  # rows to be written that the preview shows
logger = logging.getLogger(__name__)
MAX_CELL_TEXT = 2000


class RowError(Exception):
    """A problem with one row; `column` is the header it concerns (or "" for the whole row)."""

    def __init__(self, column: str | None, message: str) -> None:
        super().__init__(message)
        self.column = column or ""
        self.message = message


class FileError(Exception):
    """The file as a whole cannot be read (wrong type, missing columns, undecodable text)."""


@dataclass
class Problem:
    row: int  # Excel row number (1 = header row); 0 for the whole file
    column: str
    message: str

    def __str__(self) -> str:
        where = _("第 %(n)d 行：") % {"n": self.row} if self.row else ""
        return f"{where}{self.column}：{self.message}" if self.column else f"{where}{self.message}"


@dataclass
class ImportResult:
    kind: str
    dry_run: bool
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list[Any])
    committed: bool = False
    file_sha256: str = ""
    headers: list[str] = field(default_factory=list[Any])  # the file's recognised columns, in file order
    sample: list[dict[str, Any]] = field(default_factory=list[Any])  # the first rows to be written (preview)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def bad_rows(self) -> list[int]:
        return sorted({p.row for p in self.problems if p.row})

    def summary(self) -> str:
        return _("共 %(total)d 行：新增 %(created)d 行，更新 %(updated)d 行，不变 %(unchanged)d 行，有问题 %(bad)d 行。") % {
            "total": self.total, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
            "bad": len(self.bad_rows)}

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "dry_run": self.dry_run, "total": self.total, "created": self.created,
                "updated": self.updated, "unchanged": self.unchanged, "committed": self.committed,
                "file_sha256": self.file_sha256, "headers": self.headers, "sample": self.sample,
                "problems": [[p.row, p.column, p.message] for p in self.problems]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ImportResult:
        problems = [Problem(*p) for p in data.get("problems", [])]
        keys = ("kind", "dry_run", "total", "created", "updated", "unchanged", "committed", "file_sha256",
                "headers", "sample")
        return cls(problems=problems, **{k: data[k] for k in keys if k in data})


@dataclass
class ImportContext:
    """What parsers, resolvers and hooks know about the running import."""

    register: Register
    court: Any = None  # org.Court (None for registers that are not court-scoped)
    user: Any = None  # the importing account (None on the command line)
    dry_run: bool = False
    row_number: int = 0  # the Excel row being processed
    cache: dict[str, Any] = field(default_factory=dict)  # resolvers keep their lookups here
    changes: list[dict[str, Any]] = field(default_factory=list[Any])  # (unused; services audit what they change)
    pending: dict[str, dict[tuple, Any]] = field(default_factory=dict)  # preview: kind -> key -> unsaved record


# --- parsers: cell → python value; ValueError("Chinese reason") on bad input --------------------------------

_EXCEL_EPOCH = date(1899, 12, 30)
_DATE_RES = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]


def is_empty(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number_text(value: float | int) -> str:
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("不是有效的数值，请填写文本。"))
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def parse_text(value: Any) -> str:
    """Text as written. A number cell (312 or 312.0) becomes "312"; a text cell keeps leading zeros ("0312").
    Surrounding spaces (also full-width) are removed; empty → ""."""
    if value is None:
        return ""
    return _clean_text(value) if type(value) is str else _parse_non_text(value)  # text cells: the common case


def _clean_text(text: str) -> str:
    # Invisible control characters come from copy-paste out of other systems; Excel cannot even store them.
    text = _CONTROL_CHARS.sub("", text).strip().strip("\u3000").strip()
    if text.startswith("'") and len(text) > 1 and text[1] in "=+-@":
        text = text[1:]  # our own formula-injection escape, coming back from an export
    if len(text) > MAX_CELL_TEXT:
        raise ValueError(length_message(MAX_CELL_TEXT, len(text)))
    return text


def _parse_non_text(value: Any) -> str:
    if isinstance(value, bool):
        return str(_("是")) if value else str(_("否"))
    if isinstance(value, (int, float)):
        return _number_text(value)
    if isinstance(value, Decimal):
        return _number_text(int(value)) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return _clean_text(str(value))


def parse_id_number(value: Any) -> str:
    """An ID number (身份证号) as text: upper-case X, no spaces. A number cell loses precision in Excel, so
    a long number cell is refused with a hint to format the column as text."""
    if isinstance(value, float) and value >= 1e15:
        raise ValueError(_("身份证号被 Excel 存成了数字（末几位已丢失），请把该列设为“文本”格式后重新填写。"))
    return parse_text(value).replace(" ", "").upper()


def parse_date(value: Any) -> date | None:
    """2016-05-03, 2016/5/3, 2016.5.3, 2016年5月3日, 20160503, a date cell or an Excel serial number."""
    if is_empty(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError(_("不是日期，请写成 2016-05-03 的形式。"))
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
        if number.is_integer() and 19000101 <= number <= 29991231:
            value = str(int(number))
        elif 1 <= number < 2958466:  # an Excel serial day number (up to 9999-12-31)
            return _EXCEL_EPOCH + timedelta(days=int(number))
        else:
            shown = _number_text(value) if isinstance(value, (int, float)) else value
            raise ValueError(_("“%(v)s”不是日期，请写成 2016-05-03 的形式。") % {"v": shown})
    text = parse_text(value)
    for rx in _DATE_RES:
        m = rx.match(text)
        if m:
            y, mo, d = (int(g) for g in m.groups())
            try:
                return date(y, mo, d)
            except ValueError:
                why = (_("月份应为 1–12") if not 1 <= mo <= 12
                       else _("%(y)d 年 %(m)d 月没有 %(d)d 日") % {"y": y, "m": mo, "d": d})
                raise ValueError(_("“%(v)s”不是存在的日期（%(why)s），请核对。") % {"v": text, "why": why}) from None
    raise ValueError(_("“%(v)s”不是日期，请写成 2016-05-03、2016/5/3 或 2016年5月3日。") % {"v": text[:40]})


_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "t", "有"}
_FALSE = {"否", "n", "no", "false", "0", "×", "f", "无", "不是"}


def parse_bool(value: Any) -> bool | None:
    """是/否 (also yes/no, 1/0, TRUE/FALSE cells); empty → None (the field's default applies)."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    text = parse_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(_("“%(v)s”无法识别，请填写“是”或“否”。") % {"v": text[:20]})


def parse_choice(mapping: Any) -> Callable[[Any], Any]:
    """A parser for an enumeration: `mapping` is {label: value} or a Django TextChoices class. Both the
    label (男) and the stored value (M) are accepted; empty → "" (required-ness is checked separately)."""
    if isinstance(mapping, type) and issubclass(mapping, models.Choices):
        mapping = {str(label): value for value, label in mapping.choices}
    mapping = {str(k): v for k, v in dict(mapping).items()}
    by_value = {str(v): v for v in mapping.values()}
    labels = "、".join(mapping)

    def parse(value: Any) -> Any:
        if is_empty(value):
            return ""
        text = parse_text(value)
        if text in mapping:
            return mapping[text]
        if text in by_value:
            return by_value[text]
        raise ValueError(_("“%(v)s”不是可选值，请从下拉列表中选择：%(labels)s。") % {"v": text[:20], "labels": labels})

    parse.choice_labels = list(mapping)  # type: ignore[attr-defined]
    return parse


def parse_int(value: Any) -> int | None:
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError(_("应为整数。"))
    if isinstance(value, float):
        if value != value or not value.is_integer():
            raise ValueError(_("“%(v)s”不是整数，请填写整数（如 12）。") % {"v": value})
        return int(value)
    if isinstance(value, int):
        return value
    text = parse_text(value).replace(",", "").replace("，", "")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(v)s”不是整数，请填写整数（如 12）。") % {"v": text[:20]}) from None
    if number != number.to_integral_value():
        raise ValueError(_("“%(v)s”不是整数，请填写整数（如 12）。") % {"v": text[:20]})
    if abs(number) > 10**15:
        raise ValueError(_("“%(v)s”超出范围，请核对。") % {"v": text[:20]})
    return int(number)


def parse_decimal(value: Any) -> Decimal | None:
    """A number such as 12.50 or 1,234.5 (money: two decimal places are kept exactly)."""
    if is_empty(value):
        return None
    if isinstance(value, bool):
        raise ValueError(_("应为数字。"))
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(_("应为数字。"))
        return Decimal(repr(value))
    if isinstance(value, int):
        return Decimal(value)
    text = parse_text(value).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
    if text.endswith("元"):
        text = text[:-1]
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_("“%(v)s”不是数字，请填写数字（如 12.50）。") % {"v": text[:20]}) from None
    if not number.is_finite() or abs(number) > Decimal(10) ** 15:
        raise ValueError(_("“%(v)s”不是有效的数字。") % {"v": text[:20]})
    return number


_NAME_SEPARATORS = re.compile(r"[、,，;；/\n]+")


def split_names(value: Any) -> list[str]:
    """Names joined by 、 (also , ， ; ； / or line breaks) → a list without blanks or repeats, order kept."""
    if is_empty(value):
        return []
    seen: dict[str, None] = {}
    for part in _NAME_SEPARATORS.split(parse_text(value)):
        part = part.strip()
        if part:
            seen.setdefault(part, None)
    return list(seen)


# --- resolvers: (ctx, text) → record of the court; ValueError naming the candidates ---------------------

def court_filter(ctx: ImportContext, qs: Any) -> Any:
    """`qs` narrowed to the import's court (for models with a `court` field)."""
    if ctx.court is not None and hasattr(qs.model, "court"):
        qs = qs.filter(court=ctx.court)
    return qs


def resolve_by_name(ctx: ImportContext, queryset: Any, text: Any, *, label: str | Promise, name_field: str = "name",
                    cache_key: str | None = None) -> Any:
    """The one record of `queryset` (narrowed to ctx.court) whose `name_field` is `text`.

    `queryset` may be a callable returning the queryset (built only once per import). The whole
    name→record map is loaded once per import and kept in ctx.cache under `cache_key` (default: the
    model, field and filter); registers of a court hold at most a few thousand named records."""
    name = parse_text(text)
    if not name:
        return None
    index = ctx.cache.get(cache_key) if cache_key else None
    if index is None:
        qs = court_filter(ctx, queryset() if callable(queryset) else queryset)
        key = cache_key or f"by_name:{qs.model._meta.label_lower}:{name_field}:{qs.query.where!r}"
        index = ctx.cache.get(key)
        if index is None:
            index = {}
            for obj in qs:
                index.setdefault(str(getattr(obj, name_field)), []).append(obj)
            ctx.cache[key] = index
    found = index.get(name, [])
    if len(found) == 1:
        return found[0]
    if not found:
        close = [n for n in index if name in n or n in name][:5]
        hint = (_("相近的有：%(names)s") % {"names": "、".join(close)} if close
                else _("请先在系统中建立该%(label)s，或核对名称") % {"label": label})
        raise ValueError(_("本院没有名为“%(name)s”的%(label)s，%(hint)s。") % {"name": name[:30], "label": label,
                                                                          "hint": hint})
    raise ValueError(_("本院有 %(n)d 个名为“%(name)s”的%(label)s，请改用全称区分。") % {"n": len(found), "name": name,
                                                                               "label": label})


# --- reading a spreadsheet: .xlsx (Excel, WPS, LibreOffice) and .csv (UTF-8, UTF-8-BOM, GB18030) ------------

XLSX_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"


def detect_csv_encoding(path: Path) -> str:
    """utf-8-sig when it has a BOM or decodes as UTF-8; otherwise GB18030 (a superset of GBK, which
    Chinese Excel writes). Reads in chunks so a large file is not held in memory."""
    with open(path, "rb") as fh:
        head = fh.read(3)
        if head == codecs.BOM_UTF8:
            return "utf-8-sig"
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
            return "utf-8"
        except UnicodeDecodeError:
            pass
        fh.seek(0)
        decoder = codecs.getincrementaldecoder("gb18030")()
        try:
            while chunk := fh.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileError(_("无法识别 CSV 文件的文字编码：请用 Excel 另存为 .xlsx，或保存为 UTF-8 编码的 CSV。")) from None
    return "gb18030"


# An .xlsx is a zip: a 204 KB file can declare a 200 MB cell, which a reader would build in memory (the web
# process grew from 125 MB to 523 MB). The zip's directory declares every member's uncompressed size, and
# Python's zipfile never inflates a member beyond its declared size, so checking the declared sizes before
# parsing bounds what parsing can allocate. A real 100,000-row sheet is about 50 MB of XML, compressed 5–15×.
XLSX_MAX_UNCOMPRESSED = 256 * 1024 * 1024  # all members together
XLSX_MAX_SHARED_STRINGS = 64 * 1024 * 1024  # the reader loads the shared-strings table whole
XLSX_MAX_RATIO = 100  # uncompressed ÷ compressed, for members larger than 1 MB


def check_xlsx_sizes(path: Path | str) -> None:
    """Refuse an .xlsx whose declared uncompressed size (or compression ratio) is beyond what a spreadsheet of
    the largest accepted import needs — a "zip bomb". FileError with a Chinese message; reads only the zip's
    directory."""
    import zipfile

    from django.conf import settings

    limit = int(getattr(settings, "TIANPING_IMPORT_XLSX_MAX_UNCOMPRESSED", XLSX_MAX_UNCOMPRESSED))
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise FileError(_("无法读取该 .xlsx 文件（文件已损坏或不是 Excel 文件）：请用 Excel/WPS 重新保存后再导入。")
                        ) from None
    total = sum(i.file_size for i in infos)
    too_big = _("该 .xlsx 文件解压后过大（约 %(mb)d MB，上限 %(limit)d MB），可能含有异常内容：请用 Excel/WPS "
                "打开检查，删除无关的内容或拆分成几个文件后再导入。")
    if total > limit:
        raise FileError(too_big % {"mb": total // 1048576, "limit": limit // 1048576})
    for info in infos:
        name = info.filename.lower()
        if name.endswith("sharedstrings.xml") and info.file_size > XLSX_MAX_SHARED_STRINGS:
            raise FileError(too_big % {"mb": info.file_size // 1048576, "limit": XLSX_MAX_SHARED_STRINGS // 1048576})
        if info.file_size > 1048576 and info.file_size > XLSX_MAX_RATIO * max(info.compress_size, 1):
            raise FileError(_("该 .xlsx 文件的压缩比异常（%(name)s 解压后 %(mb)d MB，压缩率超过 %(ratio)d 倍），"
                              "不像是正常的表格：请用 Excel/WPS 重新保存后再导入。")
                            % {"name": info.filename[:60], "mb": info.file_size // 1048576, "ratio": XLSX_MAX_RATIO})


class Sheet:
    """Rows of an uploaded spreadsheet, streamed: `headers`, `estimated_rows` and `rows()` yielding
    (Excel row number, list of cell values)."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.headers: list[str] = []
        self.estimated_rows = 0
        self._wb = None
        with open(self.path, "rb") as fh:
            magic = fh.read(4)
        if magic == XLSX_MAGIC:
            self.kind = "xlsx"
            self._open_xlsx()
        elif magic == OLE_MAGIC:
            raise FileError(_("这是旧版 .xls 或加密的 Excel 文件：请在 Excel/WPS 中“另存为” .xlsx 后再导入。"))
        elif b"\x00" in magic:
            raise FileError(_("文件类型不对：请上传 .xlsx 或 .csv 文件。"))
        else:
            self.kind = "csv"
            self._open_csv()

    def _open_xlsx(self) -> None:
        # python-calamine (Rust) parses the sheet XML and the shared strings several times faster than openpyxl's
        # read-only mode; the declared sizes are checked first, so parsing cannot allocate beyond them.
        from python_calamine import CalamineWorkbook

        check_xlsx_sizes(self.path)
        try:
            self._wb = CalamineWorkbook.from_path(str(self.path))
            ws = self._wb.get_sheet_by_index(0)
        except Exception:  # noqa: BLE001 - any parse failure of the zip/XML means an unreadable file
            raise FileError(_("无法读取该 .xlsx 文件（文件已损坏或不是 Excel 文件）：请用 Excel/WPS 重新保存后再导入。")
                            ) from None
        # calamine reads what is really there (a writer's wrong sheet dimension record does not matter)
        self.estimated_rows = max(ws.total_height - 1, 0)
        self._iter = self._xlsx_rows(ws)
        try:
            first = next(self._iter)
        except StopIteration:
            raise FileError(_("文件是空的：第 1 行应为表头。")) from None
        self.headers = [parse_text(v) if not isinstance(v, str) else v.strip() for v in first[1]]

    def _xlsx_rows(self, ws: Any) -> Iterator[tuple[int, list[Any]]]:
        """calamine yields the rows from the sheet's row 1 (empty rows above the data as empty lists) and the
        columns from the first used one; an empty cell is "" — made None, as the rest of the machinery (and
        the error report) expects."""
        try:
            for number, row in enumerate(ws.iter_rows(), start=1):
                yield number, [None if v == "" else v for v in row]
        except FileError:
            raise
        except Exception:  # noqa: BLE001
            raise FileError(_("读取 .xlsx 文件时出错（文件可能已损坏）：请用 Excel/WPS 重新保存后再导入。")) from None

    def _open_csv(self) -> None:
        encoding = detect_csv_encoding(self.path)
        with open(self.path, "rb") as fh:
            self.estimated_rows = max(sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b"")) - 1, 0)
        self._fh = open(self.path, encoding=encoding, newline="")  # noqa: SIM115 - closed in close()
        sample = self._fh.read(4096)
        self._fh.seek(0)
        try:
            dialect = csv.Sniffer().sniff(sample, delimiters=",\t;")
        except csv.Error:
            dialect = csv.excel
        csv.field_size_limit(1 << 20)
        self._iter = self._csv_rows(csv.reader(self._fh, dialect))
        try:
            first = next(self._iter)
        except StopIteration:
            raise FileError(_("文件是空的：第 1 行应为表头。")) from None
        self.headers = [h.strip().lstrip("\ufeff") for h in first[1]]

    def _csv_rows(self, reader: Any) -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, row in enumerate(reader, start=1):
                yield number, row
        except (csv.Error, UnicodeDecodeError) as exc:
            raise FileError(_("CSV 文件格式错误（%(e)s）：请用 Excel 另存为 .xlsx 后再导入。") % {"e": exc}) from None

    def rows(self) -> Iterator[tuple[int, list[Any]]]:
        """(Excel row number, cells) for every row after the header, empty rows included."""
        yield from self._iter

    def close(self) -> None:
        if self._wb is not None:
            self._wb.close()
        if getattr(self, "_fh", None) is not None:
            self._fh.close()


@contextmanager
def open_sheet(path: Path | str) -> Iterator[None]:
    sheet = Sheet(path)
    try:
        yield sheet
    finally:
        sheet.close()


def _normalise_header(text: str) -> str:
    return re.sub(r"[\s*＊]|（必填）|\(必填\)", "", text or "")


def map_headers(reg: Register, headers: list[str]) -> dict[int, Column]:
    """Column index → Column by header text. Unknown columns (and 错误原因 of an error report) are ignored,
    so a corrected error report can be imported as it is. A missing required column is a file error."""
    by_header = {_normalise_header(c.header): c for c in reg.columns}
    mapping: dict[int, Column] = {}
    for i, h in enumerate(headers):
        col = by_header.get(_normalise_header(str(h or "")))
        if col is not None and col not in mapping.values():
            mapping[i] = col
    missing = [c.header for c in reg.columns if c.required and c not in mapping.values()]
    if missing:
        raise FileError(_("第 1 行表头缺少必填列：%(missing)s。请下载导入模板，按模板的表头填写（应为：%(all)s）。")
                        % {"missing": "、".join(missing), "all": "、".join(reg.headers())})
    if not mapping:
        raise FileError(_("第 1 行没有可识别的表头：应为 %(all)s。") % {"all": "、".join(reg.headers())})
    return mapping


# --- the engine ---------------------------------------------------------------------------------------------

def _infer_parser(reg: Register, col: Column) -> Callable[[Any], Any]:
    if col.parse is not None:
        return col.parse
    try:
        f = reg.model._meta.get_field(col.field)
    except Exception:  # noqa: BLE001 - a key that save_row understands
        return parse_choice({c: c for c in col.choices}) if col.choices else parse_text
    if f.is_relation:
        return parse_text
    if f.choices:
        return parse_choice({str(label): value for value, label in f.flatchoices})
    if col.choices and not isinstance(f, models.BooleanField):
        return parse_choice({c: c for c in col.choices})  # a declared list on a plain text field
    if isinstance(f, models.DateTimeField):
        return parse_date
    if isinstance(f, models.DateField):
        return parse_date
    if isinstance(f, models.BooleanField):
        return parse_bool
    if isinstance(f, models.DecimalField):
        return parse_decimal
    if isinstance(f, (models.IntegerField, models.BigIntegerField)):
        return parse_int
    if col.field in ("id_number",):
        return parse_id_number
    return parse_text


def column_choices(reg: Register, col: Column) -> list[str]:
    """The texts offered in the template's drop-down for a column."""
    if col.choices is not None:
        return list(col.choices)
    parser = _infer_parser(reg, col)
    labels = getattr(parser, "choice_labels", None)
    if labels:
        return list(labels)
    if parser is parse_bool:
        return ["是", "否"]
    return []


class _Rollback(Exception):
    pass


def _model_fields(reg: Register) -> dict[str, Any]:
    out = {}
    for col in reg.columns:
        f = _model_field(reg.model, col.field)
        if f is not None:
            out[col.field] = f
    return out


def _unique_sets(reg: Register) -> dict[tuple[str, ...], Q | None]:
    """Field sets (besides the natural key) that must be unique within the court: unique=True fields and
    UniqueConstraints of the model whose fields the register sets, each with the constraint's condition (None:
    every row), e.g. 工号 unique only where it is filled in."""
    meta = reg.model._meta
    sets: dict[tuple[str, ...], Q | None] = {}
    for f in meta.concrete_fields:
        if f.unique and not f.primary_key:
            sets.setdefault((f.name,), None)
    for c in meta.constraints:
        if isinstance(c, models.UniqueConstraint) and c.fields:
            sets.setdefault(tuple(f for f in c.fields if f != "court"), c.condition)
    set_fields = {c.field for c in reg.columns}
    key = tuple(reg.natural_key)
    return {s: cond for s, cond in sets.items() if s and s != key and set(s) <= set_fields}


def _comparable(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    return value


def _cell_texts(cells: list[Any]) -> set[str]:
    """The names a row's cells may refer to: each text cell, and each part of a list written 张伟、李娜."""
    out: set[str] = set()
    for c in cells:
        if isinstance(c, str) and c.strip():
            text = c.strip()
            out.add(text)
            out.update(p.strip() for p in re.split(r"[、，,;；]", text) if p.strip())
    return out


class _Engine:
    def __init__(self, reg: Register, ctx: ImportContext, result: ImportResult, mapping: dict[int, Column]) -> None:
        self.reg, self.ctx, self.result, self.mapping = reg, ctx, result, mapping
        self.parsers = {i: _infer_parser(reg, c) for i, c in mapping.items()}
        self.fields = _model_fields(reg)
        self.unique_sets = _unique_sets(reg)
        # the fields `keeps` leaves alone when their cell is empty (asked ~12 times a row of a large import)
        self.not_null = {n for n, f in self.fields.items() if not getattr(f, "null", True)}
        self.not_blank = {n for n, f in self.fields.items() if not getattr(f, "blank", True)}
        # full_clean skips the relations (resolved to existing records) and the court (set by the import)
        self.clean_exclude = [n for n, f in self.fields.items() if f.is_relation] + (
            ["court"] if reg.court_scoped else [])
        self.seen_keys: dict[tuple, int] = {}
        self.seen_unique: dict[tuple[str, ...], dict[tuple, int]] = {s: {} for s in self.unique_sets}
        self.writing = True
        self.header_of = {c.field: c.header for c in reg.columns}
        self.personal = {i for i, c in mapping.items() if is_personal_column(c)}  # masked in the preview's sample
        self.cells: dict[int, list[Any]] = {}
        self.has_version = any(f.name == "version" for f in reg.model._meta.concrete_fields)
        self.has_updated_at = any(f.name == "updated_at" for f in reg.model._meta.concrete_fields)
        # preview of a save_row register: natural key text -> (row, values, cells) of the rows it created
        self.created_rows: dict[str, tuple[int, dict[str, Any], list[Any]]] = {}

    def keeps(self, name: str, value: Any) -> bool:
        """An empty optional cell for a field that cannot hold "empty" (None on a NOT NULL field, "" on a field
        that may not be blank, e.g. 职务 with its default 其他) leaves the field alone: the default on a new
        record, the current value on an existing one. Required columns never get here empty."""
        if value is None:
            return name in self.not_null
        return isinstance(value, str) and value == "" and name in self.not_blank

    def problem(self, row: int, column: str, message: str) -> None:
        self.result.problems.append(Problem(row, column, message))

    def parse_row(self, row_number: int, cells: list[Any]) -> dict[str, Any] | None:
        ctx, values, ok = self.ctx, {}, True
        ctx.row_number = row_number
        failed: list[str] = []
        for i, col in self.mapping.items():
            raw = cells[i] if i < len(cells) else None
            try:
                value = self.parsers[i](raw)
                if col.required and (value is None or value == "" or value == []):
                    raise ValueError(_("必填，不能为空。请填写%(col)s。") % {"col": col.header})
                if col.resolve is not None:
                    value = col.resolve(ctx, value) if value not in (None, "", []) else None
            except RowError as exc:
                self.problem(row_number, exc.column or col.header, exc.message)
                ok = False
                failed.append(col.field)
                continue
            except (ValueError, ValidationError) as exc:
                self.problem(row_number, col.header, _message(exc))
                ok = False
                failed.append(col.field)
                continue
            except Exception:  # noqa: BLE001 - a parser bug must not turn a spreadsheet cell into a 500
                logger.exception("import %s row %s column %s: parser failed on %r", self.reg.kind, row_number,
                                 col.header, raw)
                self.problem(row_number, col.header, _("无法识别“%(v)s”，请按模板的格式填写。") % {"v": str(raw)[:30]})
                ok = False
                failed.append(col.field)
                continue
            values[col.field] = value
        if not ok:  # generic upsert and save_row registers (members, meetings, cases) alike
            self.check_rest(row_number, values, failed)
        if ok and self.reg.prepare_row is not None:
            try:
                values = self.reg.prepare_row(ctx, values)
            except RowError as exc:
                self.problem(row_number, exc.column, exc.message)
                return None
            except (ValueError, ValidationError) as exc:
                self.report_validation(row_number, exc)
                return None
        return values if ok else None

    def check_rest(self, row_number: int, values: dict[str, Any], failed: list[str]) -> None:
        """A row with unreadable cells: still validate what could be read, so every problem of the row is
        reported in one pass (not the ID checksum only after the birth date has been fixed)."""
        kwargs = {k: v for k, v in values.items() if k in self.fields and not self.fields[k].is_relation
                  and not self.keeps(k, v)}
        try:
            obj = self.reg.model(**kwargs)
        except (TypeError, ValueError):
            return
        skip = set(failed) | {n for n in self.fields if n not in kwargs}
        exclude = list(skip | {n for n, f in self.fields.items() if f.is_relation}) + (
            ["court"] if self.reg.court_scoped else [])
        try:
            obj.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self.report_validation(row_number, exc, skip=skip)
        except Exception:  # noqa: BLE001 - a clean() that needs the unreadable cells: those are reported already
            logger.debug("import %s row %s: partial check skipped", self.reg.kind, row_number, exc_info=True)

    def report_validation(self, row_number: int, exc: Exception, skip: set[str] = frozenset()) -> None:
        if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
            for fname, errors in exc.error_dict.items():
                if fname in skip:
                    continue  # a cell already reported as unreadable
                header = self.header_of.get(fname, "")
                if not header and fname != "__all__":
                    try:
                        header = str(self.reg.model._meta.get_field(fname).verbose_name)
                    except Exception:  # noqa: BLE001
                        header = fname
                for msg in ValidationError(errors).messages:
                    self.problem(row_number, header, msg)
        else:
            self.problem(row_number, "", _message(exc))

    def process(self, batch: list[tuple[int, list[Any]]], checked: Any = None) -> None:
        self.cells = dict(batch)
        if self.reg.save_row is not None:
            parsed = []
            for row_number, cells in batch:
                values = self.parse_row(row_number, cells)
                if values is not None:
                    parsed.append((row_number, values))
            if self.ctx.dry_run:
                # Preview: this batch's rows are saved and rolled back at once, so the write lock (SQLite's is
                # the whole database's) is held for one batch, never for the whole file.
                # The services' audit facts go into a batch that is never written (no chain-head lock either).
                from tianping.core.audit import audit_batch

                try:
                    with transaction.atomic(), audit_batch(actor=self.ctx.user, event="import.previewed"):
                        self.replay_referenced(batch)
                        self.save_custom(parsed)
                        raise _Rollback
                except _Rollback:
                    pass
            else:
                self.save_custom(parsed)
            return
        if not self.reg.bulk:
            # Rows may refer to earlier rows of the file (上级法院代字): parse and save one at a time.
            for row_number, cells in batch:
                values = self.parse_row(row_number, cells)
                if values is not None:
                    self.upsert([(row_number, values)])
            return
        if checked is not None:  # parsed and full_clean()ed in the checker process (_CheckAhead)
            problems, rows, ahead = checked
            self.result.problems.extend(problems)
            self.upsert([(r, v) for r, v in rows if v is not None], ahead)
            return
        parsed = []
        for row_number, cells in batch:
            values = self.parse_row(row_number, cells)
            if values is not None:
                parsed.append((row_number, values))
        self.upsert(parsed)

    def check_ahead(self, batch: list[tuple[int, list[Any]]]) -> tuple[list[Problem], list[tuple[int, Any]],
                                                                       dict[int, tuple[Any, list[Problem]]]]:
        """In the checker process: what `process` and `upsert` would work out for each row of `batch` without
        the database — the cells parsed and resolved (the row's problems), and the record the row would create,
        full_clean()ed (or the problems that stop it). The importing process keeps the record only for a row
        whose key is not in the database; a row that updates a record is parsed and checked there again, against
        that record."""
        problems = self.result.problems = []
        rows: list[tuple[int, Any]] = []
        ahead: dict[int, tuple[Any, list[Problem]]] = {}
        key = self.reg.natural_key
        for row_number, cells in batch:
            values = self.parse_row(row_number, cells)
            # only the key travels back (what tells a new record from an update); a row that turns out to update
            # an existing record is parsed again in the importing process from its cells
            rows.append((row_number, None if values is None else {f: values.get(f) for f in key}))
            if values is not None:
                mark = len(problems)
                obj = self.new_record(row_number, values)
                ahead[row_number] = (obj, problems[mark:])
                del problems[mark:]
        return problems, rows, ahead

    def new_record(self, row_number: int, values: dict[str, Any]) -> Any:
        """The record a row creates, full_clean()ed; None (the problems reported) when it does not pass."""
        reg = self.reg
        kwargs = {k: v for k, v in values.items() if k in self.fields and not self.keeps(k, v)}
        obj = reg.model(**kwargs)
        if reg.court_scoped:
            obj.court = self.ctx.court
        try:
            obj.full_clean(exclude=self.clean_exclude, validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            self.report_validation(row_number, exc)
            return None
        return obj

    def replay_referenced(self, batch: list[tuple[int, list[Any]]]) -> None:
        """Preview of a save_row register: the rows of earlier batches were rolled back with their batch, so
        a row naming a record created further up the file (a 上级组织 a thousand rows earlier) would find
        nothing. Save again, in file order and uncounted, the earlier created rows whose natural key this
        batch's cells name (and the rows those name in turn) before the batch runs."""
        if not self.created_rows:
            return
        wanted: dict[int, tuple[dict[str, Any], list[Any]]] = {}
        todo = [cells for _row, cells in batch]
        while todo:
            for text in _cell_texts(todo.pop()):
                hit = self.created_rows.get(text)
                if hit is not None and hit[0] not in wanted:
                    wanted[hit[0]] = (hit[1], hit[2])
                    todo.append(hit[2])
        for row_number in sorted(wanted):
            values, _cells = wanted[row_number]
            self.ctx.row_number = row_number
            try:
                with transaction.atomic():
                    self.reg.save_row(self.ctx, dict(values))
            except Exception:  # noqa: BLE001, S112 - reported (or counted) when its own batch ran
                continue

    def save_custom(self, parsed: list[tuple[int, dict[str, Any]]]) -> None:
        for row_number, values in parsed:
            self.ctx.row_number = row_number
            try:
                with transaction.atomic():
                    action = self.reg.save_row(self.ctx, dict(values))
            except RowError as exc:
                self.problem(row_number, exc.column, exc.message)
                continue
            except (ValueError, ValidationError) as exc:
                self.report_validation(row_number, exc)
                continue
            except IntegrityError as exc:
                self.problem(row_number, "", _("与已有记录冲突（%(e)s），请核对是否重复。") % {"e": str(exc)[:80]})
                continue
            if self.ctx.dry_run and action == "created" and len(self.reg.natural_key) == 1:
                key = values.get(self.reg.natural_key[0])
                if isinstance(key, str) and key.strip():  # later rows may name it (replay_referenced)
                    self.created_rows[key.strip()] = (row_number, values, self.cells.get(row_number, []))
            self.count(action, row_number)

    def count(self, action: str, row_number: int = 0) -> None:
        if action == "created":
            self.result.created += 1
        elif action == "updated":
            self.result.updated += 1
        else:
            self.result.unchanged += 1
            return
        if row_number and len(self.result.sample) < SAMPLE_ROWS:
            raw = self.cells.get(row_number, [])
            self.result.sample.append({"row": row_number, "action": action, "cells": [
                _sample_text(raw[i] if i < len(raw) else None, personal=i in self.personal)
                for i in sorted(self.mapping)]})

    def key_of(self, values: dict[str, Any]) -> tuple:
        return tuple(_comparable(values.get(f)) for f in self.reg.natural_key)

    def existing_for(self, keys: list[tuple]) -> dict[tuple, Any]:
        reg = self.reg
        if not reg.natural_key or not keys:
            return {}
        qs = reg.model._default_manager.all()
        if reg.court_scoped:
            qs = qs.filter(court=self.ctx.court)
        attnames = [reg.model._meta.get_field(f).attname for f in reg.natural_key]
        if len(attnames) == 1:
            qs = qs.filter(**{f"{attnames[0]}__in": [k[0] for k in keys]})
        else:
            cond = Q()
            for k in keys:
                cond |= Q(**dict(zip(attnames, k, strict=True)))
            qs = qs.filter(cond)
        # Lock the matched rows until the import commits: an edit form saving one of these people between
        # this read and the batch's bulk_update would otherwise be overwritten without notice (lost update).
        # The edit form's version check then sees the import's version bump. (A no-op on SQLite, whose
        # single writer lock serialises the two anyway.)
        if not self.ctx.dry_run:
            qs = qs.select_for_update(of=("self",))
        return {tuple(getattr(o, a) for a in attnames): o for o in qs.order_by()}

    def upsert(self, parsed: list[tuple[int, dict[str, Any]]],
               ahead: dict[int, tuple[Any, list[Problem]]] | None = None) -> None:
        reg, ctx = self.reg, self.ctx
        rows = []
        for row_number, values in parsed:
            key = self.key_of(values)
            if reg.natural_key:
                if any(k in (None, "") for k in key):
                    names = "、".join(self.header_of.get(f, f) for f in reg.natural_key)
                    self.problem(row_number, names, _("用于识别记录的列不能为空。"))
                    continue
                first = self.seen_keys.get(key)
                if first is not None:
                    names = "、".join(self.header_of.get(f, f) for f in reg.natural_key)
                    self.problem(row_number, names,
                                 _("与第 %(n)d 行重复（同一记录在文件中出现两次），请删除其中一行。") % {"n": first})
                    continue
                self.seen_keys[key] = row_number
            rows.append((row_number, key, values))
        existing = self.existing_for([k for _r, k, _v in rows])
        to_create, to_update, update_fields = [], [], set()
        unique_candidates = []
        for row_number, key, values in rows:
            ctx.row_number = row_number
            obj = existing.get(key)
            old: dict[str, Any] = {}
            if obj is None:
                if ahead is not None and row_number in ahead:
                    obj, problems = ahead[row_number]
                    self.result.problems.extend(problems)
                else:
                    obj = self.new_record(row_number, values)
                if obj is None:
                    continue
                unique_candidates.append((row_number, obj))
                to_create.append((row_number, obj))
                continue
            if ahead is not None and row_number in ahead:  # the checker sent only the key: the row's values anew
                values = self.parse_row(row_number, self.cells[row_number])
                if values is None:
                    continue
            changed = []  # an existing record: the row's values over it, checked together
            for fname, value in values.items():
                f = self.fields.get(fname)
                if f is None:
                    continue
                if self.keeps(fname, value):
                    continue
                current = getattr(obj, f.attname)
                new = _comparable(value)
                if current != new:
                    old[fname] = getattr(obj, fname)
                    setattr(obj, fname, value)
                    changed.append(fname)
            try:
                obj.full_clean(exclude=self.clean_exclude, validate_unique=False, validate_constraints=False)
            except ValidationError as exc:
                self.report_validation(row_number, exc)
                continue
            # clean() may normalise (e.g. ID numbers): compare again after it ran.
            changed = [f for f in changed if getattr(obj, self.fields[f].attname) != _comparable(old.get(f))]
            unique_candidates.append((row_number, obj))
            if changed:
                update_fields.update(self.fields[f].name for f in changed)
                to_update.append((row_number, obj, old))
            else:
                self.result.unchanged += 1
        bad = self.check_unique(unique_candidates)
        to_create = [(r, o) for r, o in to_create if r not in bad]
        to_update = [(r, o, old) for r, o, old in to_update if r not in bad]
        for row_number, action in sorted([(r, "created") for r, _o in to_create]
                                         + [(r, "updated") for r, _o, _old in to_update]):
            self.count(action, row_number)
        if ctx.dry_run:
            if not reg.bulk:  # later rows may name these (上级法院代字): resolvers look in ctx.pending
                for _row, obj in to_create:
                    ctx.pending.setdefault(reg.kind, {})[self.key_of({f: getattr(obj, f) for f in reg.natural_key})] = obj
            return  # a preview writes nothing
        if self.result.problems:
            self.writing = False
        if not self.writing or not (to_create or to_update):
            return
        try:
            with transaction.atomic():
                self.write(to_create, to_update, update_fields)
        except IntegrityError as exc:
            self.writing = False
            first = (to_create or to_update)[0][0]
            last = (to_update or to_create)[-1][0]
            self.problem(first, "", _("第 %(a)d–%(b)d 行写入时与已有记录冲突（%(e)s），请核对是否重复。")
                         % {"a": first, "b": last, "e": str(exc)[:80]})

    def write(self, to_create: Any, to_update: Any, update_fields: Any) -> None:
        """Hand the batch to the register's service (`Register.write`): only services write."""
        reg, ctx = self.reg, self.ctx
        if reg.write is None:
            raise ImproperlyConfigured(f"register {reg.kind}: importing needs Register.write (a service) or save_row")
        now = timezone.now()
        updated = []
        for _r, o, old in to_update:
            if self.has_version:
                o.version += 1
            if self.has_updated_at:
                o.updated_at = now
            updated.append((o, old))
        fields = sorted(update_fields | ({"version"} if self.has_version else set())
                        | ({"updated_at"} if self.has_updated_at else set()))
        reg.write(ctx, [o for _r, o in to_create], updated, fields)

    def check_unique(self, candidates: list[tuple[int, Any]]) -> set[int]:
        """Rows that break a unique constraint besides the natural key (e.g. 工号 within the court)."""
        bad: set[int] = set()
        reg = self.reg
        for fields, condition in self.unique_sets.items():
            seen = self.seen_unique[fields]
            attnames = [reg.model._meta.get_field(f).attname for f in fields]
            header = "、".join(self.header_of.get(f, f) for f in fields)
            values = []
            for row_number, obj in candidates:
                v = tuple(getattr(obj, a) for a in attnames)
                if any(x in (None, "") for x in v):
                    continue
                if v in seen:
                    self.problem(row_number, header, _("与第 %(n)d 行的%(col)s重复，请核对。") % {"n": seen[v], "col": header})
                    bad.add(row_number)
                    continue
                seen[v] = row_number
                values.append((row_number, obj, v))
            if not values:
                continue
            qs = reg.model._default_manager.all()
            if reg.court_scoped:
                qs = qs.filter(court=self.ctx.court)
            if condition is not None:
                # only the rows the constraint covers; also what lets the database use its partial unique index
                # (工号: 10 ms a batch of 1,000 through the court's index on SQLite, 2 ms through the constraint's)
                qs = qs.filter(condition)
            if len(attnames) == 1:
                qs = qs.filter(**{f"{attnames[0]}__in": [v[0] for _r, _o, v in values]})
            else:
                cond = Q()
                for _r, _o, v in values:
                    cond |= Q(**dict(zip(attnames, v, strict=True)))
                qs = qs.filter(cond)
            taken = {tuple(row[1:]): row[0] for row in qs.order_by().values_list("pk", *attnames)}
            for row_number, obj, v in values:
                other = taken.get(v)
                if other is not None and other != obj.pk:
                    self.problem(row_number, header, _("%(col)s“%(v)s”已属于本院的“%(other)s”，请核对。") % {
                        "col": header, "v": "/".join(map(str, v)),
                        "other": reg.model._default_manager.filter(pk=other).first()})
                    bad.add(row_number)
        return bad


def length_message(limit: int, length: int) -> str:
    """The one wording of a length limit (tianping.core.validators.LENGTH_MESSAGE, which model fields' max_length
    checks say too)."""
    from tianping.core.validators import LENGTH_MESSAGE

    return str(LENGTH_MESSAGE) % {"limit_value": limit, "show_value": length}


def _sample_text(value: Any, *, personal: bool = False) -> str:
    try:
        text = parse_text(value)
    except ValueError:
        text = str(value)
    if personal and text:
        from tianping.core.validators import mask_id_number, mask_phone

        text = mask_id_number(text) if len(text) > 11 else mask_phone(text)
    return text if len(text) <= 60 else text[:59] + "…"


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc) or exc.__class__.__name__


def file_sha256(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


class _NeedsDatabase(BaseException):
    """Raised in the checker process when a check would ask the database (not an Exception: a parser's
    `except Exception` must not turn it into a problem of the row)."""


class _CheckAhead:
    """A large import's checks in a second process, one batch ahead of the writes.

    Parsing every cell, resolving names, building each new record and full_clean() are about half of a large
    import's time and need no database once the first batch has loaded the resolvers' name lists; the rest
    (looking up existing records, the unique checks, the writes) does. So after the first batch the import
    forks: the child works through the remaining batches and sends each one's outcome (the parsed rows, their
    problems, the new records already checked) down a pipe; the importing process, writing batch k while the
    child checks batch k+1, keeps the child's record only for a row that creates one (a row updating an
    existing record is checked there, against that record). The child cannot use the database: a check that
    would (a resolver whose list is not loaded yet, a prepare_row hook asking for something) stops the child,
    and the importing process checks that batch and the rest itself, as without a child. Same rows, problems
    and writes either way (tests/test_import_check_ahead). Only for the generic bulk upsert (Register.bulk,
    no save_row), with `TIANPING_IMPORT_CHECK_AHEAD_ROWS` rows or more, 2 CPUs or more, and no other working
    thread in the process (fork)."""

    STOP = b"STOP"

    def __init__(self, pid: int, reader: Any, model: Any) -> None:
        self.pid, self.reader, self.model, self.alive = pid, reader, model, True

    @staticmethod
    def worth_it(reg: Register, estimated_total: int) -> bool:
        import os
        import threading

        from django.conf import settings

        least = settings.TIANPING_IMPORT_CHECK_AHEAD_ROWS
        # fork copies only the calling thread: a lock another working thread holds at that moment would stay held
        # in the child for ever. So not beside other working threads (gunicorn's gthread workers serve requests
        # in threads: they import in one process); idle daemon threads (a test's live server) do not count.
        alone = all(t.daemon for t in threading.enumerate() if t is not threading.current_thread())
        return bool(least and estimated_total >= least and reg.bulk and reg.save_row is None
                    and hasattr(os, "fork") and (os.cpu_count() or 1) >= 2 and alone)

    @classmethod
    def start(cls, engine: _Engine, pending: Iterator[list[tuple[int, list[Any]]]]) -> _CheckAhead | None:
        import os

        read_fd, write_fd = os.pipe()
        try:  # room for a few batches (64 KB by default, less than one): neither process waits on the other's hiccups
            import fcntl

            fcntl.fcntl(write_fd, fcntl.F_SETPIPE_SZ, 1 << 20)
        except (ImportError, AttributeError, OSError):
            pass
        try:
            pid = os.fork()
        except OSError:
            os.close(read_fd)
            os.close(write_fd)
            return None
        if pid == 0:  # the child: never returns
            os.close(read_fd)
            cls._child(engine, pending, write_fd)
        os.close(write_fd)
        return cls(pid, os.fdopen(read_fd, "rb"), engine.reg.model)

    @classmethod
    def _child(cls, engine: _Engine, pending: Iterator[list[tuple[int, list[Any]]]], write_fd: int) -> None:
        import os
        import pickle
        import struct

        from django.db import connections

        def no_database(*_args: Any) -> Any:
            raise _NeedsDatabase

        code = 0
        try:
            # the database connections are the parent's (same sockets, same SQLite handle): never touch them, never
            # close them (os._exit below runs no finalizer)
            for conn in connections.all(initialized_only=True):
                conn.execute_wrappers.append(no_database)
            with os.fdopen(write_fd, "wb") as out:
                for batch in pending:
                    try:
                        problems, rows, ahead = engine.check_ahead(batch)
                        # a new record travels as its attributes: rebuilding it from them is a third of the cost
                        # of unpickling a model instance (which looks the model up in the app registry each time)
                        ahead = {r: (None if obj is None else obj.__dict__, found) for r, (obj, found) in ahead.items()}
                        data = pickle.dumps((problems, rows, ahead), protocol=pickle.HIGHEST_PROTOCOL)
                    except _NeedsDatabase:
                        data = cls.STOP
                    out.write(struct.pack("<Q", len(data)))
                    out.write(data)
                    out.flush()
                    if data == cls.STOP:
                        break
        except BaseException:  # noqa: BLE001 - the parent reads EOF and checks the rest itself
            code = 1
        finally:
            os._exit(code)

    def checked(self, batch: list[tuple[int, list[Any]]]) -> Any:
        """The child's outcome for `batch`, or None: the importing process checks it (and, from then on, the rest)."""
        import pickle
        import struct

        if not self.alive:
            return None
        try:
            head = self.reader.read(8)
            data = self.reader.read(struct.unpack("<Q", head)[0]) if len(head) == 8 else b""
            if not data or data == self.STOP:
                raise EOFError
            problems, rows, ahead = pickle.loads(data)  # noqa: S301 - from our own forked process, a private pipe
            if [r for r, _v in rows] != [r for r, _c in batch]:
                raise EOFError
            model = self.model
            for row_number, (attributes, found) in ahead.items():
                if attributes is not None:
                    obj = model.__new__(model)
                    obj.__dict__ = attributes
                    ahead[row_number] = (obj, found)
            return problems, rows, ahead
        except Exception:  # noqa: BLE001 - the child ended or went astray: check here from now on
            logger.info("import: the checker process stopped at row %s; checking the rest here", batch[0][0])
            self.stop()
            return None

    def stop(self) -> None:
        import os
        import signal

        if self.pid:
            self.alive = False
            self.reader.close()  # a child still writing gets EPIPE and ends
            try:
                os.kill(self.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            os.waitpid(self.pid, 0)
            self.pid = 0


def run_import(reg: Register | str, path: Path | str, *, court: Any = None, user: Any = None, dry_run: bool = False,
               progress: Callable[[int, int], None] | None = None, batch_size: int = 1000,
               filename: str = "") -> ImportResult:
    """Import the spreadsheet at `path` into register `reg` for `court`, all or nothing.

    Returns an ImportResult: counts of rows created/updated/unchanged, every problem (Excel row number,
    column header, reason) and the first rows to be written (`sample`). `committed` is True only if nothing
    was wrong and `dry_run` was False. `progress(done_rows, estimated_total)` is called after each batch.

    The commit runs in one transaction inside `audit_batch`: the services the register calls record their
    facts into one `import.committed` entry, written (and the audit chain's head locked) only at the end.
    The preview (`dry_run`) only reads: the generic upsert checks every row without writing, and a register
    with its own `save_row` has each batch saved and rolled back at once, so the preview never holds the
    database's write lock for long (on SQLite a login must not wait for a preview)."""
    if isinstance(reg, str):
        reg = get_register(reg)
    if reg.court_scoped and court is None:
        raise ValueError(f"{reg.kind} 按法院导入：请指定法院。")
    ctx = ImportContext(register=reg, court=court, user=user, dry_run=dry_run)
    result = ImportResult(kind=reg.kind, dry_run=dry_run, file_sha256=file_sha256(path))
    try:
        with open_sheet(path) as sheet:
            mapping = map_headers(reg, sheet.headers)
            result.headers = [mapping[i].header for i in sorted(mapping)]
            name = filename or Path(path).name
            _run_rows(ctx, result, mapping, sheet.rows(), batch_size=batch_size, progress=progress,
                      estimated_total=sheet.estimated_rows, in_memory=sheet.kind == "xlsx", event="import.committed",
                      after={"file": name, "sha256": result.file_sha256}, source=f"文件 {name}")
    except FileError as exc:
        result.problems = [Problem(0, "", str(exc))]
        result.committed = False
    result.problems.sort(key=lambda p: p.row)
    return result


def run_import_rows(reg: Register | str, rows: list[dict[str, Any]], *, court: Any = None, user: Any = None,
                    dry_run: bool = False, batch_size: int = 1000, event: str = "import.committed",
                    after: dict[str, Any] | None = None, source: str = "") -> ImportResult:
    """Import records that arrive as data rather than as a file (the API's bulk push): each row is a dict
    {column field: value}, the value what a spreadsheet cell would hold. The same parsers, resolvers, hooks,
    services and all-or-nothing transaction as `run_import`, so a record cannot tell how it arrived. Every
    column of the register is present (a missing key is an empty cell); rows are numbered as in a sheet whose
    row 1 is the header (the first record is row 2), so `Problem.row - 2` is the record's index.
    `event`, `after` and `source` name the batch's audit entry ("import.committed", the source instead of a file)."""
    if isinstance(reg, str):
        reg = get_register(reg)
    if reg.court_scoped and court is None:
        raise ValueError(f"{reg.kind} 按法院导入：请指定法院。")
    ctx = ImportContext(register=reg, court=court, user=user, dry_run=dry_run)
    result = ImportResult(kind=reg.kind, dry_run=dry_run)
    mapping = dict(enumerate(reg.columns))
    result.headers = [c.header for c in reg.columns]
    cells = ((index + 2, [row.get(c.field) for c in reg.columns]) for index, row in enumerate(rows))
    _run_rows(ctx, result, mapping, cells, batch_size=batch_size, event=event, after=after or {}, source=source)
    result.problems.sort(key=lambda p: p.row)
    return result


def _run_rows(ctx: ImportContext, result: ImportResult, mapping: dict[int, Column],
              rows: Iterator[tuple[int, list[Any]]], *, batch_size: int, event: str, after: dict[str, Any], source: str,
              progress: Callable[[int, int], None] | None = None, estimated_total: int = 0,
              in_memory: bool = False) -> None:
    """Parse, check and save `rows` (Excel row number, cells in `mapping`'s columns) in batches; commit them in
    one transaction and one audit entry when none has a problem (unless ctx.dry_run). `in_memory`: `rows`
    reads no file as it goes (an .xlsx is parsed whole), so a forked checker process may read them too."""
    from tianping.core.audit import audit_batch

    reg = ctx.register
    engine = _Engine(reg, ctx, result, mapping)

    def batches() -> Iterator[list[tuple[int, list[Any]]]]:
        batch: list[tuple[int, list[Any]]] = []
        for row_number, cells in rows:
            if all(c is None or (type(c) is str and not c.strip()) for c in cells):  # is_empty, inline
                continue
            result.total += 1
            batch.append((row_number, cells))
            if len(batch) >= batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def process_all() -> None:
        pending = batches()
        checker = None
        wanted = in_memory and _CheckAhead.worth_it(reg, estimated_total)
        try:
            for batch in pending:
                engine.process(batch, checker.checked(batch) if checker is not None else None)
                if progress:
                    progress(batch[-1][0] - 1, max(estimated_total, batch[-1][0] - 1))
                if wanted:
                    # after the first batch (which loaded the resolvers' name lists) the rest are checked ahead
                    wanted, checker = False, _CheckAhead.start(engine, pending)
        finally:
            if checker is not None:
                checker.stop()

    if ctx.dry_run:
        process_all()
        return
    court_id = ctx.court.pk if ctx.court is not None else None
    try:
        with transaction.atomic(), audit_batch(actor=ctx.user, event=event, court_id=court_id) as batch:
            process_all()
            if result.problems:
                raise _Rollback
            batch.after = {"kind": result.kind, **after, "rows": result.total, "created": result.created,
                           "updated": result.updated, "unchanged": result.unchanged}
            batch.message = f"导入{reg.title}：{result.summary()}（{source}）"
        result.committed = True
    except _Rollback:
        pass


# --- writing: template, error report, export -----------------------------------------------------------------

def write_template(reg: Register | str) -> bytes:
    """The import template: header row (required columns marked), one example row, drop-down lists for
    enumerations, text format for ID/staff/case numbers, and a 填写说明 sheet."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    if isinstance(reg, str):
        reg = get_register(reg)
    wb = Workbook()
    ws = wb.active
    ws.title = reg.title[:31]
    lists = wb.create_sheet("选项")
    guide = wb.create_sheet("填写说明")
    guide.append(["列名", "是否必填", "格式 / 可选值", "说明"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    required_fill = PatternFill("solid", fgColor="FDE9E7")
    for i, col in enumerate(reg.columns, start=1):
        letter = get_column_letter(i)
        ws.column_dimensions[letter].width = col.width
        head = ws.cell(row=1, column=i, value=col.header)
        head.font = Font(bold=True, color="C00000" if col.required else "000000")
        if col.required:
            head.fill = required_fill
        choices = column_choices(reg, col)
        parser = _infer_parser(reg, col)
        fmt = ("文本" if col.text else "日期，如 2016-05-03" if parser is parse_date else
               "是 / 否" if parser is parse_bool else "、".join(choices) if choices else "")
        note = "必填。" if col.required else ""
        if col.help:
            note += col.help
        if note or fmt:
            head.comment = Comment(f"{note}{fmt}".strip(), "天平")
        example = ws.cell(row=2, column=i, value=col.example if col.example != "" else None)
        if col.text:
            for r in range(2, 1002):
                ws.cell(row=r, column=i).number_format = "@"
            if example.value is not None:
                example.value = str(example.value)
        elif parser is parse_date:
            for r in range(2, 1002):
                ws.cell(row=r, column=i).number_format = "yyyy-mm-dd"
        if choices:
            for j, text in enumerate(choices, start=1):
                lists.cell(row=j, column=i, value=text)
            dv = DataValidation(type="list", formula1=f"'选项'!${letter}$1:${letter}${len(choices)}",
                                allow_blank=not col.required, showErrorMessage=True,
                                errorTitle="不是可选值", error=f"请从下拉列表中选择{col.header}。")
            dv.add(f"{letter}2:{letter}10000")
            ws.add_data_validation(dv)
        guide.append([col.header, "是" if col.required else "否", fmt, col.help])
    lists.sheet_state = "hidden"
    ws.freeze_panes = "A2"
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["C"].width = 50
    guide.column_dimensions["D"].width = 50
    guide.append([])
    guide.append(["第 2 行是示例，导入前请删除或改成真实数据。同一文件再次导入不会重复添加：已有记录按"
                  + "、".join(c.header for c in reg.columns if c.field in reg.natural_key) + " 识别并更新。"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_error_report(reg: Register | str, path: Path | str, result: ImportResult) -> bytes:
    """The uploaded rows as they were, with a 错误原因 column filled for every bad row (highlighted).
    After fixing the marked cells the user can import this very file again (错误原因 is ignored)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    if isinstance(reg, str):
        reg = get_register(reg)
    by_row: dict[int, list[str]] = {}
    for p in result.problems:
        by_row.setdefault(p.row, []).append(f"{p.column}：{p.message}" if p.column else p.message)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=f"{reg.title}-错误报告"[:31])
    red = PatternFill("solid", fgColor="FDE9E7")
    with open_sheet(path) as sheet:
        headers = [h for h in sheet.headers if _normalise_header(str(h)) != ERROR_HEADER]
        keep = [i for i, h in enumerate(sheet.headers) if _normalise_header(str(h)) != ERROR_HEADER]
        header_cells = []
        for h in [*headers, ERROR_HEADER]:
            c = WriteOnlyCell(ws, value=h)
            c.font = Font(bold=True)
            header_cells.append(c)
        ws.append(header_cells)
        if 0 in by_row:
            pass
        for row_number, cells in sheet.rows():
            values = [cells[i] if i < len(cells) else None for i in keep]
            reasons = by_row.get(row_number)
            out = []
            for v in values:
                c = WriteOnlyCell(ws, value=_report_cell(v))
                if isinstance(v, str):
                    c.number_format = "@"
                if reasons:
                    c.fill = red
                out.append(c)
            reason = WriteOnlyCell(ws, value="；".join(reasons) if reasons else None)
            if reasons:
                reason.font = Font(color="C00000")
                reason.fill = red
            out.append(reason)
            ws.append(out)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _report_cell(value: Any) -> Any:
    from tianping.core.registers import escape_cell

    if isinstance(value, str):
        return escape_cell(_CONTROL_CHARS.sub("", value))
    return value
