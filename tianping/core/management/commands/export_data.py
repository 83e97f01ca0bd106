"""manage.py export_data KIND FILE [--court CODE] [filters]: write a register in its import layout."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tianping.core.management.commands.import_data import court_for
from tianping.core.registers import all_registers, export_xlsx, get_register


class Command(BaseCommand):
    help = ("把一个登记簿导出为 .xlsx（与导入模板的列相同，可修改后再导入）。各登记簿可有额外筛选项，"
            "如党费的 --month 2016-05。")

    def add_arguments(self, parser):
        parser.add_argument("kind", help="登记簿名称，如 courts、departments、people")
        parser.add_argument("file", help="输出的 .xlsx 文件")
        parser.add_argument("--court", help="法院代字，如 鲁0403（只有一个法院时可省略）")
        seen: set[str] = set()
        for reg in all_registers().values():
            for option in reg.export_options:
                if option.name in seen:
                    continue
                seen.add(option.name)
                parser.add_argument(f"--{option.name.replace('_', '-')}", dest=f"filter_{option.name}",
                                    help=f"{option.help}（{reg.kind}）")

    def handle(self, *args, **options):
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
        out = Path(options["file"])
        out.write_bytes(export_xlsx(reg, rows.iterator(chunk_size=2000)))
        self.stdout.write(f"已导出 {rows.count()} 行到 {out}。")
