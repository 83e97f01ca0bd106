"""Every formula on the hand-built casebook (conftest.py); each expected value is worked out here."""

from datetime import date

import pytest

from tianping.trials.models import Case
from tianping.trials.selectors import (
    FIGURE_KEYS,
    Period,
    drilldown_queryset,
    leadership_participation,
    leadership_total,
    metrics,
    metrics_json,
)

Y2016 = Period(date(2016, 1, 1), date(2016, 12, 31))
pytestmark = pytest.mark.django_db


def test_derived_columns(casebook):
    c = casebook["cases"]
    # c3: summary procedure, 3 months from 2016-01-10 = 2016-04-10; +30 excluded days = 2016-05-10
    assert c[3].deadline == date(2016, 4, 10) and c[3].limit_end == date(2016, 5, 10)
    # 2016-01-10 -> 2016-05-20 is 21+29+31+30+20 = 131 days, minus 30 excluded
    assert c[3].days_taken == 101
    # criminal first instance: 3 months; small claims filed in 2016: 3 months (民事诉讼法 2012 text: a form of
    # summary procedure, 第一百六十一条; the two months of 第一百六十八条 apply from 2022-01-01)
    assert c[5].deadline == date(2016, 6, 1) and c[4].deadline == date(2016, 9, 1)
    assert c[1].first_instance and not c[6].first_instance


def test_court_figures(casebook):
    (row,) = metrics(casebook["court"], Y2016, "court", refresh=False)
    # filed in 2016: c3 c4 c5 c6 c7 c8 c11 (c10 is pre-litigation mediation, kept out)
    assert row["filed"] == 7
    # carried over: c1 (closed 2016-02) and c2 (still open); c9 closed in 2015
    assert row["carried_over"] == 2
    assert row["closed"] == 6                      # c1 c3 c4 c5 c6 c7
    assert row["pending"] == 3                     # c2 c8 c11 (closed 2017-01-05)
    assert row["closure_rate"] == round(6 / 9, 4)
    assert row["within_limit_rate"] == round(5 / 6, 4)   # all but c3 (closed 05-20 after 05-10)
    # days: c1 101, c3 101, c4 44, c5 60, c6 29, c7 153
    assert row["avg_days"] == round((101 + 101 + 44 + 60 + 29 + 153) / 6, 2)
    assert row["mediation_rate"] == round(1 / 6, 4)            # c1
    assert row["mediation_withdrawal_rate"] == round(2 / 6, 4)  # c1 + c4
    # first instance closed: c1 c3 c4 c5; appealed c3 c5; reversed/remanded c3
    assert row["appeal_rate"] == 0.5
    assert row["acceptance_rate"] == 0.5
    assert row["reversal_remand_rate"] == 0.25
    # party members on the closing date: c1 (J1), c6 (J1), c4 (J2, closed after joining on 07-01)
    assert row["party_member_closed_share"] == 0.5
    assert row["clearance_rate"] == round(6 / 7, 4)
    assert row["disposition_time"] == round(365 * 3 / 6, 2)
    assert row["over12"] == 1                      # c2, filed 2015-10-01, open at 2016-12-31
    assert row["enforcement_rate"] == 0.6          # 60,000 of 100,000


def test_acceptance_rate_counting_petitions(casebook):
    from tianping.trials.models import TrialSettings

    TrialSettings.objects.create(court=casebook["court"], acceptance_counts_petitions=True)
    (row,) = metrics(casebook["court"], Y2016, "court", refresh=False)
    # appealed or petitioned: c3, c4 (petition), c5 (both) = 3 of 4
    assert row["acceptance_rate"] == 0.25


def test_party_status_on_closing_date(casebook):
    rows = {r["key"]["party"]: r for r in metrics(casebook["court"], Y2016, "party", refresh=False)}
    # J2 closed c3 on 05-20 before joining (non-party) and c4 on 07-15 after joining (party)
    assert rows[1]["closed"] == 3 and rows[0]["closed"] == 3
    assert {c.number for c in drilldown_queryset(Case.objects.all(), Y2016, "closed", party=True)} == {
        casebook["cases"][i].number for i in (1, 4, 6)}
    # pending at year end, party status on 2016-12-31: c2 c8 (J1) vs c11 (J3)
    assert rows[1]["pending"] == 2 and rows[0]["pending"] == 1


def test_by_judge_department_and_leadership(casebook):
    judges = {r["scope"].split("(")[0]: r for r in metrics(casebook["court"], Y2016, "judge", refresh=False)}
    assert judges["甲法官"]["closed"] == 2 and judges["乙法官"]["closed"] == 2 and judges["丙法官"]["closed"] == 2
    assert judges["乙法官"]["within_limit_rate"] == 0.5
    assert judges["丙法官"]["pending"] == 1
    deps = {r["scope"]: r for r in metrics(casebook["court"], Y2016, "department", refresh=False)}
    # c6 is filed in department B though J1 sits in A: the case's own department counts
    assert deps["民一庭"]["closed"] == 3 and deps["刑庭"]["closed"] == 3
    lead = {r["key"]["leadership"]: r for r in metrics(casebook["court"], Y2016, "leadership", refresh=False)}
    assert lead[1]["closed"] == 2
    # J1 handled c1 c6 and sat on c5's panel (c1's panel lists J1 as handler: not counted twice)
    (j1,) = [r for r in leadership_participation(casebook["court"], Y2016) if r["person"] == casebook["j1"]]
    assert (j1["handled"], j1["sat"], j1["total"]) == (2, 1, 3)
    assert leadership_total(casebook["court"], Y2016) == 3


def test_sum_over_scopes_equals_court(casebook):
    (court,) = metrics(casebook["court"], Y2016, "court", refresh=False)
    for by in ("department", "judge", "party", "leadership"):
        rows = metrics(casebook["court"], Y2016, by, refresh=False)
        for key in ("filed", "carried_over", "closed", "pending"):
            assert sum(r[key] for r in rows) == court[key], (by, key)


def test_null_when_denominator_zero(court):
    (row,) = metrics(court, Y2016, "court", refresh=False)
    assert row["closed"] == 0
    for key in FIGURE_KEYS:
        if key not in ("filed", "carried_over", "closed", "pending"):
            assert row[key] is None, key


def test_drilldown_lists_equal_counts(casebook):
    for by in ("court", "department", "judge", "party", "leadership"):
        for row in metrics(casebook["court"], Y2016, by, refresh=False):
            scope = {k: (v if v != "none" else None) for k, v in row["key"].items()}
            if None in scope.values():
                continue
            for set_name, key in (("filed", "filed"), ("carried_over", "carried_over"), ("closed", "closed"),
                                  ("pending", "pending"), ("over12", "over12"), ("caseload", None)):
                qs = drilldown_queryset(Case.objects.filter(court=casebook["court"]), Y2016, set_name,
                                        court=casebook["court"], **scope)
                expected = row[key] if key else row["carried_over"] + row["filed"]
                assert qs.count() == expected == row["counts"][set_name], (by, row["scope"], set_name)


def test_metrics_json_keys(casebook):
    rows = metrics_json(metrics(casebook["court"], Y2016, "court", refresh=False))
    assert list(rows[0]) == ["scope", *FIGURE_KEYS]


def test_trial_metrics_command_json(casebook):
    import json
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    out = StringIO()
    call_command("trial_metrics", "--court", "鲁0403", "--start", "2016-01-01", "--end", "2016-12-31", "--by",
                 "judge", "--format", "json", stdout=out)
    rows = json.loads(out.getvalue())
    assert [list(r) for r in rows] == [["scope", *FIGURE_KEYS]] * len(rows)
    assert sum(r["closed"] for r in rows) == 6
    one = next(r for r in rows if r["scope"].startswith("乙法官"))
    assert one["within_limit_rate"] == 0.5 and one["avg_days"] == round((101 + 44) / 2, 2)
    assert one["appeal_rate"] == 0.5 and isinstance(one["clearance_rate"], float)
    table = StringIO()
    call_command("trial_metrics", "--court", "鲁0403", "--start", "2016-01-01", "--end", "2016-12-31",
                 "--format", "table", stdout=table)
    assert table.getvalue().splitlines()[0].split()[:3] == ["scope", "filed", "carried_over"]
    with pytest.raises(CommandError, match="找不到法院代字"):
        call_command("trial_metrics", "--court", "鲁9999", "--start", "2016-01-01", "--end", "2016-12-31")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("trial_metrics", "--court", "鲁0403", "--start", "2016/01/01", "--end", "2016-12-31")


def test_closed_counts_are_the_court_row_and_the_leadership_total(casebook):
    """The annual report's trial figures read `closed_counts` (one aggregate of the cases closed in the year):
    each of its sets equals the court row of `metrics`, its leadership count `leadership_total`."""
    from tianping.trials.selectors import CLOSED_SETS, closed_by_month, closed_counts, monthly_trend

    court = casebook["court"]
    (row,) = metrics(court, Y2016, "court", refresh=False)
    counts = closed_counts(court, Y2016)
    assert {name: counts[name] for name in CLOSED_SETS} == {name: row["counts"].get(name, 0) for name in CLOSED_SETS}
    assert counts["closed"] == row["closed"] > 0
    assert counts["leadership"] == leadership_total(court, Y2016) > 0
    # month by month (the dashboards' series) the same cases as the trials page's monthly trend
    months = closed_by_month(court, Y2016)
    trend = {(r["month"].year, r["month"].month): r for r in monthly_trend(court, Y2016)}
    assert sum(m["closed"] for m in months.values()) == counts["closed"]
    for key, r in trend.items():
        assert (months.get(key, {}).get("closed", 0), months.get(key, {}).get("party_closed", 0)) == (
            r["closed"], r["party_closed"]), key
