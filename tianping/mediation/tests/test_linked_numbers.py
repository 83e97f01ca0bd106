"""A dispute transferred to filing (or applying for judicial confirmation) may be linked to the case the
filing desk already registered in the trial system, so the court's 民初 and 民特 numbers stay in filing order;
the link is refused for a case of another court, type or day, or one already linked."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tianping.mediation import services
from tianping.mediation.models import Status
from tianping.mediation.tests.conftest import org_party, person_party
from tianping.trials.models import Case
from tianping.trials.services import case_register

pytestmark = pytest.mark.django_db


def _filed(court, centre, type_code="民初", day=date(2024, 3, 18)):
    return case_register(court=court, type_code=type_code, filed_on=day, cause="民间借贷纠纷", actor=centre)


def test_transfer_links_the_case_filed_that_day(mediating, centre, court):
    earlier = _filed(court, centre, day=date(2024, 3, 17))
    case = _filed(court, centre)
    later = _filed(court, centre, day=date(2024, 3, 19))
    d = mediating(parties=[person_party(10, "applicant", "原告甲"), org_party("respondent", "被告乙公司")])
    d = services.mediation_fail(dispute=d, actor=centre, ended_on=date(2024, 3, 15), reason="分歧较大")
    d = services.filing_transfer(dispute=d, actor=centre, filed_on=date(2024, 3, 18), case=case)
    assert d.status == Status.FILED and d.filed_case_id == case.pk and d.closed_on == date(2024, 3, 18)
    case.refresh_from_db()
    assert [(p["role"], p["name"]) for p in case.parties] == [("原告", "原告甲"), ("被告", "被告乙公司")]
    assert d.number in case.source_note
    # no new number: the three cases keep 1, 2, 3 in filing order
    assert list(Case.objects.order_by("seq").values_list("pk", flat=True)) == [earlier.pk, case.pk, later.pk]
    assert Case.objects.count() == 3


@pytest.mark.parametrize("wrong", ["day", "type", "taken"])
def test_transfer_refuses_a_case_that_does_not_fit(mediating, centre, court, wrong):
    case = _filed(court, centre, type_code="民特" if wrong == "type" else "民初")
    if wrong == "taken":
        other = services.mediation_fail(dispute=mediating(), actor=centre, ended_on=date(2024, 3, 15), reason="x")
        services.filing_transfer(dispute=other, actor=centre, filed_on=date(2024, 3, 18), case=case)
    d = services.mediation_fail(dispute=mediating(), actor=centre, ended_on=date(2024, 3, 15), reason="分歧较大")
    day = date(2024, 3, 19) if wrong == "day" else date(2024, 3, 18)
    with pytest.raises(ValidationError) as exc:
        services.filing_transfer(dispute=d, actor=centre, filed_on=day, case=case)
    assert case.number in "；".join(exc.value.messages)
    d.refresh_from_db()
    assert d.status == Status.FAILED and d.filed_case_id is None


def test_direct_filing_links_the_case(make_dispute, centre, court):
    case = _filed(court, centre, day=date(2024, 3, 1))
    d = make_dispute(consent=False)
    d = services.dispute_triage(dispute=d, actor=centre, route="filing", reason="不同意调解",
                                triaged_on=date(2024, 3, 1), filed_case=case)
    assert d.status == Status.FILED and d.filed_case_id == case.pk and Case.objects.count() == 1


def test_confirmation_takes_the_special_case_number(agreed, centre, court):
    special = _filed(court, centre, type_code="民特", day=date(2024, 4, 1))
    d = agreed()
    ids = list(d.parties.values_list("pk", flat=True))
    with pytest.raises(ValidationError):  # filed on another day
        services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 2), applicant_ids=ids,
                                    number=special.number)
    d = services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 1), applicant_ids=ids,
                                    number=special.number)
    assert d.confirmation_number == special.number
    second = agreed()
    with pytest.raises(ValidationError):  # already used
        services.confirmation_apply(dispute=second, actor=centre, applied_on=date(2024, 4, 1), number=special.number,
                                    applicant_ids=list(second.parties.values_list("pk", flat=True)))
