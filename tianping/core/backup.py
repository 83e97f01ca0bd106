"""Backup and restore of a court: the database (PostgreSQL: pg_dump's custom format; SQLite: its online backup API,
safe while the site is in use) and the uploaded files (MEDIA_ROOT and the import uploads under the data directory),
with `manifest.json` listing every file's SHA-256 and every table's row count.

`restore` refuses a backup whose files do not match their sums or whose database engine differs from the
configured one, and restores only into an empty database unless told to replace. The secret key and the audit
chain's key are not in a backup: they live in the environment file (docs/deploy.md), kept separately.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from django.utils import timezone

from tianping.core.doctor import last_backup_path

FORMAT = 1
MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do (Chinese)."""


@dataclass
class BackupReport:
    folder: Path
    engine: str
    files: int
    bytes: int
    tables: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def file_trees() -> dict[str, Path]:
    """The folders of uploaded files a backup carries, by their name inside the backup."""
    return {"media": Path(settings.MEDIA_ROOT), "imports": Path(settings.DATA_DIR) / "imports"}


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def table_counts() -> dict[str, int]:
    """Rows of every table of the configured database (views excluded)."""
    counts = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a table name
            counts[table] = int(cursor.fetchone()[0])
    return counts


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
                     ("PGDATABASE", "NAME")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _run(cmd: list[str], *, env: dict[str, str]) -> None:
    if not shutil.which(cmd[0]):
        raise BackupError(f"找不到 {cmd[0]}：请安装与服务器同版本的 PostgreSQL 客户端（apt-get install postgresql-client）。")
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{cmd[0]} 失败（状态 {done.returncode}）：{done.stderr.strip()[-800:]}")


def _engine() -> str:
    return str(connection.vendor)  # "postgresql" | "sqlite"


def backup_create(folder: Path) -> BackupReport:
    """Write a complete backup into `folder` (created; it must not hold anything yet)."""
    started = time.monotonic()
    folder = folder.resolve()
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"备份目录 {folder} 不是空的：请给每次备份一个新目录（如按日期命名）。")
    folder.mkdir(parents=True, exist_ok=True)
    engine = _engine()
    connection.ensure_connection()
    if engine == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(folder / PG_DUMP)],
             env=_pg_env())
        # counted after the dump: what the restore must reproduce is what the dump holds; while the site is in
        # use a few rows may differ (the restore's comparison then names them)
        tables = table_counts()
    elif engine == "sqlite":
        if connection.in_atomic_block:  # the online backup would wait forever for our own transaction's lock
            raise BackupError("备份不能在数据库事务中进行：请单独运行 manage.py backup。")
        raw: Any = connection.connection
        target = sqlite3.connect(folder / SQLITE_COPY)
        try:
            raw.backup(target)  # a consistent copy even while others write
        finally:
            target.close()
        copy = sqlite3.connect(folder / SQLITE_COPY)
        try:
            names = [r[0] for r in copy.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
            tables = {n: int(copy.execute(f'SELECT COUNT(*) FROM "{n}"').fetchone()[0]) for n in sorted(names)}  # noqa: S608
        finally:
            copy.close()
    else:
        raise BackupError(f"不支持的数据库：{engine}。")
    for name, source in file_trees().items():
        if source.exists():
            shutil.copytree(source, folder / name, symlinks=False)
    files: dict[str, str] = {}
    total = 0
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder).as_posix()
        files[rel] = sha256_of(path)
        total += path.stat().st_size
    manifest = {"format": FORMAT, "created_at": timezone.now().isoformat(), "engine": engine,
                "database": str(connection.settings_dict.get("NAME", "")), "tables": tables, "files": files}
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    try:
        last_backup_path().write_text(json.dumps({"dir": str(folder), "at": time.time()}), encoding="utf-8")
    except OSError:
        pass  # the backup itself is complete; doctor will say it knows of none
    return BackupReport(folder, engine, len(files), total, tables, time.monotonic() - started)


def backup_verify(folder: Path) -> dict[str, Any]:
    """The manifest of a backup whose every file matches its SHA-256; BackupError naming the first problems."""
    try:
        manifest: dict[str, Any] = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{folder} 中没有可读的 {MANIFEST}（{exc}）：这不是 manage.py backup 生成的备份目录。") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式 {manifest.get('format')!r} 不是本程序能恢复的格式 {FORMAT}。")
    bad = []
    for rel, expected in manifest["files"].items():
        path = folder / rel
        if not path.is_file():
            bad.append(f"{rel}（缺失）")
        elif sha256_of(path) != expected:
            bad.append(f"{rel}（SHA-256 不符）")
    if bad:
        raise BackupError(f"备份已损坏或被改动，拒绝恢复：{'、'.join(bad[:5])}{' 等' if len(bad) > 5 else ''}"
                          f"共 {len(bad)} 个文件。请换用另一份备份。")
    return manifest


def backup_restore(folder: Path, *, replace: bool = False) -> tuple[dict[str, Any], dict[str, tuple[int, int]]]:
    """Restore a verified backup into the configured database and data directory.

    Returns the manifest and the tables whose row count differs from the manifest's (expected, found)."""
    folder = folder.resolve()
    manifest = backup_verify(folder)
    engine = _engine()
    if manifest["engine"] != engine:
        names = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
        raise BackupError(f"这份备份来自 {names.get(manifest['engine'], manifest['engine'])}，而当前配置的数据库是 "
                          f"{names.get(engine, engine)}：请把 DATABASE_URL 指向同类数据库后再恢复。")
    with connection.cursor() as cursor:
        existing = connection.introspection.table_names(cursor)
    if existing and not replace:
        raise BackupError(f"目标数据库 {connection.settings_dict.get('NAME')} 不是空库（已有 {len(existing)} 张表）："
                          "请新建一个空库再恢复，或确认要覆盖时加 --replace。")
    if engine == "postgresql":
        cmd = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
               "--dbname", str(connection.settings_dict["NAME"])]
        if replace and existing:
            cmd += ["--clean", "--if-exists"]
        connection.close()  # pg_restore works through its own connection
        _run([*cmd, str(folder / PG_DUMP)], env=_pg_env())
    else:
        connection.ensure_connection()
        raw: Any = connection.connection
        source = sqlite3.connect(folder / SQLITE_COPY)
        try:
            source.backup(raw)  # replaces the whole database, also one that Django holds open
        finally:
            source.close()
    for name, target in file_trees().items():
        if (folder / name).is_dir():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copytree(folder / name, target, dirs_exist_ok=True)
    found = table_counts()
    differ = {t: (n, found.get(t, -1)) for t, n in manifest["tables"].items() if found.get(t, -1) != n}
    return manifest, differ
