"""Synthetic people spreadsheets for the import tests and bench/import_bench.py (no real personal data)."""

from __future__ import annotations

import csv
import random
from datetime import date, timedelta
from pathlib import Path

from tianping.core.validators import id_check_char

PEOPLE_HEADERS = ["姓名", "性别", "出生日期", "身份证号", "手机号", "工号", "部门", "职务", "是否员额法官",
                  "是否院领导", "学历", "入职日期"]
DEPARTMENTS = ["民事审判庭", "刑事审判庭", "执行局", "沙沟人民法庭", "办公室"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"
POSTS = ["审判员", "法官助理", "书记员", "司法警察", "综合行政人员"]


def person_row(i: int, *, area: str = "370403") -> list:
    """Row i of a clean people sheet: unique valid ID number (birth date inside matches), unique staff no."""
    born = date(1960, 1, 1) + timedelta(days=i % 12000)
    male = i % 2 == 0
    seq = (i // 12000) % 50 * 2 + (1 if male else 0)  # the 17th digit is odd for men
    first17 = f"{area}{born:%Y%m%d}{(i // 12000) % 100:02d}{seq % 10}"
    id_number = first17 + id_check_char(first17)
    name = SURNAMES[i % len(SURNAMES)] + GIVEN[(i // 7) % len(GIVEN)] + (GIVEN[(i // 3) % len(GIVEN)] if i % 3 else "")
    return [name, "男" if male else "女", born, id_number, f"13{(i * 7919) % 1000000000:09d}", f"{i + 1:05d}",
            DEPARTMENTS[i % len(DEPARTMENTS)], POSTS[i % len(POSTS)], "是" if i % 4 == 0 else "否",
            "否", "大学本科", date(2010, 7, 1) + timedelta(days=i % 3000)]


def break_row(row: list, kind: int) -> list:
    """One of the four kinds of bad rows of the acceptance test."""
    row = list(row)
    if kind == 0:  # wrong check character
        good = row[3][-1]
        row[3] = row[3][:-1] + ("0" if good != "0" else "1")
    elif kind == 1:
        row[6] = "不存在的庭"
    elif kind == 2:  # impossible date
        row[11] = "2015-02-30"
    else:
        row[0] = ""
    return row


def people_rows(n: int, bad: set[int] | None = None):
    """n rows; the indexes in `bad` broken (kind cycling through the four kinds by position)."""
    order = {i: k for k, i in enumerate(sorted(bad or ()))}
    for i in range(n):
        row = person_row(i)
        if i in order:
            row = break_row(row, order[i] % 4)
        yield row


def write_people_xlsx(path: Path, n: int, bad: set[int] | None = None) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("人员")
    ws.append(PEOPLE_HEADERS)
    for row in people_rows(n, bad):
        cells = []
        for j, v in enumerate(row):
            if j in (3, 4, 5):  # ID, phone, staff number as text cells, as the template asks
                c = WriteOnlyCell(ws, value=v)
                c.number_format = "@"
                cells.append(c)
            else:
                cells.append(v)
        ws.append(cells)
    wb.save(path)
    return path


def write_people_csv(path: Path, n: int, encoding: str = "utf-8", bad: set[int] | None = None) -> Path:
    with open(path, "w", encoding=encoding, newline="") as fh:
        w = csv.writer(fh)
        w.writerow(PEOPLE_HEADERS)
        for row in people_rows(n, bad):
            w.writerow([v.isoformat() if isinstance(v, date) else v for v in row])
    return path


def scattered(n: int, count: int, seed: int = 37) -> set[int]:
    return set(random.Random(seed).sample(range(n), count))
