"""三个规定 monthly reports: zero reports, one per judge and month, and the exact list of judges who have not
reported a month (a to-do for the party office)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tianping.integrity import selectors, services
from tianping.integrity.models import InterferenceRecord, MonthlyReport

pytestmark = pytest.mark.django_db
MAY = date(2016, 5, 1)


@pytest.fixture
def bench(court, deps):
    """Judges of May 2016: some report, one late, one left in April, one hired in June, a clerk owes nothing."""
    from tianping.org.tests.factories import PersonFactory

    def judge(name, **kw):
        return PersonFactory(court=court, name=name, department=deps["civil"], **kw)

    return {
        "on_time": judge("按时甲"), "late": judge("逾期乙"), "silent": judge("未报丙"), "silent2": judge("未报丁"),
        "left": judge("离职戊", left_on=date(2016, 4, 30)), "left_in_may": judge("五月离职己", left_on=date(2016, 5, 20)),
        "hired_june": judge("六月入职庚", hired_on=date(2016, 6, 1)),
        "clerk": judge("书记员辛", is_quota_judge=False),
    }


def test_the_missing_list_is_exact_for_a_hand_built_month(court, users, bench):
    actor = users["discipline"]
    services.monthly_report_file(actor=actor, person=bench["on_time"], month=MAY, filed_on=date(2016, 6, 2))
    services.monthly_report_file(actor=actor, person=bench["late"], month=MAY, filed_on=date(2016, 6, 15))
    services.monthly_report_file(actor=actor, person=bench["on_time"], month=date(2016, 4, 1),
                                 filed_on=date(2016, 5, 2))  # another month counts for nothing in May
    owing = {p for k, p in bench.items() if k in {"on_time", "late", "silent", "silent2", "left_in_may"}}
    filed = {bench["on_time"], bench["late"]}
    assert set(selectors.missing_reports(court.pk, MAY)) == owing - filed
    assert [r.person for r in selectors.late_reports(court.pk, MAY)] == [bench["late"]]
    row = next(r for r in selectors.report_figures(court.pk, 2016, date(2016, 12, 1)) if r["month"] == MAY)
    assert (row["zero"], row["nonzero"], row["late"], row["missing"]) == (2, 0, 1, len(owing - filed))


def test_a_report_counts_the_months_records_and_is_zero_without(court, users, bench):
    judge = bench["silent"]
    InterferenceRecord.objects.create(court=court, recorder=judge, recorded_on=date(2016, 5, 31), kind="leader",
                                      asker="某乙", content="打招呼", handling="拒绝并记录")
    InterferenceRecord.objects.create(court=court, recorder=judge, recorded_on=date(2016, 6, 1), kind="contact",
                                      asker="某丙", content="约见", handling="拒绝")
    may = services.monthly_report_file(actor=users["discipline"], person=judge, month=MAY, filed_on=date(2016, 6, 1))
    assert (may.zero, may.record_count) == (False, 1)
    july = services.monthly_report_file(actor=users["discipline"], person=judge, month=date(2016, 7, 1),
                                        filed_on=date(2016, 8, 1))
    assert (july.zero, july.record_count) == (True, 0)
    with pytest.raises(ValidationError, match="已经报告过"):
        services.monthly_report_file(actor=users["discipline"], person=judge, month=MAY, filed_on=date(2016, 6, 3))
    with pytest.raises(ValidationError, match="尚未开始"):
        services.monthly_report_file(actor=users["discipline"], person=judge, month=date(2016, 9, 1),
                                     filed_on=date(2016, 8, 1))
    assert MonthlyReport.objects.filter(person=judge).count() == 2


def test_a_judge_files_at_the_page_and_the_party_office_sees_who_is_missing(client_for, court, users, make_user,
                                                                           bench, settings):
    from tianping.core.roles import Role

    account = make_user(court, Role.MEMBER, person=bench["silent"], username="silent")
    c = client_for(account)
    r = c.post(reverse("integrity:reports"), {"month": "2016-05", "note": ""})
    assert r.status_code == 302
    assert MonthlyReport.objects.get(person=bench["silent"]).zero
    r = c.post(reverse("integrity:reports"), {"month": "2016-5x"})
    assert "年-月" in r.content.decode()
    page = client_for(users["party_office"]).get(reverse("integrity:report_figures") + "?year=2016&month=2016-05")
    text = page.content.decode()
    assert "未报丁" in text and "未报丙" not in text.split('data-testid="missing-reports"')[1].split("</table>")[0]
    assert client_for(users["member"]).get(reverse("integrity:report_figures")).status_code == 403
