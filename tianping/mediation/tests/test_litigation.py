"""The centre and trials together: a confirmation application is a 民特 case in trials, closed by the ruling;
disputes numbered before that get their cases from `manage.py confirmation_cases`."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.management import call_command

from tianping.mediation import services
from tianping.mediation.models import Dispute, Status

pytestmark = pytest.mark.django_db


def _apply(d, actor, on=date(2024, 4, 1), **kw):
    ids = list(d.parties.values_list("pk", flat=True))
    return services.confirmation_apply(dispute=d, actor=actor, applied_on=on, applicant_ids=ids, **kw)


def _trial_figures(court, year):
    from tianping.trials.selectors import Period, metrics

    return metrics(court, Period(date(year, 1, 1), date(year, 12, 31)), refresh=False)[0]


def test_application_files_one_special_case_numbered_by_the_allocator(agreed, centre, court):
    from tianping.trials.models import Case, Outcome
    from tianping.trials.services import case_number_allocate

    before = _trial_figures(court, 2024)
    # another 民特 number issued first (e.g. an arbitration matter): the application gets the next one
    taken = case_number_allocate(court=court, year=2024, type_code="民特", actor=centre)
    d = _apply(agreed(), centre)
    cases = list(Case.objects.filter(court=court, type_code="民特"))
    assert len(cases) == 1
    case = cases[0]
    assert taken == "(2024)鲁0403民特1号" and case.number == "(2024)鲁0403民特2号" == d.confirmation_number
    assert d.confirmation_case == case and case.confirmation_dispute == d
    assert case.filed_on == date(2024, 4, 1) and case.cause == "申请司法确认调解协议"
    assert case.judge == centre.person  # the confirmation room's judge will rule
    assert sorted(p["name"] for p in case.parties) == sorted(d.parties.values_list("name", flat=True))
    assert {p["role"] for p in case.parties} == {"申请人"}
    assert case.closed_on is None
    mid = _trial_figures(court, 2024)
    assert mid["filed"] == before["filed"] + 1 and mid["closed"] == before["closed"]

    d = services.confirmation_rule(dispute=d, actor=centre, ruling="confirmed", ruled_on=date(2024, 4, 8))
    case.refresh_from_db()
    assert (case.closed_on, case.outcome) == (date(2024, 4, 8), Outcome.CONFIRMED)
    after = _trial_figures(court, 2024)
    assert after["closed"] == before["closed"] + 1 and after["filed"] == before["filed"] + 1
    assert Case.objects.filter(court=court, type_code="民特").count() == 1


def test_rejection_closes_the_case_as_rejected(agreed, centre, court):
    from tianping.trials.models import Outcome

    d = _apply(agreed(), centre)
    d = services.confirmation_rule(dispute=d, actor=centre, ruling="rejected", ruled_on=date(2024, 4, 9),
                                   reason="协议内容违反法律强制性规定。")
    d.confirmation_case.refresh_from_db()
    assert (d.confirmation_case.outcome, d.confirmation_case.closed_on) == (Outcome.REJECTED, date(2024, 4, 9))


def test_a_refused_application_files_no_case(agreed, centre, court):
    from tianping.trials.models import Case

    d = agreed()
    with pytest.raises(Exception):  # noqa: B017 - late: the 30 days ran out on 2024-04-19
        _apply(d, centre, on=date(2024, 4, 25))
    assert not Case.objects.filter(type_code="民特").exists()


def test_backfill_files_cases_for_numbers_given_before(agreed, centre, court):
    from tianping.trials.models import Case, Outcome

    ruled = _apply(agreed(), centre)
    ruled = services.confirmation_rule(dispute=ruled, actor=centre, ruling="confirmed", ruled_on=date(2024, 4, 3))
    pending = _apply(agreed(), centre, on=date(2024, 4, 2))
    numbers = {ruled.pk: ruled.confirmation_number, pending.pk: pending.confirmation_number}
    # as it was before this change: a 民特 number on the dispute and no case in trials
    Dispute.objects.filter(pk__in=numbers).update(confirmation_case=None)
    Case.objects.filter(type_code="民特").delete()

    call_command("confirmation_cases", "--court", court.code, stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("confirmation_cases", stdout=open("/dev/null", "w"))  # noqa: SIM115 - idempotent
    cases = {c.confirmation_dispute.pk: c for c in Case.objects.filter(type_code="民特")}
    assert {pk: c.number for pk, c in cases.items()} == numbers
    assert (cases[ruled.pk].outcome, cases[ruled.pk].closed_on) == (Outcome.CONFIRMED, date(2024, 4, 3))
    assert cases[pending.pk].closed_on is None
    assert Dispute.objects.get(pk=pending.pk).status == Status.CONFIRMATION_APPLIED
    # the allocator continues after the numbers the backfill used
    d = _apply(agreed(), centre, on=date(2024, 4, 3))
    assert d.confirmation_number == "(2024)鲁0403民特3号"


def test_case_page_links_the_dispute_and_back(agreed, centre, court, client, make_user):
    from django.urls import reverse

    from tianping.core.roles import Role

    d = _apply(agreed(), centre)
    leader = make_user(court, Role.LEADER, username="leader_x")
    client.force_login(leader)
    page = client.get(reverse("trials:case_detail", args=[d.confirmation_case.pk])).content.decode()
    assert reverse("mediation:dispute_detail", args=[d.pk]) in page
    page = client.get(reverse("mediation:dispute_detail", args=[d.pk])).content.decode()
    assert reverse("trials:case_detail", args=[d.confirmation_case.pk]) in page


# --- 诉中委托调解 ------------------------------------------------------------------------------------------

def _counts(court, year=2024):
    """Trials' own counts for the year, worked out here from the cases (not from the figures code)."""
    from tianping.trials.models import Case, Outcome

    closed = Case.objects.filter(court=court, closed_on__year=year)
    return {"closed": closed.count(), "mediated": closed.filter(outcome=Outcome.MEDIATION).count(),
            "withdrawn": closed.filter(outcome=Outcome.WITHDRAWAL).count()}


def test_entrusted_agreement_closes_the_case_by_mediation_and_moves_the_figures(filed_case, judge, mediator,
                                                                                mediator_user, court):
    from tianping.mediation.models import Kind
    from tianping.mediation.selectors import figure_tables
    from tianping.trials.models import Outcome

    closed_other = filed_case()  # a case closed by judgment, so the rates have a denominator before
    from tianping.trials.services import case_close

    case_close(case=closed_other, actor=judge, closed_on=date(2024, 3, 20), outcome=Outcome.JUDGMENT)
    case = filed_case()
    before = _trial_figures(court, 2024)
    c0 = _counts(court)
    assert before["closed"] == c0["closed"] == 1 and before["mediation_rate"] == 0

    m = services.mediation_entrust(case=case, actor=judge, entrusted_on=date(2024, 3, 5),
                                   deadline_on=date(2024, 3, 20), room="peoples", mediator=mediator)
    assert (m.kind, m.status, m.litigation_case, m.number) == (Kind.ENTRUSTED, Status.ASSIGNED, case,
                                                               f"{case.number}委托调解")
    assert sorted(m.parties.values_list("name", "role")) == [("原告甲", "applicant"), ("被告乙", "respondent")]
    assert Dispute.objects.visible_to(mediator_user).filter(pk=m.pk).exists()
    assert Dispute.objects.visible_to(judge).filter(pk=m.pk).exists()  # the judge follows what they entrusted
    m = services.mediation_accept(dispute=m, actor=mediator_user, accepted_on=date(2024, 3, 6))
    assert m.deadline_on == date(2024, 3, 20)  # the judge's deadline, not 30 days
    services.session_record(dispute=m, actor=mediator_user, held_on=date(2024, 3, 8), attendees="原告甲、被告乙",
                            notes="双方同意分期付款", place="人民调解室")
    with pytest.raises(Exception) as exc:  # noqa: PT011 - the outcome for the case is required
        services.agreement_record(dispute=m, actor=mediator_user, agreed_on=date(2024, 3, 9), terms="分三期付清")
    assert "结案方式" in str(exc.value)
    m = services.agreement_record(dispute=m, actor=mediator_user, agreed_on=date(2024, 3, 9), terms="分三期付清",
                                  case_outcome="mediation")
    case.refresh_from_db()
    assert (m.status, m.closed_on) == (Status.CASE_CLOSED, date(2024, 3, 9))
    assert (case.closed_on, case.outcome) == (date(2024, 3, 9), Outcome.MEDIATION)

    after = _trial_figures(court, 2024)
    c1 = _counts(court)
    assert c1 == {"closed": c0["closed"] + 1, "mediated": c0["mediated"] + 1, "withdrawn": c0["withdrawn"]}
    assert after["closed"] == 2
    assert after["mediation_rate"] == pytest.approx(c1["mediated"] / c1["closed"])  # 0 → 1/2
    assert after["mediation_withdrawal_rate"] == pytest.approx((c1["mediated"] + c1["withdrawn"]) / c1["closed"])

    # the mediation figures show it as its own kind
    _total, by = figure_tables(Dispute.objects.filter(court=court), {})
    kinds = {row["label"]: row["figures"] for row in by["kind"]}
    assert kinds["诉中委托调解"]["received"] == 1 and kinds["诉中委托调解"]["succeeded"] == 1
    assert kinds["诉前调解"]["received"] == 0


def test_entrusted_withdrawal_and_failure_return_to_the_judge(filed_case, judge, mediator, mediator_user, court):
    from tianping.core.models import AuditEvent
    from tianping.trials.models import Outcome

    case = filed_case()
    m = services.mediation_entrust(case=case, actor=judge, entrusted_on=date(2024, 3, 5),
                                   deadline_on=date(2024, 3, 25), room="peoples", mediator=mediator)
    with pytest.raises(Exception) as exc:  # noqa: PT011 - one open entrustment per case
        services.mediation_entrust(case=case, actor=judge, entrusted_on=date(2024, 3, 5),
                                   deadline_on=date(2024, 3, 25), room="peoples", mediator=mediator)
    assert "正在进行的委托调解" in str(exc.value)
    services.mediation_accept(dispute=m, actor=mediator_user, accepted_on=date(2024, 3, 6))
    m = services.mediation_fail(dispute=m, actor=mediator_user, ended_on=date(2024, 3, 12), reason="被告不同意")
    case.refresh_from_db()
    assert m.status == Status.FAILED and case.closed_on is None
    assert AuditEvent.objects.filter(event="case.mediation_returned", object_id=str(case.pk)).exists()
    with pytest.raises(Exception) as exc:  # noqa: PT011 - a filed case is not filed again
        services.filing_transfer(dispute=m, actor=judge, filed_on=date(2024, 3, 13))
    assert "不能转立案" in str(exc.value)

    # entrusted again, now settled by withdrawal
    m2 = services.mediation_entrust(case=case, actor=judge, entrusted_on=date(2024, 3, 13),
                                    deadline_on=date(2024, 3, 30), room="peoples", mediator=mediator)
    assert m2.number == f"{case.number}委托调解2"
    services.mediation_accept(dispute=m2, actor=mediator_user, accepted_on=date(2024, 3, 13))
    services.agreement_record(dispute=m2, actor=mediator_user, agreed_on=date(2024, 3, 15), terms="原告撤诉",
                              case_outcome="withdrawal")
    case.refresh_from_db()
    assert (case.closed_on, case.outcome) == (date(2024, 3, 15), Outcome.WITHDRAWAL)
    with pytest.raises(Exception) as exc:  # noqa: PT011 - a closed case is not entrusted
        services.mediation_entrust(case=case, actor=judge, entrusted_on=date(2024, 3, 16),
                                   deadline_on=date(2024, 3, 30), room="peoples", mediator=mediator)
    assert "已于 2024-03-15 结案" in str(exc.value)


def test_only_the_cases_judge_may_entrust(filed_case, judge, mediator, court, client, make_user, centre):
    from django.urls import reverse

    from tianping.core.roles import Role
    from tianping.org.tests.factories import PersonFactory

    case = filed_case()
    url = reverse("mediation:case_entrust", args=[case.pk])
    client.force_login(judge)
    page = client.get(reverse("trials:case_detail", args=[case.pk])).content.decode()
    assert url in page
    r = client.post(url, {"entrusted_on": "2024-03-05", "deadline_on": "2024-03-04", "room": "peoples",
                          "mediator": mediator.pk})
    assert r.status_code == 200 and "调解期限须晚于委托日期" in r.content.decode()  # refused, beside the field
    r = client.post(url, {"entrusted_on": "2024-03-05", "deadline_on": "2024-03-25", "room": "peoples",
                          "mediator": mediator.pk, "reason": "标的较小，适宜调解"})
    assert r.status_code == 302 and Dispute.objects.filter(litigation_case=case).count() == 1
    page = client.get(reverse("trials:case_detail", args=[case.pk])).content.decode()
    assert "调解员甲" in page

    other = make_user(court, Role.MEMBER, person=PersonFactory(court=court, name="另一法官"), username="judge_d")
    client.force_login(other)
    assert client.get(url).status_code == 404  # another judge's case is outside their scope
    leader = make_user(court, Role.LEADER, username="leader_y")
    client.force_login(leader)
    assert client.get(url).status_code == 403  # sees the case, is not its judge
