"""The road to membership: order, minimum intervals, conversion due date, extension, cancellation."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from tianping.org.tests.factories import PersonFactory
from tianping.party import services
from tianping.party.models import MemberStep, PartySetting, Stage, StepKind
from tianping.party.tests.factories import OrganisationFactory, make_member

pytestmark = pytest.mark.django_db


@time_machine.travel(date(2017, 6, 1))
def test_candidate_step_refused_when_too_early(court):
    branch = OrganisationFactory(court=court)
    person = PersonFactory(court=court)
    m = services.member_create(actor=None, person=person, branch=branch, stage=Stage.APPLICANT,
                               dates={"applied_on": date(2015, 3, 1)})
    services.member_step_record(actor=None, member=m, step=StepKind.ACTIVIST, occurred_on=date(2015, 9, 1))
    m.refresh_from_db()
    with pytest.raises(ValidationError) as exc:
        services.member_step_record(actor=None, member=m, step=StepKind.CANDIDATE, occurred_on=date(2016, 8, 31))
    assert "满 12 个月" in str(exc.value) and "2016-09-01" in str(exc.value)
    services.member_step_record(actor=None, member=m, step=StepKind.CANDIDATE, occurred_on=date(2016, 9, 1))
    m.refresh_from_db()
    assert m.stage == Stage.CANDIDATE and m.candidate_on == date(2016, 9, 1)


@time_machine.travel(date(2017, 6, 1))
def test_interval_is_a_setting(court):
    PartySetting.objects.create(code="activist_to_candidate_months", value=6, description="x",
                                effective_from=date(2016, 1, 1))
    branch = OrganisationFactory(court=court)
    m = services.member_create(actor=None, person=PersonFactory(court=court), branch=branch, stage=Stage.ACTIVIST,
                               dates={"applied_on": date(2015, 3, 1), "activist_on": date(2015, 9, 1)})
    services.member_step_record(actor=None, member=m, step=StepKind.CANDIDATE, occurred_on=date(2016, 3, 1))


@time_machine.travel(date(2017, 6, 1))
def test_out_of_order_step_refused(court):
    branch = OrganisationFactory(court=court)
    m = make_member(branch=branch, stage=Stage.APPLICANT, applied_on=date(2015, 3, 1))
    with pytest.raises(ValidationError, match="只能在“发展对象”阶段登记"):
        services.member_step_record(actor=None, member=m, step=StepKind.ADMITTED, occurred_on=date(2016, 3, 1),
                                    evidence="决议")
    with pytest.raises(ValidationError, match="只适用于预备党员"):
        services.member_step_record(actor=None, member=m, step=StepKind.CONVERTED, occurred_on=date(2016, 3, 1),
                                    evidence="决议")
    assert not MemberStep.objects.filter(member=m).exists()


@time_machine.travel(date(2017, 6, 1))
def test_conversion_due_date_extension_and_conversion(court):
    branch = OrganisationFactory(court=court)
    m = make_member(branch=branch, stage=Stage.PROBATIONARY, admitted_on=date(2016, 2, 29))
    assert m.conversion_due_on == date(2017, 2, 28)
    with pytest.raises(ValidationError, match="预备期未满"):
        services.member_step_record(actor=None, member=m, step=StepKind.CONVERTED, occurred_on=date(2017, 2, 27),
                                    evidence="决议")
    with pytest.raises(ValidationError, match="6 至 12 个月"):
        services.member_step_record(actor=None, member=m, step=StepKind.EXTENDED, occurred_on=date(2017, 2, 28),
                                    evidence="决议", months=3)
    services.member_step_record(actor=None, member=m, step=StepKind.EXTENDED, occurred_on=date(2017, 2, 28),
                                evidence="支部大会决议延长预备期6个月", months=6)
    m.refresh_from_db()
    assert m.conversion_due_on == date(2017, 8, 29)
    with pytest.raises(ValidationError, match="只能延长一次"):
        services.member_step_record(actor=None, member=m, step=StepKind.EXTENDED, occurred_on=date(2017, 3, 1),
                                    evidence="决议", months=6)
    with pytest.raises(ValidationError, match="依据"):
        services.member_step_record(actor=None, member=m, step=StepKind.CANCELLED, occurred_on=date(2017, 3, 1))


@time_machine.travel(date(2017, 6, 1))
def test_conversion_on_due_date(court):
    branch = OrganisationFactory(court=court)
    m = make_member(branch=branch, stage=Stage.PROBATIONARY, admitted_on=date(2016, 5, 10))
    services.member_step_record(actor=None, member=m, step=StepKind.CONVERTED, occurred_on=date(2017, 5, 10),
                                evidence="支部大会决议按期转正")
    m.refresh_from_db()
    assert m.stage == Stage.FULL and m.converted_on == date(2017, 5, 10) and m.conversion_due_on is None


def test_future_step_refused(court):
    branch = OrganisationFactory(court=court)
    m = make_member(branch=branch, stage=Stage.APPLICANT, applied_on=date(2015, 3, 1))
    with pytest.raises(ValidationError, match="晚于今天"):
        services.member_step_record(actor=None, member=m, step=StepKind.ACTIVIST, occurred_on=date(2999, 1, 1))


def test_transfer_in_reactivates_and_rejoins_roster(court):
    from tianping.party.selectors import branch_roster_on

    branch = OrganisationFactory(court=court)
    m = make_member(branch=branch)
    services.member_transfer_out(actor=None, member=m, to_organisation="甲", letter_number="1",
                                 transferred_on=date(2016, 1, 1))
    services.member_transfer_in(actor=None, person=m.person, branch=branch, from_organisation="甲",
                                letter_number="2", transferred_on=date(2016, 6, 1))
    assert m.person not in branch_roster_on(branch, date(2016, 3, 1))
    assert m.person in branch_roster_on(branch, date(2016, 6, 1))
    assert m.transfers.count() == 2


def test_second_secretary_refused_until_first_leaves(court):
    from tianping.party.models import CommitteePost, CommitteeRole

    branch = OrganisationFactory(court=court)
    a, b = make_member(branch=branch), make_member(branch=branch)
    services.committee_post_save(actor=None, post=CommitteePost(
        organisation=branch, person=a.person, role=CommitteeRole.SECRETARY, term_start=date(2013, 1, 1),
        term_end=date(2016, 1, 1)))
    new = CommitteePost(organisation=branch, person=b.person, role=CommitteeRole.SECRETARY,
                        term_start=date(2016, 1, 5), term_end=date(2019, 1, 5))
    with pytest.raises(ValidationError, match="已有在任书记"):
        services.committee_post_save(actor=None, post=new)
    old = CommitteePost.objects.get(person=a.person)
    old.ended_on = date(2016, 1, 5)
    services.committee_post_save(actor=None, post=old)
    services.committee_post_save(actor=None, post=new)
    assert CommitteePost.objects.current_on(date(2016, 2, 1)).get(organisation=branch).person == b.person


def test_the_setting_in_force_on_a_day_read_once_per_request(db, django_assert_num_queries):
    from tianping.core.request_context import reset_request_info, set_request_info
    from tianping.party.rules import setting

    PartySetting.objects.create(code="test_rule", value=5, description="x", effective_from=date(2020, 1, 1))
    PartySetting.objects.create(code="test_rule", value=7, description="x", effective_from=date(2022, 1, 1))
    assert setting("test_rule", date(2019, 6, 1)) == 5  # before the first row: the first row
    assert setting("test_rule", date(2021, 12, 31)) == 5
    assert setting("test_rule", date(2022, 1, 1)) == 7
    token = set_request_info({})
    try:
        with django_assert_num_queries(1):  # a request reads the settings once, whatever it asks
            assert [setting("test_rule", date(2023, 1, 1)), setting("test_rule", date(2021, 1, 1))] == [7, 5]
            assert setting("probation_months") == 12
    finally:
        reset_request_info(token)
