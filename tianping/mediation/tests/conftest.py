"""Fixtures of the centre: a court with its intake desk, a mediator with an account, a traffic studio, a
second mediator, an outsider court, and `make_dispute` which registers a dispute through the service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tianping.core.roles import Role
from tianping.org.tests.factories import make_id_number


def person_party(n: int, role: str, name: str | None = None) -> dict:
    return {"role": role, "kind": "person", "name": name or f"当事人{n}",
            "id_number": make_id_number(n, date(1980 + n % 20, 1 + n % 12, 1 + n % 27)), "phone": "13812345678",
            "address": "山东省枣庄市薛城区临城街道"}


def org_party(role: str, name: str = "枣庄市顺达运输有限公司") -> dict:
    return {"role": role, "kind": "organisation", "name": name, "credit_code": "913704034JURQ283F6",
            "representative": "王某"}


@pytest.fixture
def centre(court, make_user):
    """The centre's intake and confirmation desk (Role.CENTRE; CentreStaff puts it in the 司法确认室 too)."""
    from tianping.mediation.models import CentreStaff
    from tianping.org.tests.factories import PersonFactory

    user = make_user(court, Role.CENTRE, person=PersonFactory(court=court, name="立案法官甲"), username="centre")
    CentreStaff.objects.create(court=court, user=user, can_intake=True, can_confirm=True)
    return user


@pytest.fixture
def mediator_user(court, make_user):
    return make_user(court, "mediator", username="med_a")


@pytest.fixture
def mediator(court, mediator_user):
    from tianping.mediation.models import Mediator

    return Mediator.objects.create(court=court, name="调解员甲", kind="peoples", organisation="薛城区人民调解委员会",
                                   user=mediator_user)


@pytest.fixture
def other_mediator(court, make_user):
    from tianping.mediation.models import Mediator

    user = make_user(court, "mediator", username="med_b")
    return Mediator.objects.create(court=court, name="调解员乙", kind="invited", user=user)


@pytest.fixture
def studio_judge_user(court, make_user):
    from tianping.org.tests.factories import PersonFactory

    return make_user(court, "member", person=PersonFactory(court=court, name="工作室法官"), username="studio_judge")


@pytest.fixture
def studio(court, studio_judge_user):
    from tianping.mediation.models import Studio

    return Studio.objects.create(court=court, name="演示法官工作室", judge=studio_judge_user.person, is_traffic=True,
                                 speciality="道路交通事故")


@pytest.fixture
def make_dispute(court, centre):
    """make_dispute(registered_on=..., parties=..., consent=True, **kw) -> a registered Dispute."""
    from tianping.mediation import services

    counter = {"n": 0}

    def _make(*, registered_on=date(2024, 3, 1), parties=None, consent=True, cause="民间借贷纠纷", actor=None, **kw):
        counter["n"] += 1
        n = counter["n"]
        parties = parties or [person_party(n * 2, "applicant", f"申请人{n}号"),
                              person_party(n * 2 + 1, "respondent", f"被申请人{n}号")]
        return services.dispute_register(
            court=court, actor=actor or centre, registered_on=registered_on, cause=cause, summary="借款到期未还",
            source="application", parties=parties, amount=Decimal("50000"), consent_to_mediation=consent, **kw)

    return _make


@pytest.fixture
def mediating(make_dispute, centre, mediator):
    """A dispute triaged to `mediator` and accepted on 2024-03-02 (deadline 2024-04-01)."""
    from tianping.mediation import services

    def _make(**kw):
        d = make_dispute(**kw)
        services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="适宜调解",
                                triaged_on=date(2024, 3, 1), room="peoples", mediator=mediator)
        return services.mediation_accept(dispute=d, actor=centre, accepted_on=date(2024, 3, 2))

    return _make


@pytest.fixture
def agreed(mediating, centre):
    """A dispute with an agreement signed and effective on 2024-03-20."""
    from tianping.mediation import services

    def _make(**kw):
        d = mediating(**kw)
        return services.agreement_record(dispute=d, actor=centre, agreed_on=date(2024, 3, 20),
                                         terms="被申请人于2024年4月20日前支付申请人人民币40000元。",
                                         amount=Decimal("40000"), performance_deadline=date(2024, 4, 20))

    return _make


@pytest.fixture
def reference_data(db):
    """Re-load the rows data migrations put in (case types, insurance limits): transactional tests flush
    them after each test. Uses the migrations' own loaders, idempotent."""
    from importlib import import_module

    from django.apps import apps

    import_module("tianping.trials.migrations.0005_load_annex_type_codes").load(apps, None)
    import_module("tianping.trials.migrations.0007_load_time_limits").load(apps, None)
    import_module("tianping.mediation.migrations.0002_insurance_limits").load(apps, None)


@pytest.fixture
def judge(court, make_user):
    """A judge (承办人) of the court's trial divisions, with an account."""
    from tianping.org.tests.factories import PersonFactory

    return make_user(court, Role.MEMBER, person=PersonFactory(court=court, name="承办法官丙", is_quota_judge=True),
                     username="judge_c")


@pytest.fixture
def filed_case(court, judge):
    """filed_case(filed_on=...) -> an open 民初 case of `judge` with two parties, filed through trials."""
    from tianping.trials.services import case_register

    def _make(filed_on=date(2024, 3, 4)):
        return case_register(court=court, type_code="民初", filed_on=filed_on, cause="买卖合同纠纷", actor=judge,
                             judge=judge.person, procedure="summary",
                             parties=[{"role": "原告", "name": "原告甲"}, {"role": "被告", "name": "被告乙"}])

    return _make
