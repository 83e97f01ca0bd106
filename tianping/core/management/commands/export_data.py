"""manage.py export_data KIND FILE [--court CODE] [filters]: write a register in its import layout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tianping.core.audit import audit_record
from tianping.core.management.commands.import_data import court_for
from tianping.core.registers import all_registers, export_xlsx, get_register
from tianping.core.scope import has_personal_columns, register_for_user


class Command(BaseCommand):
    help = ("把一个登记簿导出为 .xlsx（与导入模板的列相同，可修改后再导入）。各登记簿可有额外筛选项，"
            "如党费的 --month 2016-05。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", help="登记簿名称，如 courts、departments、people")
        parser.add_argument("file", help="输出的 .xlsx 文件")
        parser.add_argument("--court", help="法院代字，如 鲁0403（只有一个法院时可省略）")
        parser.add_argument("--full", action="store_true",
                            help="身份证号、手机号不遮蔽（须同时用 --reason 写明理由；记入审计日志，列出导出的每一行）")
        parser.add_argument("--reason", default="", help="导出完整个人信息的理由（与 --full 一起使用）")
        seen: set[str] = set()
        for reg in all_registers().values():
            for option in reg.export_options:
                if option.name in seen:
                    continue
                seen.add(option.name)
                parser.add_argument(f"--{option.name.replace('_', '-')}", dest=f"filter_{option.name}",
                                    help=f"{option.help}（{reg.kind}）")

    def handle(self, *args: Any, **options: Any) -> None:
        kind = options["kind"]
        try:
            reg = get_register(kind)
        except KeyError:
            raise CommandError(f"没有名为 {kind} 的登记簿；可用：{'、'.join(sorted(all_registers()))}。") from None
        court = court_for(reg, options.get("court"))
        supported = {o.name for o in reg.export_options}
        filters = {}
        for key, value in options.items():
            if key.startswith("filter_") and value not in (None, ""):
                name = key.removeprefix("filter_")
                if name not in supported:
                    raise CommandError(f"{kind} 不支持 --{name}；可用的筛选项："
                                       f"{'、'.join('--' + n for n in sorted(supported)) or '无'}。")
                filters[name] = value
        try:
            rows = reg.rows_for_export(None, court, filters)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        reason = (options.get("reason") or "").strip()
        if options["full"] and len(reason) < 4:
            raise CommandError("导出完整身份证号、手机号须写明理由：--reason “……”（至少 4 个字），将记入审计日志。")
        reg, full = register_for_user(reg, None, reveal=options["full"])
        exported: list[str] = []

        def each() -> Any:
            for obj in rows.iterator(chunk_size=2000):
                exported.append(str(getattr(obj, "pk", "")))
                yield obj

        out = Path(options["file"])
        out.write_bytes(export_xlsx(reg, each()))
        if full:
            audit_record(event="export.personal", actor_name="export_data",
                         after={"kind": reg.kind, "filter": filters, "rows": len(exported),
                                "object_type": reg.model._meta.label_lower, "ids": exported},
                         message=f"命令行导出{reg.title} {len(exported)} 行，含完整身份证号/手机号，理由：{reason}")
        masked = "" if full or not has_personal_columns(reg) else "（身份证号、手机号已遮蔽；完整导出用 --full --reason）"
        self.stdout.write(f"已导出 {len(exported)} 行到 {out}{masked}。")
