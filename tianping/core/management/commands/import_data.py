"""manage.py import_data KIND FILE [--court CODE] [--dry-run]: import a spreadsheet, all or nothing.
manage.py import_data --template KIND FILE: write the register's import template (what the web page offers)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tianping.core.importexport import run_import, write_template
from tianping.core.registers import all_registers, court_model, get_register


def court_for(reg: Any, code: str | None) -> Any:
    """The court of a court-scoped import: --court CODE, or the only court if there is just one."""
    Court = court_model()  # noqa: N806

    if not reg.court_scoped:
        return None
    if code:
        court = Court.objects.filter(code=code).first()
        if court is None:
            raise CommandError(f"没有法院代字为 {code} 的法院：请先导入法院（import_data courts …）或核对代字。")
        return court
    courts = list(Court.objects.all()[:2])
    if len(courts) == 1:
        return courts[0]
    raise CommandError(f"{reg.kind} 按法院导入/导出：请用 --court 指定法院代字，如 --court 鲁0403。")


class Command(BaseCommand):
    help = ("从 .xlsx 或 .csv 导入一个登记簿（KIND 见 README“导入导出”）。全部正确才写入：成功时打印汇总并返回 0；"
            "有问题时打印每个问题行的 Excel 行号和原因并返回 1，不写入任何数据。")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", nargs="?", help="登记簿名称，如 courts、departments、people")
        parser.add_argument("file", nargs="?", help=".xlsx 或 .csv 文件")
        parser.add_argument("--list", action="store_true", help="列出所有登记簿（KIND）及其列")
        parser.add_argument("--template", action="store_true",
                            help="不导入：把 KIND 的导入模板（表头、示例行、下拉选项、填写说明）写到 FILE")
        parser.add_argument("--court", help="法院代字，如 鲁0403（只有一个法院时可省略）")
        parser.add_argument("--dry-run", action="store_true", help="只检查并报告，不写入")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["list"]:
            for kind, reg in sorted(all_registers().items()):
                key = "、".join(c.header for c in reg.columns if c.field in reg.natural_key)
                self.stdout.write(f"{kind}\t{reg.title}\t识别列：{key or '—'}\t列：{'、'.join(reg.headers())}")
            return
        if not options["kind"] or not options["file"]:
            raise CommandError("用法：manage.py import_data KIND FILE [--court CODE] [--dry-run]；"
                               "manage.py import_data --list 列出所有 KIND；"
                               "manage.py import_data --template KIND FILE 写出导入模板。")
        kind = options["kind"]
        try:
            reg = get_register(kind)
        except KeyError:
            raise CommandError(f"没有名为 {kind} 的登记簿；可用：{'、'.join(sorted(all_registers()))}。") from None
        path = Path(options["file"])
        if options["template"]:  # before any account exists (docs/deploy.md step 8) the web page is not reachable
            try:
                path.write_bytes(write_template(reg))
            except OSError as exc:
                raise CommandError(f"无法写入 {path}（{exc.strerror or exc}）：请换一个运行天平的系统用户能写的位置，"
                                   "如 /tmp/。") from None
            self.stdout.write(f"已写出“{reg.title}”导入模板：{path}")
            return
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}。")
        court = court_for(reg, options.get("court"))
        last = [0]

        def progress(done: int, total: int) -> None:
            if options["verbosity"] >= 2 and done - last[0] >= 10000:
                last[0] = done
                self.stderr.write(f"已处理 {done} / 约 {total} 行")

        try:
            result = run_import(reg, path, court=court, user=None, dry_run=options["dry_run"], progress=progress,
                                filename=path.name)
        except OSError as exc:  # e.g. a file the service account may not read (docs/deploy.md, steps 8 and 9)
            raise CommandError(f"无法读取文件 {path}（{exc.strerror or exc}）：请确认运行天平的系统用户能读取它，"
                               "例如先复制到 /srv/tianping/incoming/ 再导入（见 docs/deploy.md 第 8、9 步）。") from None
        if not result.ok:
            for problem in result.problems:
                self.stdout.write(str(problem))
            self.stdout.write(f"{result.summary()} 未写入任何数据。")
            raise SystemExit(1)
        prefix = "检查通过（--dry-run，未写入）：" if options["dry_run"] else "导入完成："
        self.stdout.write(prefix + result.summary())
