"""The service registers: bad rows are refused with their Excel row and the reason and nothing is written;
export → import is a no-op; namesakes are told apart as 张伟(0312)."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import Workbook

from tianping.core.importexport import run_import
from tianping.core.registers import export_xlsx, get_register
from tianping.service import services
from tianping.service.models import (
    CircuitTrial,
    FollowUp,
    OutreachEvent,
    PartnerVisit,
    Rating,
    Revisit,
)

pytestmark = pytest.mark.django_db


def _write(tmp_path, kind, rows, name="sheet.xlsx"):
    reg = get_register(kind)
    wb = Workbook()
    ws = wb.active
    ws.append(reg.headers())
    for r in rows:
        ws.append([r.get(h, "") for h in reg.headers()])
    path = tmp_path / name
    wb.save(path)
    return path


def _round_trip(tmp_path, kind, court):
    reg = get_register(kind)
    path = tmp_path / f"{kind}.xlsx"
    path.write_bytes(export_xlsx(reg, reg.rows_for_export(None, court)))
    return run_import(kind, path, court=court)


def test_revisit_import_creates_resolves_namesakes_and_opens_follow_ups(world, tmp_path):
    case = world["cases_a"][0]
    rows = [
        {"案号": case.number, "回访日期": "2026-04-03", "回访方式": "电话", "回访人": "张伟(0313)", "被回访人": "赵某",
         "与案件关系": "原告", "满意度": "非常满意", "意见建议": "满意"},
        {"案号": case.number.replace("(", "（").replace(")", "）"), "回访日期": "2026/4/3", "回访方式": "上门",
         "回访人": "甲法官", "被回访人": "钱某", "与案件关系": "被告", "满意度": "不满意", "意见建议": "判决书送达晚"},
    ]
    result = run_import("revisits", _write(tmp_path, "revisits", rows), court=world["court"])
    assert result.committed, [str(p) for p in result.problems]
    assert result.created == 2
    zhao = Revisit.objects.get(contact_name="赵某")
    assert zhao.caller == world["zw2"] and zhao.rating == Rating.VERY_SATISFIED
    qian = Revisit.objects.get(contact_name="钱某")
    assert FollowUp.objects.filter(revisit=qian).count() == 1
    assert FollowUp.objects.count() == 1


def test_revisit_import_refuses_bad_rows_and_writes_nothing(world, tmp_path):
    case = world["cases_a"][0]
    good = {"案号": case.number, "回访日期": "2026-04-03", "回访方式": "电话", "回访人": "甲法官", "被回访人": "孙某",
            "与案件关系": "原告", "满意度": "满意"}
    rows = [
        good,
        {**good, "案号": "(2026)鲁0403民初99999号", "被回访人": "李某"},   # row 3: unknown case number
        {**good, "回访人": "张伟", "被回访人": "周某"},                      # row 4: two 张伟
        {**good, "满意度": "很好", "被回访人": "吴某"},                       # row 5: not a level
        {**good, "回访日期": "2026-01-02", "被回访人": "郑某"},              # row 6: before the case closed
    ]
    result = run_import("revisits", _write(tmp_path, "revisits", rows), court=world["court"])
    assert not result.committed
    problems = {(p.row, p.column): p.message for p in result.problems}
    assert "本院没有案号" in problems[(3, "案号")]
    assert "张伟(0312)" in problems[(4, "回访人")] and "张伟(0313)" in problems[(4, "回访人")]
    assert "不是可选值" in problems[(5, "满意度")]
    assert "早于该案结案日期" in problems[(6, "回访日期")]
    assert result.bad_rows == [3, 4, 5, 6]
    assert Revisit.objects.count() == 0 and FollowUp.objects.count() == 0


def test_revisit_export_then_import_is_a_no_op(world, record, tmp_path):
    record(world["cases_a"][0], Rating.SATISFIED, name="原告一", comments="=SUM(A1)")  # formula text survives
    record(world["cases_a"][1], Rating.DISSATISFIED, name="原告二", handling="已转承办人")
    record(world["cases_b"][0], None, name="原告三")
    before = list(Revisit.objects.order_by("pk").values())
    result = _round_trip(tmp_path, "revisits", world["court"])
    assert result.committed, [str(p) for p in result.problems]
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert list(Revisit.objects.order_by("pk").values()) == before
    assert FollowUp.objects.count() == 1


def test_the_other_registers_round_trip(world, tmp_path):
    court, actor = world["court"], world["party_office"]
    place = services.place_save(actor=actor, court=court, township="沙沟镇", name="前良村", kind="village")
    services.circuit_trial_record(actor=actor, court=court, held_on=date(2026, 5, 1), form="hearing", place=place,
                                  department=world["b"], judge=world["j2"], audience=40, case=world["cases_b"][0])
    services.outreach_event_record(actor=actor, court=court, held_on=date(2026, 5, 2), title="普法进校园",
                                   kind="schools", place="实验小学", participants=[world["j1"], world["zw1"]],
                                   branch=world["branch_a"], audience=300, materials=200)
    pair = services.partnership_save(actor=actor, court=court, partner="前良村", partner_kind="village",
                                     start=date(2025, 1, 1), branch=world["branch_b"])
    services.partner_visit_record(actor=actor, partnership=pair, visited_on=date(2026, 5, 3),
                                  visitors=[world["j2"], world["zw2"]], matters="了解纠纷", solved="调解一起")
    for kind, model in (("circuit_trials", CircuitTrial), ("outreach_events", OutreachEvent),
                        ("partner_visits", PartnerVisit)):
        before = list(model.objects.order_by("pk").values())
        result = _round_trip(tmp_path, kind, court)
        assert result.committed, (kind, [str(p) for p in result.problems])
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1), kind
        assert list(model.objects.order_by("pk").values()) == before


def test_outreach_import_awards_points_and_names_bad_rows(world, tmp_path):
    from tianping.party.models import PointsEntry

    rows = [{"日期": "2026-06-01", "活动名称": "赶大集普法", "活动类型": "赶大集", "地点": "沙沟大集",
             "组织部门或支部": "沙沟法庭党支部", "参加人员": "乙法官、张伟(0313)", "受众人数": 150, "发放材料份数": 400},
            {"日期": "2026-06-02", "活动名称": "进社区", "活动类型": "法官进社区", "地点": "社区",
             "组织部门或支部": "不存在的庭", "参加人员": "乙法官"}]
    result = run_import("outreach_events", _write(tmp_path, "outreach_events", rows), court=world["court"])
    assert not result.committed
    assert [(p.row, p.column) for p in result.problems] == [(3, "组织部门或支部")]
    assert OutreachEvent.objects.count() == 0 and PointsEntry.objects.count() == 0
    result = run_import("outreach_events", _write(tmp_path, "outreach_events", rows[:1]), court=world["court"])
    assert result.committed
    event = OutreachEvent.objects.get()
    assert event.branch == world["branch_b"]
    awarded = PointsEntry.objects.filter(rule__code="outreach_event", source_id=str(event.pk))
    assert sorted(awarded.values_list("person_id", flat=True)) == sorted([world["j2"].pk, world["zw2"].pk])
    # importing the same sheet again awards nothing more
    run_import("outreach_events", _write(tmp_path, "outreach_events", rows[:1]), court=world["court"])
    assert awarded.count() == 2
