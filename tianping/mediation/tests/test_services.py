"""Every transition of a dispute and every refusal (docs/mediation.md has the state machine)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tianping.core.models import AuditEvent
from tianping.mediation import services
from tianping.mediation.models import Dispute, Status
from tianping.mediation.tests.conftest import org_party, person_party
from tianping.trials.models import Case

pytestmark = pytest.mark.django_db


def messages_of(exc) -> str:
    return "；".join(exc.value.messages)


# --- intake ----------------------------------------------------------------------------------------

def test_register_numbers_per_court_and_year(make_dispute, court):
    a = make_dispute(registered_on=date(2017, 5, 2))
    b = make_dispute(registered_on=date(2017, 6, 1))
    c = make_dispute(registered_on=date(2018, 1, 3))
    assert (a.number, b.number, c.number) == ("(2017)鲁0403民诉前调1号", "(2017)鲁0403民诉前调2号",
                                              "(2018)鲁0403民诉前调1号")
    assert a.status == Status.REGISTERED
    assert list(a.parties.values_list("name", flat=True)) == ["申请人1号", "被申请人1号"]
    assert AuditEvent.objects.filter(event="dispute.registered", object_id=str(a.pk)).exists()


def test_register_with_organisation_and_materials(make_dispute):
    d = make_dispute(parties=[person_party(3, "applicant", "张某"), org_party("respondent")],
                     materials=[{"title": "借条", "submitted_by": "张某", "pages": 1}])
    assert d.parties.get(kind="organisation").credit_code == "913704034JURQ283F6"
    assert list(d.materials.values_list("title", flat=True)) == ["借条"]


def test_register_refuses_bad_id_number_and_keeps_no_number(make_dispute, court):
    bad = person_party(5, "respondent", "李某")
    bad["id_number"] = bad["id_number"][:17] + ("0" if bad["id_number"][17] != "0" else "1")
    with pytest.raises(ValidationError) as exc:
        make_dispute(parties=[person_party(4, "applicant"), bad])
    assert "第 2 位当事人（李某）" in messages_of(exc) and "校验位" in messages_of(exc)
    assert not Dispute.objects.exists()
    # the failed registration rolled back its number: the next one gets 1
    assert make_dispute().number.endswith("民诉前调1号")


def test_register_refuses_bad_credit_code_and_missing_respondent(make_dispute):
    org = org_party("respondent")
    org["credit_code"] = "913704034JURQ283F7"
    with pytest.raises(ValidationError) as exc:
        make_dispute(parties=[person_party(4, "applicant"), org])
    assert "统一社会信用代码" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        make_dispute(parties=[person_party(4, "applicant")])
    assert "至少需要一位被申请人" in messages_of(exc)


# --- triage ----------------------------------------------------------------------------------------

def test_triage_to_mediator_and_studio(make_dispute, centre, mediator, studio):
    d = services.dispute_triage(dispute=make_dispute(), actor=centre, route="mediation", reason="小额纠纷",
                                triaged_on=date(2024, 3, 1), room="peoples", mediator=mediator)
    assert (d.status, d.mediator, d.studio) == (Status.ASSIGNED, mediator, None)
    d2 = services.dispute_triage(dispute=make_dispute(), actor=centre, route="mediation", reason="交通事故",
                                 triaged_on=date(2024, 3, 1), room="studio", studio=studio, mediator=mediator)
    assert (d2.status, d2.studio, d2.mediator) == (Status.ASSIGNED, studio, None)


def test_triage_refusals(make_dispute, centre, mediator):
    d = make_dispute(consent=False)
    with pytest.raises(ValidationError) as exc:
        services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="x", triaged_on=date(2024, 3, 1),
                                room="peoples", mediator=mediator)
    assert "未同意调解" in messages_of(exc)
    d = make_dispute()
    with pytest.raises(ValidationError) as exc:
        services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="", triaged_on=date(2024, 3, 1),
                                room="peoples", mediator=mediator)
    assert "分流理由" in messages_of(exc)
    with pytest.raises(ValidationError) as exc:
        services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="x", triaged_on=date(2024, 3, 1),
                                room="peoples")
    assert "须选择调解员" in messages_of(exc)
    services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="x", triaged_on=date(2024, 3, 1),
                            room="peoples", mediator=mediator)
    with pytest.raises(ValidationError) as exc:  # twice
        services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="x", triaged_on=date(2024, 3, 1),
                                room="peoples", mediator=mediator)
    assert "已分流待调解" in messages_of(exc)


def test_triage_direct_filing_files_the_case(make_dispute, centre):
    d = make_dispute(consent=False, registered_on=date(2024, 3, 1))
    d = services.dispute_triage(dispute=d, actor=centre, route="filing", reason="当事人不同意调解",
                                triaged_on=date(2024, 3, 2))
    assert d.status == Status.FILED
    assert d.filed_case.number == "(2024)鲁0403民初1号"
    assert d.closed_on == date(2024, 3, 2)


def test_reassign(mediating, centre, other_mediator):
    d = services.dispute_reassign(dispute=mediating(), actor=centre, room="peoples", mediator=other_mediator,
                                  reason="回避")
    assert d.mediator == other_mediator and d.status == Status.MEDIATING


# --- mediation period ----------------------------------------------------------------------------

def test_accept_starts_thirty_days(mediating):
    d = mediating()
    assert (d.status, d.accepted_on, d.deadline_on) == (Status.MEDIATING, date(2024, 3, 2), date(2024, 4, 1))
    assert d.days_left(date(2024, 3, 27)) == 5


def test_accept_refused_before_triage(make_dispute, centre):
    with pytest.raises(ValidationError) as exc:
        services.mediation_accept(dispute=make_dispute(), actor=centre, accepted_on=date(2024, 3, 2))
    assert "不能受理调解" in messages_of(exc)


def test_session_recorded_and_refused_without_place(mediating, centre):
    d = mediating()
    s = services.session_record(dispute=d, actor=centre, held_on=date(2024, 3, 5), online=True, attendees="双方",
                                notes="释法明理")
    assert s.dispute == d and d.sessions.count() == 1
    with pytest.raises(ValidationError) as exc:
        services.session_record(dispute=d, actor=centre, held_on=date(2024, 3, 6), attendees="双方", notes="x")
    assert "地点" in messages_of(exc)
    with pytest.raises(ValidationError):
        services.session_record(dispute=d, actor=centre, held_on=date(2024, 3, 1), place="调解室", attendees="双方",
                                notes="x")


def test_extension_with_every_consent(mediating, centre):
    d = mediating()
    consents = {p.pk: date(2024, 3, 25) for p in d.parties.all()}
    ext = services.deadline_extend(dispute=d, actor=centre, days=15, reason="双方同意继续调解",
                                   granted_on=date(2024, 3, 25), consents=consents)
    d.refresh_from_db()
    assert d.deadline_on == date(2024, 4, 16) == ext.new_deadline
    assert ext.consents.count() == 2


def test_extension_refused_without_every_consent(mediating, centre):
    d = mediating()
    first, second = d.parties.all()
    with pytest.raises(ValidationError) as exc:
        services.deadline_extend(dispute=d, actor=centre, days=15, reason="申请人希望继续",
                                 granted_on=date(2024, 3, 25), consents={first.pk: date(2024, 3, 25), second.pk: None})
    assert "全体当事人同意" in messages_of(exc) and second.name in messages_of(exc)
    d.refresh_from_db()
    assert d.deadline_on == date(2024, 4, 1) and not d.extensions.exists()


# --- outcomes ----------------------------------------------------------------------------------------

def test_agreement_then_performance(agreed, centre):
    d = agreed()
    assert (d.status, d.agreement_effective_on) == (Status.AGREED, date(2024, 3, 20))
    d = services.performance_record(dispute=d, actor=centre, performed_on=date(2024, 4, 10))
    assert (d.status, d.closed_on) == (Status.PERFORMED, date(2024, 4, 10))


def test_agreement_refused_after_deadline(mediating, centre):
    d = mediating()
    with pytest.raises(ValidationError) as exc:
        services.agreement_record(dispute=d, actor=centre, agreed_on=date(2024, 4, 2), terms="x")
    assert "调解期限已于 2024-04-01 届满" in messages_of(exc)


def test_confirmation_within_thirty_days_and_ruling(agreed, centre):
    d = agreed()
    ids = list(d.parties.values_list("pk", flat=True))
    d = services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 19), applicant_ids=ids)
    assert d.status == Status.CONFIRMATION_APPLIED
    assert d.confirmation_number == "(2024)鲁0403民特1号"
    d = services.confirmation_rule(dispute=d, actor=centre, ruling="confirmed", ruled_on=date(2024, 4, 25))
    assert (d.status, d.closed_on, d.ruled_by) == (Status.CONFIRMED, date(2024, 4, 25), centre)


def test_confirmation_refused_after_thirty_days(agreed, centre):
    d = agreed()
    ids = list(d.parties.values_list("pk", flat=True))
    # effective 2024-03-20 + 30 days = 2024-04-19 is the last day; 04-20 is late
    with pytest.raises(ValidationError) as exc:
        services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 20), applicant_ids=ids)
    assert "已超过期限" in messages_of(exc) and "2024-04-19" in messages_of(exc)
    d.refresh_from_db()
    assert d.status == Status.AGREED and d.confirmation_number == ""


def test_confirmation_refused_when_not_joint(agreed, centre):
    d = agreed()
    first = d.parties.first()
    with pytest.raises(ValidationError) as exc:
        services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 1), applicant_ids=[first.pk])
    assert "共同申请" in messages_of(exc)


def test_rejection_needs_reason_then_transfer_allowed(agreed, centre):
    d = agreed()
    ids = list(d.parties.values_list("pk", flat=True))
    d = services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 1), applicant_ids=ids)
    with pytest.raises(ValidationError) as exc:
        services.confirmation_rule(dispute=d, actor=centre, ruling="rejected", ruled_on=date(2024, 4, 5))
    assert "理由" in messages_of(exc)
    d = services.confirmation_rule(dispute=d, actor=centre, ruling="rejected", ruled_on=date(2024, 4, 5),
                                   reason="利息约定违反法律规定。")
    assert d.status == Status.REJECTED
    d = services.filing_transfer(dispute=d, actor=centre, filed_on=date(2024, 4, 8))
    assert d.status == Status.FILED


def test_ruling_refused_before_application(agreed, centre):
    with pytest.raises(ValidationError) as exc:
        services.confirmation_rule(dispute=agreed(), actor=centre, ruling="confirmed", ruled_on=date(2024, 4, 5))
    assert "不能作出司法确认裁定" in messages_of(exc)


def test_failure_then_transfer_carries_parties_and_materials(mediating, centre, court):
    d = mediating(parties=[person_party(10, "applicant", "原告甲"), org_party("respondent", "被告乙公司")],
                  materials=[{"title": "起诉状", "submitted_by": "原告甲", "pages": 3}])
    d = services.mediation_fail(dispute=d, actor=centre, ended_on=date(2024, 3, 15), reason="分歧较大")
    assert (d.status, d.closed_on) == (Status.FAILED, date(2024, 3, 15))
    d = services.filing_transfer(dispute=d, actor=centre, filed_on=date(2024, 3, 18))
    case = Case.objects.get(pk=d.filed_case_id)
    assert case.number == "(2024)鲁0403民初1号" and case.court == court and case.cause == "民间借贷纠纷"
    assert [(p["role"], p["name"]) for p in case.parties] == [("原告", "原告甲"), ("被告", "被告乙公司")]
    assert case.parties[1]["credit_code"] == "913704034JURQ283F6"
    assert d.number in case.source_note and "起诉状" in case.source_note
    assert d.status == Status.FILED and d.closed_on == date(2024, 3, 18)


def test_withdraw_then_transfer(mediating, centre):
    d = services.dispute_withdraw(dispute=mediating(), actor=centre, withdrawn_on=date(2024, 3, 10), reason="撤回")
    assert d.status == Status.WITHDRAWN and d.end_kind == Status.WITHDRAWN
    d = services.filing_transfer(dispute=d, actor=centre, filed_on=date(2024, 3, 12))
    assert d.status == Status.FILED


@pytest.mark.parametrize("state", ["agreed", "performed", "confirmation_applied", "confirmed"])
def test_transfer_refused_after_agreement(agreed, centre, state):
    d = agreed()
    ids = list(d.parties.values_list("pk", flat=True))
    if state == "performed":
        d = services.performance_record(dispute=d, actor=centre, performed_on=date(2024, 4, 1))
    if state in {"confirmation_applied", "confirmed"}:
        d = services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 1), applicant_ids=ids)
    if state == "confirmed":
        d = services.confirmation_rule(dispute=d, actor=centre, ruling="confirmed", ruled_on=date(2024, 4, 2))
    cases_before = Case.objects.count()
    with pytest.raises(ValidationError) as exc:
        services.filing_transfer(dispute=d, actor=centre, filed_on=date(2024, 4, 10))
    assert "已达成调解协议" in messages_of(exc) and "不能转立案" in messages_of(exc)
    assert Case.objects.count() == cases_before


def test_transfer_refused_while_mediating(mediating, centre):
    with pytest.raises(ValidationError) as exc:
        services.filing_transfer(dispute=mediating(), actor=centre, filed_on=date(2024, 3, 10))
    assert "调解不成、当事人撤回或司法确认被驳回" in messages_of(exc)


def test_withdraw_refused_after_agreement_and_fail_refused_after_filing(agreed, mediating, centre):
    with pytest.raises(ValidationError):
        services.dispute_withdraw(dispute=agreed(), actor=centre, withdrawn_on=date(2024, 3, 25), reason="x")
    d = services.mediation_fail(dispute=mediating(), actor=centre, ended_on=date(2024, 3, 10), reason="x")
    d = services.filing_transfer(dispute=d, actor=centre, filed_on=date(2024, 3, 10))
    with pytest.raises(ValidationError):
        services.filing_transfer(dispute=d, actor=centre, filed_on=date(2024, 3, 11))
    with pytest.raises(ValidationError):
        services.mediation_fail(dispute=d, actor=centre, ended_on=date(2024, 3, 11), reason="x")


def test_stale_version_refused(make_dispute, centre, mediator):
    d = make_dispute()
    loaded = d.version
    Dispute.objects.filter(pk=d.pk).update(version=loaded + 1)
    with pytest.raises(ValidationError) as exc:
        services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="x", triaged_on=date(2024, 3, 1),
                                room="peoples", mediator=mediator, expected_version=loaded)
    assert "已被他人更新" in messages_of(exc)


def test_every_transition_is_audited(agreed, centre):
    d = agreed()
    events = set(AuditEvent.objects.filter(object_type="mediation.dispute", object_id=str(d.pk))
                 .values_list("event", flat=True))
    assert {"dispute.registered", "dispute.triaged", "dispute.accepted", "dispute.agreed"} <= events


def test_party_clean_normalises_lowercase_x():
    from tianping.mediation.models import DisputeParty
    from tianping.org.tests.factories import make_id_number

    n = next(i for i in range(200) if make_id_number(i).endswith("X"))
    p = DisputeParty(role="applicant", kind="person", name="甲", id_number=make_id_number(n).lower())
    p.full_clean(exclude=["dispute"])
    assert p.id_number.endswith("X")



def test_material_upload_is_checked(make_dispute, centre):
    """A material file must be what its name says (PDF, picture, Word/OFD); an executable renamed .pdf is refused."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tianping.mediation.models import Material

    dispute = make_dispute()
    with pytest.raises(ValidationError, match="请转换后再上传"):
        services.material_add(dispute=dispute, actor=centre, title="伪装的证据",
                              file=SimpleUploadedFile("证据.pdf", b"MZ\x90\x00binary"))
    assert not Material.objects.filter(dispute=dispute, title="伪装的证据").exists()
    services.material_add(dispute=dispute, actor=centre, title="起诉状",
                          file=SimpleUploadedFile("起诉状.docx", b"PK\x03\x04rest"))
    assert Material.objects.filter(dispute=dispute, title="起诉状").exists()
