"""`manage.py doctor`: is this installation fit to run a court? One Chinese line per check, each saying what to
do when it fails (docs/deploy.md). Used by `make prod-check` and after every upgrade."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from tianping.core.worker import heartbeats

# the PDFs (WeasyPrint) and .docx documents name these families (tianping/mediation/documents.py)
REQUIRED_FONTS = ("Noto Sans CJK SC", "Noto Serif CJK SC")
LAST_BACKUP_FILE = "last_backup.json"


@dataclass(frozen=True)
class Finding:
    ok: bool
    title: str
    detail: str

    def line(self) -> str:
        return f"{'✓' if self.ok else '✗'} {self.title}：{self.detail}"


def _setting_int(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_deploy() -> Finding:
    problems = [m for m in checks.run_checks(include_deployment_checks=True)
                if m.level >= checks.WARNING and not m.is_silenced()]
    if not problems:
        return Finding(True, "部署检查（check --deploy）", "通过")
    ids = "、".join(sorted({m.id or "?" for m in problems}))
    return Finding(False, "部署检查（check --deploy）",
                   f"{len(problems)} 项未通过（{ids}）：运行 manage.py check --deploy 查看说明，按 docs/deploy.md 设置环境变量")


def check_database() -> Finding:
    vendor = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}.get(connection.vendor, connection.vendor)
    name = str(connection.settings_dict.get("NAME", ""))
    host = connection.settings_dict.get("HOST") or ""
    where = f"{vendor} {name}" + (f"@{host}" if host else "")
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as exc:
        return Finding(False, "数据库", f"{where} 连接不上（{str(exc).strip().splitlines()[0] if str(exc).strip() else exc}）："
                                       "检查 DATABASE_URL、数据库服务是否启动、用户名和密码")
    if plan:
        first = plan[0][0]
        return Finding(False, "数据库", f"{where} 可连接，但有 {len(plan)} 个迁移未执行（如 {first.app_label}.{first.name}）："
                                       "请运行 manage.py migrate")
    applied = len(executor.loader.applied_migrations)
    return Finding(True, "数据库", f"{where} 可连接，{applied} 个迁移均已执行")


def check_worker(*, now: float | None = None) -> Finding:
    backend = str(settings.TASKS["default"]["BACKEND"])
    if not backend.startswith("django_tasks_db."):
        return Finding(True, "后台任务进程", f"任务在请求内执行（{backend.rsplit('.', 1)[-1]}），不需要后台进程")
    now = time.time() if now is None else now
    stale = _setting_int("TIANPING_WORKER_STALE_SECONDS", 120)
    beats = heartbeats()
    alive = [b for b in beats if b.age(now) <= stale]
    from django_tasks_db.models import DBTaskResult  # only with the database backend

    try:
        queued = DBTaskResult.objects.ready().count()
    except DatabaseError:
        queued = -1
    waiting = f"，排队任务 {queued} 个" if queued >= 0 else ""
    if alive:
        hosts = "、".join(sorted({b.host for b in alive}))
        return Finding(True, "后台任务进程", f"{len(alive)} 个在运行（{hosts}，最近心跳 {alive[0].age(now):.0f} 秒前）{waiting}")
    last = f"最近一次心跳在 {beats[0].age(now) / 60:.0f} 分钟前" if beats else "从未收到心跳"
    return Finding(False, "后台任务进程", f"没有在运行的后台任务进程（{last}{waiting}）：大文件导入不会执行，"
                                          "请启动 systemctl start tianping-worker（即 manage.py worker）")


def check_fonts() -> Finding:
    if not shutil.which("fc-list"):
        return Finding(False, "PDF 字体", "找不到 fc-list：请安装 fontconfig 和 fonts-noto-cjk（apt-get install fonts-noto-cjk）")
    done = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=60, check=False)
    families = {f.strip() for line in done.stdout.splitlines() for f in line.split(",")}
    missing = [f for f in REQUIRED_FONTS if f not in families]
    if missing:
        return Finding(False, "PDF 字体", f"缺少 {'、'.join(missing)}：生成的文书会缺字，请安装 fonts-noto-cjk")
    return Finding(True, "PDF 字体", f"{'、'.join(REQUIRED_FONTS)} 已安装")


def check_disk() -> Finding:
    data_dir = Path(settings.DATA_DIR)
    minimum = _setting_int("TIANPING_MIN_FREE_MB", 2048)
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
        probe = data_dir / ".doctor-probe"
        probe.write_bytes(b"ok")
        probe.unlink()
        usage = shutil.disk_usage(data_dir)
    except OSError as exc:
        return Finding(False, "数据目录", f"{data_dir} 不可写（{exc.strerror}）：检查目录属主（tianping 用户）和权限")
    free_mb = usage.free / 1048576
    detail = f"{data_dir} 剩余 {free_mb / 1024:.1f} GB（{usage.free / usage.total:.0%}）"
    if free_mb < minimum:
        return Finding(False, "数据目录", f"{detail}，少于 {minimum / 1024:.1f} GB：请清理（manage.py import_purge）或扩容")
    return Finding(True, "数据目录", detail)


def last_backup_path() -> Path:
    return Path(settings.DATA_DIR) / LAST_BACKUP_FILE


def check_backup(*, now: float | None = None) -> Finding:
    max_hours = _setting_int("TIANPING_BACKUP_MAX_AGE_HOURS", 26)
    try:
        last = json.loads(last_backup_path().read_text(encoding="utf-8"))
        folder, at = Path(last["dir"]), float(last["at"])
    except (OSError, ValueError, KeyError, TypeError):
        return Finding(False, "备份", "本机没有备份记录：请运行 manage.py backup 备份目录（每天定时，见 docs/deploy.md）")
    hours = ((time.time() if now is None else now) - at) / 3600
    if not (folder / "manifest.json").exists():
        return Finding(False, "备份", f"最近的备份 {folder} 已不存在（{hours:.0f} 小时前）：请重新备份并检查备份盘")
    if hours > max_hours:
        return Finding(False, "备份", f"最近的备份在 {hours:.0f} 小时前（{folder}），超过 {max_hours} 小时：检查定时备份是否在运行")
    return Finding(True, "备份", f"最近的备份在 {hours:.1f} 小时前（{folder}）")


def check_replica() -> Finding:
    from tianping.core import replica

    if not replica.configured():
        return Finding(True, "只读副本", "未配置（DATABASE_REPLICA_URL 为空），统计数字从主库读取")
    state = replica.probe()
    if state.usable:
        return Finding(True, "只读副本", f"{state.reason}，统计数字从副本读取")
    return Finding(False, "只读副本", f"{state.reason}：统计数字暂由主库计算；检查备库服务和复制"
                                      "（docs/deploy.md“只读副本”）")


CHECKS: tuple[Callable[[], Finding], ...] = (check_deploy, check_database, check_worker, check_fonts, check_disk,
                                             check_backup, check_replica)


def run_all() -> list[Finding]:
    return [check() for check in CHECKS]
