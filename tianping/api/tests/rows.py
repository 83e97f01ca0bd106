"""Synthetic case rows (keyed by the `cases` register's headers), the same for the API and the spreadsheet."""

from __future__ import annotations

import random
from datetime import date, timedelta

OUTCOMES = ["判决", "调解", "撤诉", "驳回起诉", "其他"]


def case_rows(court_code: str, judges: list, departments: list, *, year: int = 2016, n: int = 200,
              seed: int = 18) -> list[dict]:
    rnd = random.Random(seed)
    rows = []
    for i in range(1, n + 1):
        type_code = rnd.choice(["民初", "民初", "民初", "刑初", "民终", "执"])
        filed = date(year, 1, 1) + timedelta(days=rnd.randrange(0, 360))
        closed = filed + timedelta(days=rnd.randrange(5, 200)) if rnd.random() < 0.8 else None
        judge = rnd.choice(judges)
        row = {"案号": f"({year}){court_code}{type_code}{i}号", "案由": rnd.choice(["民间借贷纠纷", "买卖合同纠纷", "盗窃罪"]),
               "立案日期": filed.isoformat(), "承办部门": rnd.choice(departments).name, "承办人": judge.label,
               "审判程序": {"民终": "第二审程序", "执": "执行程序"}.get(type_code, rnd.choice(["普通程序", "简易程序"]))}
        if closed and closed.year <= year + 1:
            row["结案日期"] = closed.isoformat()
            row["结案方式"] = rnd.choice(OUTCOMES) if type_code != "执" else "其他"
        if type_code in ("民初", "刑初") and "结案日期" in row and rnd.random() < 0.2:
            row["是否上诉"] = "是"
        if rnd.random() < 0.1:
            row["扣除审限天数"] = rnd.randrange(1, 30)
        if type_code == "执":
            row["申请执行标的额"] = f"{rnd.randrange(1000, 100000)}.00"
            row["执行到位金额"] = f"{rnd.randrange(0, 1000)}.50"
        rows.append(row)
    return rows


def write_xlsx(path, rows: list[dict]):
    from openpyxl import Workbook

    from tianping.core.registers import get_register

    reg = get_register("cases")
    wb = Workbook()
    ws = wb.active
    ws.append(reg.headers())
    for r in rows:
        ws.append([r.get(h, "") for h in reg.headers()])
    wb.save(path)
    return path
